// The outbox table: a message is written (sealed) before anything is sent, goes out in order within
// its stream, and stays until the backend acknowledges it; then its personal data is dropped and
// only the acknowledgement is kept.
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../core/result';
import type { KioskDatabase } from '../../store/database';
import type { PiiCipher } from './pii-cipher';

export const OUTBOX_KINDS = ['submission', 'rating', 'supervision', 'billPosting'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export type OutboxState = 'pending' | 'delivered' | 'rejected';

export interface OutboxMessage {
  readonly id: string;
  readonly seq: number;
  readonly stream: string;
  readonly kind: OutboxKind;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  /** The backend's acknowledgement (no personal data). */
  readonly result: unknown;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

interface Row {
  id: string;
  seq: number;
  stream: string;
  kind: string;
  key_id: string;
  payload: Buffer | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  result: string | null;
  created_at: string;
  finished_at: string | null;
}

const isKind = (k: string): k is OutboxKind => (OUTBOX_KINDS as readonly string[]).includes(k);

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  const value: unknown = JSON.parse(text);
  return value;
}

function toMessage(r: Row): OutboxMessage {
  return {
    id: r.id,
    seq: r.seq,
    stream: r.stream,
    kind: isKind(r.kind) ? r.kind : 'supervision',
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    result: parseJson(r.result),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** Rows are bound to id and kind: a sealed payload moved to another row does not open. */
const binding = (id: string, kind: string): string => `outbox:${id}:${kind}`;

export class OutboxStore {
  readonly #insert;
  readonly #nextSeq;
  readonly #due;
  readonly #earliest;
  readonly #get;
  readonly #finish;
  readonly #retry;
  readonly #counts;
  readonly #oldest;
  readonly #standing;

  constructor(
    db: KioskDatabase,
    private readonly cipher: PiiCipher,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#insert = db.prepare(
      `INSERT INTO outbox (id, seq, stream, kind, key_id, payload, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    );
    this.#nextSeq = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox');
    // The oldest message due whose stream has nothing older still waiting.
    this.#due = db.prepare<[number], Row>(
      `SELECT * FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.stream = o.stream AND p.state = 'pending' AND p.seq < o.seq)
       ORDER BY o.seq LIMIT 1`,
    );
    this.#earliest = db.prepare<[], { at: number | null }>(
      `SELECT MIN(o.next_attempt_at) AS at FROM outbox o WHERE o.state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.stream = o.stream AND p.state = 'pending' AND p.seq < o.seq)`,
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM outbox WHERE id = ?');
    this.#finish = db.prepare(`UPDATE outbox SET state = ?, payload = NULL, result = ?, last_error = ?, finished_at = ? WHERE id = ? AND state = 'pending'`);
    this.#retry = db.prepare(`UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`);
    this.#counts = db.prepare<[], { kind: string; state: string; n: number }>('SELECT kind, state, COUNT(*) AS n FROM outbox GROUP BY kind, state');
    this.#oldest = db.prepare<[], { at: string | null }>("SELECT MIN(created_at) AS at FROM outbox WHERE state = 'pending'");
    this.#standing = db.prepare<[string, string], Row>("SELECT * FROM outbox WHERE stream = ? AND kind = ? AND state != 'rejected' ORDER BY seq LIMIT 1");
  }

  /** The first message of a kind in a stream that is waiting or was delivered (not one the backend refused). */
  standing(kind: OutboxKind, stream: string): OutboxMessage | undefined {
    const row = this.#standing.get(stream, kind);
    return row ? toMessage(row) : undefined;
  }

  /** Writes a message; call inside the caller's transaction when other rows depend on it. */
  enqueue(kind: OutboxKind, stream: string, payload: unknown, id: string = randomUUID()): OutboxMessage {
    const seq = (this.#nextSeq.get()?.seq ?? 0) + 1;
    const sealed = this.cipher.seal(Buffer.from(JSON.stringify(payload), 'utf8'), binding(id, kind));
    const created = new Date(this.now()).toISOString();
    this.#insert.run(id, seq, stream, kind, this.cipher.keyId, sealed, this.now(), created);
    const row = this.#get.get(id);
    if (!row) throw new Error('outbox row vanished after insert');
    return toMessage(row);
  }

  get(id: string): OutboxMessage | undefined {
    const row = this.#get.get(id);
    return row ? toMessage(row) : undefined;
  }

  /** The next message to send now, with its payload opened. */
  nextDue(): { message: OutboxMessage; payload: Result<unknown, string> } | undefined {
    const row = this.#due.get(this.now());
    if (!row) return undefined;
    let payload: Result<unknown, string>;
    if (!row.payload) payload = err('no payload');
    else if (row.key_id !== this.cipher.keyId) payload = err(`sealed under key ${row.key_id}, not the configured key ${this.cipher.keyId}`);
    else {
      const opened = this.cipher.open(row.payload, binding(row.id, row.kind));
      payload = opened.ok ? ok(parseJson(opened.value.toString('utf8'))) : opened;
      if (opened.ok) opened.value.fill(0);
    }
    return { message: toMessage(row), payload };
  }

  /** When the next message falls due, if any is waiting. */
  earliestDue(): number | undefined {
    return this.#earliest.get()?.at ?? undefined;
  }

  delivered(id: string, result: unknown): void {
    this.#finish.run('delivered', JSON.stringify(result ?? null), null, new Date(this.now()).toISOString(), id);
  }

  rejected(id: string, error: string): void {
    this.#finish.run('rejected', null, error.slice(0, 500), new Date(this.now()).toISOString(), id);
  }

  retryAt(id: string, at: number, error: string): void {
    this.#retry.run(at, error.slice(0, 500), id);
  }

  /** When the oldest message still waiting was written (ISO), if any waits. */
  oldestPending(): string | undefined {
    return this.#oldest.get()?.at ?? undefined;
  }

  counts(): Array<{ kind: string; state: string; n: number }> {
    return this.#counts.all();
  }
}
