// Self-test results in SQLite (table self_tests): every run is kept with its time; the status
// report shows the last one of each device and level.
import { SELF_TEST_LEVELS, SELF_TEST_OUTCOMES, type SelfTestResult } from '../protocol';
import type { KioskDatabase } from '../store/database';

interface Row {
  device: string;
  level: string;
  outcome: string;
  text: string;
  at: string;
  duration_ms: number;
}

const isLevel = (v: string): v is SelfTestResult['level'] => (SELF_TEST_LEVELS as readonly string[]).includes(v);
const isOutcome = (v: string): v is SelfTestResult['outcome'] => (SELF_TEST_OUTCOMES as readonly string[]).includes(v);

/** Rows are written by this module only, under CHECK constraints; a row that still fails is skipped. */
function fromRow(row: Row): SelfTestResult[] {
  if (!isLevel(row.level) || !isOutcome(row.outcome)) return [];
  return [{ device: row.device, level: row.level, outcome: row.outcome, text: row.text, at: row.at, durationMs: row.duration_ms }];
}

export class SelfTestStore {
  readonly #insert;
  readonly #latest;

  constructor(db: KioskDatabase) {
    this.#insert = db.prepare<[string, string, string, string, string, number]>('INSERT INTO self_tests (device, level, outcome, text, at, duration_ms) VALUES (?, ?, ?, ?, ?, ?)');
    this.#latest = db.prepare<[], Row>(
      'SELECT device, level, outcome, text, at, duration_ms FROM self_tests WHERE id IN (SELECT MAX(id) FROM self_tests GROUP BY device, level) ORDER BY device, level',
    );
  }

  record(result: SelfTestResult): void {
    this.#insert.run(result.device, result.level, result.outcome, result.text.slice(0, 500), result.at, result.durationMs);
  }

  /** The newest result of each device and level. */
  latest(): SelfTestResult[] {
    return this.#latest.all().flatMap(fromRow);
  }
}
