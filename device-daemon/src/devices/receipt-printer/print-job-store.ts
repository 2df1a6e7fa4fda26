// Print jobs in SQLite: a job is written before a byte of it is sent, every state change is written
// before anything depends on it, and a printed job keeps its record but not its bytes.
import type { KioskDatabase } from '../../store/database';

export const JOB_STATES = ['queued', 'printing', 'pending', 'printed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface PrintJob {
  readonly id: string;
  readonly device: string;
  readonly kind: string;
  readonly state: JobState;
  readonly reason: string | null;
  readonly attempts: number;
  /** Set once an attempt may have put part of the job on paper: the next attempt is marked. */
  readonly reprint: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly printedAt: string | null;
}

interface Row {
  id: string;
  device: string;
  kind: string;
  state: JobState;
  reason: string | null;
  attempts: number;
  reprint: number;
  created_at: string;
  updated_at: string;
  printed_at: string | null;
}

const toJob = (r: Row): PrintJob => ({
  id: r.id,
  device: r.device,
  kind: r.kind,
  state: r.state,
  reason: r.reason,
  attempts: r.attempts,
  reprint: r.reprint === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  printedAt: r.printed_at,
});

const COLUMNS = 'id, device, kind, state, reason, attempts, reprint, created_at, updated_at, printed_at';

export class PrintJobStore {
  readonly #insert;
  readonly #get;
  readonly #bytes;
  readonly #open;
  readonly #update;
  readonly #printed;
  readonly #counts;

  constructor(
    db: KioskDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#insert = db.prepare(`INSERT INTO print_jobs (id, device, kind, state, bytes, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?, ?)`);
    this.#get = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM print_jobs WHERE id = ?`);
    this.#bytes = db.prepare<[string], { bytes: Buffer | null }>(`SELECT bytes FROM print_jobs WHERE id = ?`);
    this.#open = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM print_jobs WHERE device = ? AND state IN ('queued', 'printing', 'pending') ORDER BY created_at, rowid`);
    this.#update = db.prepare(`UPDATE print_jobs SET state = @state, reason = @reason, attempts = @attempts, reprint = @reprint, updated_at = @now WHERE id = @id`);
    this.#printed = db.prepare(`UPDATE print_jobs SET state = 'printed', reason = NULL, bytes = NULL, updated_at = @now, printed_at = @now WHERE id = @id`);
    this.#counts = db.prepare<[string], { state: JobState; n: number }>(`SELECT state, COUNT(*) AS n FROM print_jobs WHERE device = ? GROUP BY state`);
  }

  add(id: string, device: string, kind: string, bytes: Uint8Array): PrintJob {
    const now = this.now().toISOString();
    this.#insert.run(id, device, kind, Buffer.from(bytes), now, now);
    return this.get(id) ?? toJob({ id, device, kind, state: 'queued', reason: null, attempts: 0, reprint: 0, created_at: now, updated_at: now, printed_at: null });
  }

  get(id: string): PrintJob | undefined {
    const row = this.#get.get(id);
    return row ? toJob(row) : undefined;
  }

  bytes(id: string): Uint8Array | undefined {
    const row = this.#bytes.get(id);
    return row?.bytes ? new Uint8Array(row.bytes) : undefined;
  }

  /** Jobs not yet printed or failed, oldest first. */
  open(device: string): PrintJob[] {
    return this.#open.all(device).map(toJob);
  }

  update(job: PrintJob, change: { state: JobState; reason?: string | null; attempts?: number; reprint?: boolean }): PrintJob {
    this.#update.run({
      id: job.id,
      state: change.state,
      reason: change.reason ?? null,
      attempts: change.attempts ?? job.attempts,
      reprint: (change.reprint ?? job.reprint) ? 1 : 0,
      now: this.now().toISOString(),
    });
    return this.get(job.id) ?? job;
  }

  /** Printed: the bytes, which may hold masked personal data, are dropped. */
  printed(job: PrintJob): PrintJob {
    this.#printed.run({ id: job.id, now: this.now().toISOString() });
    return this.get(job.id) ?? job;
  }

  counts(device: string): Partial<Record<JobState, number>> {
    return Object.fromEntries(this.#counts.all(device).map((r) => [r.state, r.n]));
  }
}
