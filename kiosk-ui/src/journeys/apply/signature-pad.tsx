// A signature drawn with a finger on the touch screen: pointer events on a fixed-size canvas (so
// the strokes survive a layout change), exported as PNG base64 without the data: prefix once the
// stroke is long enough to be a signature rather than a stray touch.
import { useEffect, useRef } from 'preact/hooks';

const WIDTH = 1200;
const HEIGHT = 400;
/** Ink, in canvas pixels, before a drawing counts as a signature. */
const MIN_INK = 150;

export function signaturePngBase64(canvas: HTMLCanvasElement): string {
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

export function SignaturePad({ label, onSigned }: { label: string; onSigned: (png: string) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<{ x: number; y: number } | undefined>(undefined);
  const ink = useRef(0);

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    // A white sheet: the platform prints the signature on paper.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 6;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
  }, []);

  const point = (e: PointerEvent): { x: number; y: number } | undefined => {
    const canvas = ref.current;
    if (!canvas) return undefined;
    const box = canvas.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return undefined;
    return { x: ((e.clientX - box.left) * WIDTH) / box.width, y: ((e.clientY - box.top) * HEIGHT) / box.height };
  };

  const down = (e: PointerEvent): void => {
    e.preventDefault();
    ref.current?.setPointerCapture(e.pointerId);
    stroke.current = point(e);
  };
  const move = (e: PointerEvent): void => {
    const from = stroke.current;
    const to = point(e);
    const ctx = ref.current?.getContext('2d');
    if (!from || !to || !ctx) return;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    ink.current += Math.hypot(to.x - from.x, to.y - from.y);
    stroke.current = to;
  };
  const up = (): void => {
    if (!stroke.current) return;
    stroke.current = undefined;
    if (ink.current >= MIN_INK && ref.current) onSigned(signaturePngBase64(ref.current));
  };

  return (
    <canvas
      ref={ref}
      class="apply-signature"
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
      data-signature-pad
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    />
  );
}
