// Matching the printer's "processed" replies (GS r after each job) to the jobs that asked for them.
// Replies carry no tag, so order does it: each reply confirms the oldest job still waiting, and a job
// whose waiter gave up leaves a stale mark so its late reply cannot confirm the next one.

/** How a sent job ended: the printer said it processed all of it, or its buffer is gone. */
export type JobOutcome = 'processed' | 'lost';

export interface Confirmation {
  readonly processed: Promise<JobOutcome>;
  /** Stop waiting: the job's late reply must not confirm the next job. */
  abandon(): void;
  /** Forget a job whose bytes never reached the printer. */
  cancel(): void;
}

export class JobConfirmations {
  readonly #waiters: ((outcome: JobOutcome) => void)[] = [];
  #stale = 0;

  expect(): Confirmation {
    let resolve: (outcome: JobOutcome) => void = () => undefined;
    const processed = new Promise<JobOutcome>((r) => {
      resolve = r;
    });
    this.#waiters.push(resolve);
    const forget = (): boolean => {
      const index = this.#waiters.indexOf(resolve);
      if (index >= 0) this.#waiters.splice(index, 1);
      return index >= 0;
    };
    return {
      processed,
      abandon: () => {
        if (forget()) this.#stale += 1;
      },
      cancel: () => {
        forget();
      },
    };
  }

  /** A processed reply arrived. */
  confirm(): void {
    if (this.#stale > 0) {
      this.#stale -= 1;
      return;
    }
    this.#waiters.shift()?.('processed');
  }

  /** The printer's buffer is gone (connection dropped, buffer cleared): nothing will be confirmed. */
  loseAll(): void {
    this.#stale = 0;
    this.#waiters.splice(0).forEach((resolve) => resolve('lost'));
  }
}
