// The card photo is a 1024-byte WLT file that only the reader vendor's closed library can turn into
// a 102x126 picture. The driver hands the bytes to a decoder plug-in chosen in config: the vendor's
// shared library through koffi, a vendor helper program over pipes, or the simulator's. The card
// data stays usable when there is none. Decoded pictures live in memory only.
import { spawn } from 'node:child_process';
import { reasonOf } from '../../core/deadline';
import { err, ok, type Result } from '../../core/result';

export const PHOTO_WIDTH = 102;
export const PHOTO_HEIGHT = 126;
export const RAW_PHOTO_BYTES = PHOTO_WIDTH * PHOTO_HEIGHT * 3;
/** BMP of the photo: 54-byte header, bottom-up rows of 102 * 3 bytes padded to 308. */
export const BMP_PHOTO_BYTES = 54 + PHOTO_HEIGHT * 308;

export interface DecodedPhoto {
  readonly width: number;
  readonly height: number;
  /** Top-down rows of RGB triplets. */
  readonly rgb: Uint8Array;
}

export type PhotoErrorCode = 'notConfigured' | 'decoderUnavailable' | 'decoderFailed' | 'invalidOutput' | 'timeout' | 'canceled';

export interface PhotoError {
  readonly code: PhotoErrorCode;
  readonly message: string;
}

export interface PhotoDecoder {
  readonly kind: 'none' | 'library' | 'command' | 'simulated';
  decode(wlt: Uint8Array, signal: AbortSignal): Promise<Result<DecodedPhoto, PhotoError>>;
}

export type DecoderOutput = 'bmp' | 'bgr' | 'rgb';

