// The simulated camera's scene: what stands in front of the lens, rendered as raw RGB frames at the
// camera's rate into ffmpeg, which encodes them to MJPEG as a UVC camera would send them. A person
// (a fixture face picture) can turn left or right and blink on request, be swapped for someone else,
// or be replaced by a still photo that never moves; a code card can be held up for the scanner; the
// camera can stop sending altogether.
import { readFile, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import qrcode from 'qrcode-generator';
import { err, ok, type Result } from '../../../core/result';
import { decodeImage, type Point, type RgbImage } from '../../../face/image';
import type { FrameSize, PreviewFormat } from '../ffmpeg-args';
import type { InputFeeder } from '../ffmpeg-transport';
import { code128Modules, ean13Modules } from './barcode-modules';
import { closeEyes, drawFace, type EyeSpot, type FacePicture } from './face-synth';

export const GESTURES = ['turnLeft', 'turnRight', 'blink'] as const;
export type Gesture = (typeof GESTURES)[number];

/** Finds the eyes and nose in a fixture picture (the daemon's own face landmarks), so blinks and turns can be drawn. */
export type FaceLocator = (image: RgbImage) => Promise<Result<{ readonly eyes: readonly [EyeSpot, EyeSpot]; readonly nose: Point }, string>>;

export type CodeFormat = 'qr' | 'code128' | 'ean13';

export type SceneCommand =
  | { readonly action: 'show'; readonly image: string }
  | { readonly action: 'still'; readonly image: string }
  | { readonly action: 'swap'; readonly image: string }
  /** afterMs: the person reacts that long after being asked, as people do. */
  | { readonly action: 'perform'; readonly gesture: Gesture; readonly afterMs?: number | undefined }
  | { readonly action: 'leave' }
  | { readonly action: 'code'; readonly format: CodeFormat; readonly text: string }
  | { readonly action: 'pause' }
  | { readonly action: 'resume' };

export interface SceneState {
  readonly content: 'empty' | 'person' | 'still' | 'code';
  readonly gestures: { readonly running?: Gesture; readonly queued: number };
  readonly sending: boolean;
  readonly framesWritten: number;
  readonly framesSkipped: number;
}

interface Timed {
  readonly gesture: Gesture;
  readonly start: number;
}

const TURN_DEGREES = 45;
const RAMP_MS = 450;
const HOLD_MS = 450;
const BLINK_CLOSE_MS = 90;
const BLINK_HOLD_MS = 360;
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

export function gestureDuration(gesture: Gesture): number {
  return gesture === 'blink' ? 2 * BLINK_CLOSE_MS + BLINK_HOLD_MS : 2 * RAMP_MS + HOLD_MS;
}

const ease = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** Yaw and eye closure a gesture gives `elapsed` ms after it began. */
export function gesturePose(gesture: Gesture, elapsed: number): { yaw: number; eyesClosed: number } {
  if (gesture === 'blink') {
    const closing = ease(elapsed / BLINK_CLOSE_MS);
    const opening = ease((elapsed - BLINK_CLOSE_MS - BLINK_HOLD_MS) / BLINK_CLOSE_MS);
    return { yaw: 0, eyesClosed: closing * (1 - opening) };
  }
  const out = ease(elapsed / RAMP_MS);
  const back = ease((elapsed - RAMP_MS - HOLD_MS) / RAMP_MS);
  return { yaw: (gesture === 'turnLeft' ? 1 : -1) * TURN_DEGREES * out * (1 - back), eyesClosed: 0 };
}

async function loadPicture(path: string, locate: FaceLocator | undefined): Promise<Result<FacePicture, string>> {
  if (!/\.(png|jpe?g|webp|bmp)$/i.test(path)) return err('the scene shows PNG, JPEG, WebP or BMP pictures');
  try {
    if ((await stat(path)).size > MAX_IMAGE_BYTES) return err('picture larger than 16 MiB');
    const image = await decodeImage(await readFile(path));
    if (!image.ok) return image;
    if (!locate) return ok({ image: image.value });
    const found = await locate(image.value);
    return ok(found.ok ? { image: image.value, eyes: found.value.eyes, nose: found.value.nose } : { image: image.value });
  } catch (cause) {
    return err(`cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Clamps a sum of a byte and a noise value in [-256, 511] to a byte: CLAMP[v + 256]. A table lookup
 * per byte instead of Math.max and Math.min: the scene renders on the daemon's event loop, and the
 * noise pass was most of a frame's cost there (several ms at 640x480, 10 frames a second per camera).
 */
const CLAMP = Uint8Array.from({ length: 768 }, (_, i) => Math.max(0, Math.min(255, i - 256)));

export class FaceScene {
  readonly #size: PreviewFormat;
  readonly #now: () => number;
  readonly #background: Uint8Array;
  readonly #noise: Int8Array[];
  #person: FacePicture | undefined;
  #still: Uint8Array | undefined;
  #code: { modules: boolean[][]; quiet: number } | undefined;
  #gestures: Timed[] = [];
  #paused = false;
  #framesWritten = 0;
  #framesSkipped = 0;
  #tick = 0;

  constructor(
    size: PreviewFormat,
    private readonly locate?: FaceLocator,
    now: () => number = () => performance.now(),
  ) {
    this.#size = size;
    this.#now = now;
    this.#background = wall(size);
    // Sensor noise: a few fixed patterns in turn, so consecutive frames differ as a camera's do.
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4_294_967_296;
    };
    this.#noise = Array.from({ length: 4 }, () => Int8Array.from({ length: size.width * size.height * 3 }, () => Math.round((random() - 0.5) * 6)));
  }

  state(): SceneState {
    const running = this.#currentGesture();
    return {
      content: this.#code ? 'code' : this.#still ? 'still' : this.#person ? 'person' : 'empty',
      gestures: { ...(running ? { running: running.gesture } : {}), queued: Math.max(0, this.#gestures.length - (running ? 1 : 0)) },
      sending: !this.#paused,
      framesWritten: this.#framesWritten,
      framesSkipped: this.#framesSkipped,
    };
  }

  async control(command: SceneCommand): Promise<Result<SceneState, string>> {
    switch (command.action) {
      case 'show':
      case 'swap':
      case 'still': {
        const picture = await loadPicture(command.image, this.locate);
        if (!picture.ok) return picture;
        this.#code = undefined;
        this.#gestures = [];
        this.#person = picture.value;
        // A still photo is drawn once and sent unchanged, as a looped picture would be.
        this.#still = command.action === 'still' ? this.#render(this.#size, { live: false }) : undefined;
        break;
      }
      case 'perform': {
        if (!this.#person || this.#still) return err('nobody in front of the camera can move');
        if (command.gesture === 'blink' && !this.#person.eyes) return err('the eyes of this picture were not found, so it cannot blink');
        const last = this.#gestures.at(-1);
        const start = Math.max(this.#now() + (command.afterMs ?? 0), last ? last.start + gestureDuration(last.gesture) : 0);
        this.#gestures.push({ gesture: command.gesture, start });
        break;
      }
      case 'leave':
        this.#person = undefined;
        this.#still = undefined;
        this.#code = undefined;
        this.#gestures = [];
        break;
      case 'code': {
        const code = codeModules(command.format, command.text);
        if (!code.ok) return code;
        this.#code = code.value;
        break;
      }
      case 'pause':
        this.#paused = true;
        break;
      case 'resume':
        this.#paused = false;
        break;
    }
    return ok(this.state());
  }

  /** Writes a frame into ffmpeg's stdin every 1/fps s while the camera runs; skips when ffmpeg lags. */
  readonly feed: InputFeeder = (stdin: Writable, signal: AbortSignal) => {
    const timer = setInterval(() => {
      if (this.#paused) return;
      if (stdin.writableNeedDrain || stdin.destroyed) {
        this.#framesSkipped += 1;
        return;
      }
      stdin.write(this.renderFrame());
      this.#framesWritten += 1;
    }, 1000 / this.#size.fps);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  };

  /** The next camera frame: the scene as it is now, with the sway and sensor noise of a live picture. */
  renderFrame(): Uint8Array {
    return this.#still ?? this.#render(this.#size, { live: true });
  }

  /** One frame at another size (a still capture): the same scene, scaled. */
  renderStill(size: FrameSize): Uint8Array {
    return this.#render(size, { live: false });
  }

  #currentGesture(): Timed | undefined {
    const now = this.#now();
    while (this.#gestures.length > 0 && now > this.#gestures[0]!.start + gestureDuration(this.#gestures[0]!.gesture)) this.#gestures.shift();
    const first = this.#gestures[0];
    return first && first.start <= now ? first : undefined;
  }

  #render(size: FrameSize, { live }: { live: boolean }): Uint8Array {
    const same = size.width === this.#size.width && size.height === this.#size.height;
    // slice() is a memory copy; Uint8Array.from would iterate the million bytes.
    const data = same ? this.#background.slice() : wall(size);
    const frame: RgbImage = { width: size.width, height: size.height, data };
    const scale = size.width / this.#size.width;
    if (this.#person) {
      const gesture = live ? this.#currentGesture() : undefined;
      const pose = gesture ? gesturePose(gesture.gesture, this.#now() - gesture.start) : { yaw: 0, eyesClosed: 0 };
      // A live person sways a little: no two frames are the same.
      const t = this.#now() / 1000;
      const sway = live ? { x: Math.sin(t * 1.3) * 2, y: Math.sin(t * 0.9) * 1.5 } : { x: 0, y: 0 };
      const image = pose.eyesClosed > 0 ? closeEyes(this.#person, pose.eyesClosed) : this.#person.image;
      drawFace(frame, { ...this.#person, image }, { x: size.width / 2 + sway.x, y: size.height * 0.47 + sway.y, width: size.width * 0.34 }, pose.yaw);
      if (image !== this.#person.image) image.data.fill(0);
    }
    if (this.#code) drawCode(frame, this.#code, scale);
    if (live && same) {
      const noise = this.#noise[this.#tick++ % this.#noise.length]!;
      for (let i = 0; i < data.length; i += 1) data[i] = CLAMP[data[i]! + noise[i]! + 256]!;
    }
    return data;
  }
}

/** A plain wall: a soft vertical gradient, lit from above. */
function wall(size: FrameSize): Uint8Array {
  const data = new Uint8Array(size.width * size.height * 3);
  for (let y = 0; y < size.height; y += 1) {
    const shade = 200 - (y / size.height) * 40;
    for (let x = 0; x < size.width; x += 1) {
      const i = (y * size.width + x) * 3;
      data[i] = shade;
      data[i + 1] = shade - 8;
      data[i + 2] = shade - 20;
    }
  }
  return data;
}

function codeModules(format: CodeFormat, text: string): Result<{ modules: boolean[][]; quiet: number }, string> {
  if (format === 'qr') {
    if (text.length === 0 || text.length > 512) return err('a QR code of 1 to 512 characters');
    const qr = qrcode(0, 'M');
    qr.addData(text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    return ok({ modules: Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c))), quiet: 4 });
  }
  const row = format === 'ean13' ? ean13Modules(text) : code128Modules(text);
  if (!row.ok) return row;
  // A linear code is one row repeated: a stack of rows as tall as a third of its width.
  return ok({ modules: Array.from({ length: Math.max(20, Math.round(row.value.length / 3)) }, () => row.value), quiet: 0 });
}

/** A white card with the code, in the middle of the frame, about half its height. */
function drawCode(frame: RgbImage, code: { modules: boolean[][]; quiet: number }, scale: number): void {
  const rows = code.modules.length + 2 * code.quiet;
  const cols = (code.modules[0]?.length ?? 0) + 2 * code.quiet;
  const module = Math.max(2, Math.floor(Math.min((frame.width * 0.8) / cols, (frame.height * 0.6) / rows, 8 * scale)));
  const left = Math.floor((frame.width - cols * module) / 2);
  const top = Math.floor((frame.height - rows * module) / 2);
  for (let y = 0; y < rows * module; y += 1) {
    for (let x = 0; x < cols * module; x += 1) {
      const r = Math.floor(y / module) - code.quiet;
      const c = Math.floor(x / module) - code.quiet;
      const dark = code.modules[r]?.[c] ?? false;
      const i = ((top + y) * frame.width + left + x) * 3;
      const value = dark ? 20 : 245;
      frame.data[i] = value;
      frame.data[i + 1] = value;
      frame.data[i + 2] = value;
    }
  }
}
