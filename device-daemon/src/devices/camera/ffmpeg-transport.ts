// ffmpeg as the camera's byte pipe: it reads the UVC device (or, in simulation, a fixture or a
// scripted scene on its stdin) and writes MJPEG to stdout. "Open" means frames are flowing: a camera
// that is absent or busy makes ffmpeg exit first, and its last error line says why.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { reasonOf } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, OK_VOID, type Result } from '../../core/result';
import { describeCause, transportError, type ByteTransport, type TransportError, type TransportErrorCode } from '../../transports/transport';

/** Writes into ffmpeg's stdin while it runs (the simulated scene); stops when the signal aborts. */
export type InputFeeder = (stdin: Writable, signal: AbortSignal) => void;

export interface FfmpegOptions {
  readonly ffmpegPath: string;
  readonly args: readonly string[];
  readonly label: string;
  readonly feed?: InputFeeder;
  /** Time ffmpeg gets to exit on SIGTERM before SIGKILL. */
  readonly killAfterMs?: number;
}

const STDERR_LINES = 8;
/** Output held for a listener that has not subscribed yet (the first frame, usually). */
const EARLY_BYTES_LIMIT = 4 * 1024 * 1024;

export function classifyFfmpegError(lines: readonly string[], exitCode: number | null): TransportError {
  const text = lines.join(' ');
  const last = lines.at(-1) ?? `ffmpeg exited with code ${exitCode ?? 'null'}`;
  let code: TransportErrorCode = 'ioError';
  if (/No such file or directory|No such device|Cannot open video device/i.test(text)) code = 'notFound';
  else if (/Device or resource busy/i.test(text)) code = 'busy';
  else if (/Permission denied/i.test(text)) code = 'accessDenied';
  return transportError(code, last.slice(0, 300));
}

export class FfmpegTransport implements ByteTransport {
  readonly kind = 'process' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('ffmpeg transport data');
  readonly #closed = new Listeners<TransportError | undefined>('ffmpeg transport close');
  readonly #stderr: string[] = [];
  readonly #feedStop = new AbortController();
  #child: ChildProcess | undefined;
  #open = false;
  #closing = false;
  #early: Buffer[] | undefined = [];
  #earlyBytes = 0;
  #exited: Promise<void> | undefined;

  constructor(private readonly options: FfmpegOptions) {
    this.label = options.label;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** The last lines ffmpeg wrote to stderr: for the technician's status, never images. */
  get diagnostics(): readonly string[] {
    return [...this.#stderr];
  }

  open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return Promise.resolve(err(transportError('canceled', reasonOf(signal).message)));
    if (this.#child) return Promise.resolve(err(transportError('busy', 'already open')));
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: Result<void, TransportError>): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const child = spawn(this.options.ffmpegPath, [...this.options.args], { stdio: [this.options.feed ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      this.#child = child;
      this.#exited = new Promise((done) => child.once('close', () => done()));
      const onAbort = (): void => {
        const reason = reasonOf(signal);
        void this.#kill();
        settle(err(transportError(reason.kind === 'timeout' ? 'timeout' : 'canceled', `${reason.message} (${this.#stderr.at(-1) ?? 'no frames from the camera'})`)));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('error', (cause) => {
        const missing = describeCause(cause).startsWith('ENOENT');
        settle(err(transportError(missing ? 'driverUnavailable' : 'ioError', missing ? `ffmpeg not found (${this.options.ffmpegPath})` : describeCause(cause))));
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        for (const line of text.split(/\r?\n/)) {
          if (line.trim() === '') continue;
          this.#stderr.push(line.trim().slice(0, 300));
          if (this.#stderr.length > STDERR_LINES) this.#stderr.shift();
        }
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!this.#open) {
          this.#open = true;
          settle(OK_VOID);
        }
        this.#deliver(chunk);
      });
      child.stdin?.on('error', () => {
        // ffmpeg closed its input (it is exiting): the close handler reports why.
      });
      child.once('close', (exitCode) => {
        this.#feedStop.abort();
        const wasOpen = this.#open;
        this.#open = false;
        const error = classifyFfmpegError(this.#stderr, exitCode);
        settle(err(error));
        if (wasOpen) this.#closed.emit(this.#closing ? undefined : error);
      });
      if (this.options.feed && child.stdin) this.options.feed(child.stdin, this.#feedStop.signal);
    });
  }

  #deliver(chunk: Buffer): void {
    if (this.#early) {
      this.#earlyBytes += chunk.length;
      // Nobody listening yet: keep the newest output only, bounded.
      this.#early.push(chunk);
      while (this.#earlyBytes > EARLY_BYTES_LIMIT && this.#early.length > 1) this.#earlyBytes -= this.#early.shift()?.length ?? 0;
      return;
    }
    this.#data.emit(chunk);
  }

  async write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const stdin = this.#child?.stdin;
    if (!this.#open || !stdin) return err(transportError('closed', 'ffmpeg is not running or takes no input'));
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    return new Promise((resolve) => stdin.write(bytes, (cause) => resolve(cause ? err(transportError('ioError', describeCause(cause))) : OK_VOID)));
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    const unsubscribe = this.#data.subscribe(listener);
    const early = this.#early;
    if (early) {
      this.#early = undefined;
      for (const chunk of early) this.#data.emit(chunk);
    }
    return unsubscribe;
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#kill();
  }

  async #kill(): Promise<void> {
    this.#feedStop.abort();
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      await this.#exited;
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.killAfterMs ?? 2_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Runs ffmpeg once to completion and returns its whole stdout (a still picture). */
export async function runFfmpeg(ffmpegPath: string, args: readonly string[], signal: AbortSignal, input?: Uint8Array, maxBytes = 32 * 1024 * 1024): Promise<Result<Buffer, TransportError>> {
  if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath, [...args], { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const stderr: string[] = [];
    let size = 0;
    let failure: TransportError | undefined;
    const onAbort = (): void => {
      failure = transportError(reasonOf(signal).kind === 'timeout' ? 'timeout' : 'canceled', reasonOf(signal).message);
      child.kill('SIGKILL');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (cause) => {
      failure = transportError(describeCause(cause).startsWith('ENOENT') ? 'driverUnavailable' : 'ioError', describeCause(cause));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        failure = transportError('ioError', `ffmpeg wrote more than ${maxBytes} bytes`);
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr.push(...text.split(/\r?\n/).filter((l) => l.trim() !== ''));
      if (stderr.length > STDERR_LINES) stderr.splice(0, stderr.length - STDERR_LINES);
    });
    child.stdin?.on('error', () => {
      // Reported through the exit code.
    });
    child.stdin?.end(input);
    child.once('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (failure) resolve(err(failure));
      else if (code !== 0) resolve(err(classifyFfmpegError(stderr, code)));
      else resolve(ok(Buffer.concat(chunks, size)));
    });
  });
}
