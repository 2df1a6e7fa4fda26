// Self-tests for technicians, the same from kioskctl (ops POST /v1/selftest) and from the UI's
// technician mode (Technician.SelfTest): one device or all of them at one UnifiedPOS level, one
// after another, each result stored with its time.
import { err, ok, type Result } from '../core/result';
import type { Logger } from '../log/logger';
import type { SelfTestLevel, SelfTestResult } from '../protocol';
import type { SelfTestTarget } from './device-self-tests';
import type { SelfTestStore } from './selftest-store';

export interface SelfTestServiceOptions {
  readonly targets: readonly SelfTestTarget[];
  readonly store: SelfTestStore;
  readonly log: Logger;
  /** Wall clock for the results' times; durations use performance.now(). */
  readonly now?: () => Date;
}

export class SelfTestService {
  readonly #now: () => Date;

  constructor(private readonly options: SelfTestServiceOptions) {
    this.#now = options.now ?? ((): Date => new Date());
  }

  /** Device and service names, in the order "all" runs them. */
  get names(): string[] {
    return this.options.targets.map((t) => t.name);
  }

  async run(request: { readonly device?: string | undefined; readonly level: SelfTestLevel }, signal: AbortSignal): Promise<Result<SelfTestResult[], string>> {
    const targets = request.device === undefined ? this.options.targets : this.options.targets.filter((t) => t.name === request.device);
    if (targets.length === 0) return err(`no device or service named ${String(request.device).slice(0, 32)} (known: ${this.names.join(', ')})`);
    const results: SelfTestResult[] = [];
    for (const target of targets) {
      if (signal.aborted) break;
      const started = performance.now();
      const outcome = await target.run(request.level, signal);
      const result: SelfTestResult = { device: target.name, level: request.level, outcome: outcome.outcome, text: outcome.text, at: this.#now().toISOString(), durationMs: Math.round((performance.now() - started) * 10) / 10 };
      this.options.store.record(result);
      this.options.log.info({ device: result.device, testLevel: result.level, outcome: result.outcome, ms: result.durationMs }, 'self-test');
      results.push(result);
    }
    return ok(results);
  }

  latest(): SelfTestResult[] {
    return this.options.store.latest();
  }
}