/** Turns a decoder's output into top-down RGB, checking its size and header. */
export function toRgb(bytes: Uint8Array, format: DecoderOutput): Result<DecodedPhoto, PhotoError> {
  const rgb = new Uint8Array(RAW_PHOTO_BYTES);
  if (format === 'bmp') {
    if (bytes.length < BMP_PHOTO_BYTES || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return err({ code: 'invalidOutput', message: 'decoder output is not a BMP' });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offset = view.getUint32(10, true);
    const width = view.getInt32(18, true);
    const height = view.getInt32(22, true);
    const bits = view.getUint16(28, true);
    if (width !== PHOTO_WIDTH || Math.abs(height) !== PHOTO_HEIGHT || bits !== 24) return err({ code: 'invalidOutput', message: `BMP is ${width}x${height}x${bits}, not 102x126x24` });
    const stride = Math.ceil((PHOTO_WIDTH * 3) / 4) * 4;
    if (offset + stride * PHOTO_HEIGHT > bytes.length) return err({ code: 'invalidOutput', message: 'BMP is truncated' });
    for (let y = 0; y < PHOTO_HEIGHT; y += 1) {
      const source = offset + (height > 0 ? PHOTO_HEIGHT - 1 - y : y) * stride;
      for (let x = 0; x < PHOTO_WIDTH; x += 1) {
        const s = source + x * 3;
        const d = (y * PHOTO_WIDTH + x) * 3;
        rgb[d] = bytes[s + 2] ?? 0;
        rgb[d + 1] = bytes[s + 1] ?? 0;
        rgb[d + 2] = bytes[s] ?? 0;
      }
    }
    return ok({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT, rgb });
  }
  if (bytes.length < RAW_PHOTO_BYTES) return err({ code: 'invalidOutput', message: `decoder output of ${bytes.length} bytes, not ${RAW_PHOTO_BYTES}` });
  for (let i = 0; i < RAW_PHOTO_BYTES; i += 3) {
    const [a, b, c] = [bytes[i] ?? 0, bytes[i + 1] ?? 0, bytes[i + 2] ?? 0];
    // Vendor libraries write BGR; swap to RGB.
    rgb[i] = format === 'bgr' ? c : a;
    rgb[i + 1] = b;
    rgb[i + 2] = format === 'bgr' ? a : c;
  }
  return ok({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT, rgb });
}

export class NoPhotoDecoder implements PhotoDecoder {
  readonly kind = 'none' as const;

  constructor(private readonly device: string) {}

  async decode(): Promise<Result<DecodedPhoto, PhotoError>> {
    return err({ code: 'notConfigured', message: `no WLT photo decoder is configured (devices.${this.device}.photoDecoder)` });
  }
}

export interface LibraryDecoderOptions {
  /** The vendor's shared library, e.g. libwlt2bmp.so. */
  readonly path: string;
  /** Its export with the shape int f(const uint8_t *wlt, uint8_t *out, int code). */
  readonly functionName: string;
  /** The vendor-specific third argument (602 for libwlt2bmp). */
  readonly code: number;
  readonly output: DecoderOutput;
  /** Return value that means success. */
  readonly successValue: number;
}

type AsyncNative = { async: (...args: unknown[]) => void };

/** The vendor's library through koffi, called on koffi's worker thread so the daemon keeps serving. */
export class LibraryPhotoDecoder implements PhotoDecoder {
  readonly kind = 'library' as const;
  #native: Promise<Result<AsyncNative, PhotoError>> | undefined;

  constructor(private readonly options: LibraryDecoderOptions) {}

  #load(): Promise<Result<AsyncNative, PhotoError>> {
    this.#native ??= import('koffi').then(
      (koffi) => {
        try {
          const library = koffi.default.load(this.options.path);
          const fn = library.func(`int ${this.options.functionName}(const uint8_t *src, _Out_ uint8_t *dst, int code)`);
          return ok<AsyncNative>(fn);
        } catch (cause) {
          return err({ code: 'decoderUnavailable', message: `cannot load ${this.options.functionName} from ${this.options.path}: ${cause instanceof Error ? cause.message : String(cause)}` });
        }
      },
      (cause: unknown) => err({ code: 'decoderUnavailable', message: `koffi could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}` }),
    );
    return this.#native;
  }

  async decode(wlt: Uint8Array, signal: AbortSignal): Promise<Result<DecodedPhoto, PhotoError>> {
    const native = await this.#load();
    if (!native.ok) return native;
    const out = Buffer.alloc(Math.max(BMP_PHOTO_BYTES, RAW_PHOTO_BYTES));
    const called = await new Promise<Result<number, PhotoError>>((resolve) => {
      const onAbort = (): void => resolve(err({ code: reasonOf(signal).kind === 'timeout' ? 'timeout' : 'canceled', message: reasonOf(signal).message }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      native.value.async(Buffer.from(wlt), out, this.options.code, (error: unknown, value: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (error) resolve(err({ code: 'decoderFailed', message: error instanceof Error ? error.message : String(error) }));
        else resolve(ok(typeof value === 'number' ? value : Number.NaN));
      });
    });
    try {
      if (!called.ok) return called;
      if (called.value !== this.options.successValue) return err({ code: 'decoderFailed', message: `${this.options.functionName} returned ${called.value}` });
      return toRgb(out, this.options.output);
    } finally {
      out.fill(0);
    }
  }
}

export interface CommandDecoderOptions {
  /** A vendor helper: reads the WLT bytes on stdin, writes the picture on stdout. */
  readonly path: string;
  readonly args: readonly string[];
  readonly output: DecoderOutput;
}

const MAX_OUTPUT = 64 * 1024;

export class CommandPhotoDecoder implements PhotoDecoder {
  readonly kind = 'command' as const;

  constructor(private readonly options: CommandDecoderOptions) {}

  decode(wlt: Uint8Array, signal: AbortSignal): Promise<Result<DecodedPhoto, PhotoError>> {
    return new Promise((resolve) => {
      const child = spawn(this.options.path, [...this.options.args], { stdio: ['pipe', 'pipe', 'ignore'], signal });
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (result: Result<DecodedPhoto, PhotoError>): void => {
        if (settled) return;
        settled = true;
        resolve(result);
        for (const chunk of chunks) chunk.fill(0);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT) {
          child.kill('SIGKILL');
          finish(err({ code: 'invalidOutput', message: `decoder wrote more than ${MAX_OUTPUT} bytes` }));
          return;
        }
        chunks.push(chunk);
      });
      child.on('error', (cause: NodeJS.ErrnoException) => {
        if (signal.aborted) finish(err({ code: reasonOf(signal).kind === 'timeout' ? 'timeout' : 'canceled', message: reasonOf(signal).message }));
        else finish(err({ code: cause.code === 'ENOENT' ? 'decoderUnavailable' : 'decoderFailed', message: cause.message }));
      });
      child.on('close', (code) => {
        if (code !== 0) return finish(err({ code: 'decoderFailed', message: `decoder exited with ${code}` }));
        const output = Buffer.concat(chunks);
        const decoded = toRgb(output, this.options.output);
        output.fill(0);
        finish(decoded);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(Buffer.from(wlt));
    });
  }
}
