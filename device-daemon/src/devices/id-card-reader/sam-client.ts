// Request and response with the SAM over a byte transport: one exchange at a time (replies carry
// no tag), each bounded by its command's timeout and the caller's signal, with one retry when the
// reply arrives corrupted on the line.
import { deadline, reasonOf } from '../../core/deadline';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { ByteTransport } from '../../transports/transport';
import type { SamCommand } from './sam-commands';
import { encodeRequest, SamFrameDecoder, type FrameEvent } from './sam-frame';

export interface SamReply {
  readonly sw1: number;
  readonly sw2: number;
  readonly sw3: number;
  readonly data: Uint8Array;
}

export type SamCallErrorCode = 'notConnected' | 'noResponse' | 'checksumError' | 'malformedReply' | 'ioError' | 'canceled' | 'timeout';

export interface SamCallError {
  readonly code: SamCallErrorCode;
  readonly message: string;
}

const callError = (code: SamCallErrorCode, message: string): SamCallError => ({ code, message });

interface Waiter {
  readonly onEvent: (event: FrameEvent) => void;
  /** The transport closed under the exchange (cable pulled): no reply can come any more. */
  readonly onClosed: () => void;
}

export class SamClient {
  readonly #decoder = new SamFrameDecoder(4);
  #transport: ByteTransport | undefined;
  #detach: (() => void) | undefined;
  #waiter: Waiter | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #stats = { strayBytes: 0, checksumErrors: 0 };

  constructor(private readonly log: Logger) {}

  get stats(): { readonly strayBytes: number; readonly checksumErrors: number } {
    return this.#stats;
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.#transport = transport;
    this.#decoder.reset();
    const stopData = transport.onData((bytes) => {
      for (const event of this.#decoder.feed(bytes)) this.#onEvent(event);
    });
    const stopClose = transport.onClose(() => {
      this.detach();
      this.#waiter?.onClosed();
    });
    this.#detach = () => {
      stopData();
      stopClose();
    };
  }

  detach(): void {
    this.#detach?.();
    this.#detach = undefined;
    this.#transport = undefined;
  }

  #onEvent(event: FrameEvent): void {
    if (event.kind === 'skipped') {
      this.#stats.strayBytes += event.bytes;
      this.log.debug({ bytes: event.bytes }, 'stray bytes from the reader skipped');
    } else if (event.kind === 'checksumError') {
      this.#stats.checksumErrors += 1;
    }
    this.#waiter?.onEvent(event);
  }

  /** Sends one command and waits for its reply; retries once after a corrupted reply. */
  call(command: SamCommand, signal: AbortSignal): Promise<Result<SamReply, SamCallError>> {
    const run = async (): Promise<Result<SamReply, SamCallError>> => {
      const first = await this.#exchange(command, signal);
      if (!first.ok && first.error.code === 'checksumError' && !signal.aborted) {
        this.log.warn({ command: command.name }, 'corrupted reply from the reader; retrying once');
        return this.#exchange(command, signal);
      }
      return first;
    };
    const result = this.#chain.then(run, run);
    this.#chain = result;
    return result;
  }

  async #exchange(command: SamCommand, signal: AbortSignal): Promise<Result<SamReply, SamCallError>> {
    const transport = this.#transport;
    if (!transport) return err(callError('notConnected', 'the reader is not connected'));
    const guard = deadline(signal, command.timeoutMs, command.name);
    this.#decoder.reset();
    try {
      const reply = new Promise<Result<SamReply, SamCallError>>((resolve) => {
        const onAbort = (): void => {
          const reason = reasonOf(guard.signal);
          resolve(
            err(
              reason.kind === 'timeout' && !signal.aborted
                ? callError('noResponse', `no reply to ${command.name} within ${command.timeoutMs} ms`)
                : callError(reason.kind === 'timeout' ? 'timeout' : 'canceled', reason.message),
            ),
          );
        };
        guard.signal.addEventListener('abort', onAbort, { once: true });
        this.#waiter = {
          onEvent: (event) => {
            if (event.kind === 'frame') {
              guard.signal.removeEventListener('abort', onAbort);
              if (event.body.length < 3) return resolve(err(callError('malformedReply', 'reply shorter than its status bytes')));
              const [sw1, sw2, sw3] = event.body;
              resolve(ok({ sw1: sw1 ?? 0, sw2: sw2 ?? 0, sw3: sw3 ?? 0, data: event.body.subarray(3) }));
            } else if (event.kind === 'checksumError') {
              guard.signal.removeEventListener('abort', onAbort);
              resolve(err(callError('checksumError', `reply to ${command.name} failed its checksum`)));
            }
          },
          onClosed: () => {
            guard.signal.removeEventListener('abort', onAbort);
            resolve(err(callError('notConnected', `the reader was disconnected during ${command.name}`)));
          },
        };
      });
      const written = await transport.write(encodeRequest(command.cmd, command.para), guard.signal);
      if (!written.ok) return err(callError(written.error.code === 'closed' ? 'notConnected' : 'ioError', written.error.message));
      return await reply;
    } finally {
      this.#waiter = undefined;
      guard.dispose();
    }
  }
}
