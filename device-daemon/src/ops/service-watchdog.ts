// The health loop behind systemd's watchdog. Every tick it checks the database answers and that no
// device queue has sat on one job for longer than any job may take; only then does it send
// WATCHDOG=1, so a wedged queue or a stalled event loop (no tick at all) gets the daemon restarted,
// where a bare interval timer would only prove that timers still fire. READY=1 goes once every
// device has been enumerated (none is still "starting"); STATUS= carries a one-line summary.
import type { Result } from '../core/result';
import type { Logger } from '../log/logger';
import type { SystemdNotifier } from './systemd-notify';

export interface QueueProbe {
  readonly name: string;
  readonly progress: { readonly completed: number; readonly busy: boolean };
}

export interface ServiceWatchdogOptions {
  readonly notifier: SystemdNotifier;
  /** Health loop period; at most half of systemd's watchdog interval is used when that is shorter. */
  readonly intervalMs: number;
  /** A queue busy on the same job for longer than this is stuck. */
  readonly stuckAfterMs: number;
  readonly queues: () => readonly QueueProbe[];
  readonly enumerated: () => boolean;
  /** The loop's own checks (the database answers). */
  readonly check: () => Result<void, string>;
  readonly summary: () => string;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface TickOutcome {
  readonly ready: boolean;
  readonly healthy: boolean;
  readonly pinged: boolean;
  readonly problems: readonly string[];
}

export class ServiceWatchdog {
  readonly #busySince = new Map<string, { completed: number; since: number }>();
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ready = false;
  #lastStatus = '';
  #lastProblems = '';

  constructor(private readonly options: ServiceWatchdogOptions) {
    this.#now = options.now ?? ((): number => Date.now());
  }

  /** READY=1 has been sent. */
  get ready(): boolean {
    return this.#ready;
  }

  get periodMs(): number {
    const { watchdogMs } = this.options.notifier;
    return watchdogMs === undefined ? this.options.intervalMs : Math.max(50, Math.min(this.options.intervalMs, Math.floor(watchdogMs / 2)));
  }

  start(): void {
    if (this.#timer) return;
    this.tick();
    this.#timer = setInterval(() => this.tick(), this.periodMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#report(this.options.notifier.stopping(), 'STOPPING');
  }

  /** One pass of the health loop (the timer's, or a test's). */
  tick(): TickOutcome {
    const problems = [...this.#stuckQueues()];
    const checked = this.options.check();
    if (!checked.ok) problems.push(checked.error);
    const healthy = problems.length === 0;
    const summary = healthy ? this.options.summary() : `UNHEALTHY: ${problems.join('; ')}`;
    if (!this.#ready && this.options.enumerated()) {
      this.#ready = true;
      this.#report(this.options.notifier.ready(summary), 'READY');
      this.#lastStatus = summary;
    } else if (summary !== this.#lastStatus) {
      this.#report(this.options.notifier.status(summary), 'STATUS');
      this.#lastStatus = summary;
    }
    const joined = problems.join('; ');
    if (joined !== this.#lastProblems) {
      if (healthy) this.options.log.info({}, 'health loop: healthy again; watchdog pings resume');
      else this.options.log.error({ problems }, 'health loop: unhealthy; watchdog pings withheld');
      this.#lastProblems = joined;
    }
    let pinged = false;
    if (healthy && this.options.notifier.watchdogMs !== undefined) pinged = this.#report(this.options.notifier.watchdog(), 'WATCHDOG');
    return { ready: this.#ready, healthy, pinged, problems };
  }

  *#stuckQueues(): Generator<string> {
    const now = this.#now();
    const seen = new Set<string>();
    for (const queue of this.options.queues()) {
      seen.add(queue.name);
      const { busy, completed } = queue.progress;
      const known = this.#busySince.get(queue.name);
      if (!busy) {
        this.#busySince.delete(queue.name);
        continue;
      }
      // Busy with the same job as last time (nothing completed since)? Then it has been since then.
      if (!known || known.completed !== completed) {
        this.#busySince.set(queue.name, { completed, since: now });
        continue;
      }
      const forMs = now - known.since;
      if (forMs > this.options.stuckAfterMs) yield `${queue.name} queue stuck on one job for ${Math.round(forMs / 1000)} s`;
    }
    for (const name of this.#busySince.keys()) if (!seen.has(name)) this.#busySince.delete(name);
  }

  #report(result: Result<void, string>, what: string): boolean {
    if (!result.ok) this.options.log.warn({ reason: result.error }, `sd_notify ${what} failed`);
    return result.ok;
  }
}
