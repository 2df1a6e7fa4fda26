// One FIFO queue per device for physical actions (print, read a card, capture): they run one at a
// time in arrival order. A job cancelled while it waits leaves the queue at once; a running job is
// told through its signal and the queue waits for it to settle, because the device is still busy
// until it does. Every job must honour its signal (all device calls are bounded), so it settles.
import { reasonOf, type AbortReason } from './deadline';
import { err, ok, type Result } from './result';

interface Waiting {
  readonly start: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

export class FifoQueue {
  readonly #waiting: Waiting[] = [];
  #running = false;
  #completed = 0;
  #lastProgressAt = Date.now();

  constructor(readonly name: string) {}

  /** Jobs waiting, not counting the running one. */
  get waiting(): number {
    return this.#waiting.length;
  }

  get busy(): boolean {
    return this.#running;
  }

  /** For the watchdog: how many jobs finished, and when the queue last moved. */
  get progress(): { readonly completed: number; readonly lastProgressAt: number; readonly busy: boolean; readonly waiting: number } {
    return { completed: this.#completed, lastProgressAt: this.#lastProgressAt, busy: this.#running, waiting: this.#waiting.length };
  }

  /**
   * Runs `job` when every job before it has settled. Resolves with the job's value, or with the
   * abort reason if `signal` aborted before the job started. A job that throws rejects (a bug).
   */
  run<T>(job: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<Result<T, AbortReason>> {
    if (signal.aborted) return Promise.resolve(err(reasonOf(signal)));
    return new Promise<Result<T, AbortReason>>((resolve, reject) => {
      const start = (): void => {
        signal.removeEventListener('abort', entry.onAbort);
        this.#running = true;
        let settled: Promise<T>;
        try {
          settled = job(signal);
        } catch (error) {
          settled = Promise.reject(error);
        }
        settled.then(
          (value) => {
            this.#finish();
            resolve(ok(value));
          },
          (error: unknown) => {
            this.#finish();
            reject(error);
          },
        );
      };
      const entry: Waiting = {
        start,
        signal,
        onAbort: () => {
          const index = this.#waiting.indexOf(entry);
          if (index >= 0) this.#waiting.splice(index, 1);
          resolve(err(reasonOf(signal)));
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.#waiting.push(entry);
      this.#pump();
    });
  }

  #finish(): void {
    this.#running = false;
    this.#completed += 1;
    this.#lastProgressAt = Date.now();
    this.#pump();
  }

  #pump(): void {
    if (this.#running) return;
    const next = this.#waiting.shift();
    if (next) next.start();
  }
}
