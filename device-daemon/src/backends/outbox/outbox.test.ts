import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../log/logger';
import { openDatabase, type KioskDatabase } from '../../store/database';
import { settleWithFakeTime } from '../../testing/fake-time';
import { OutboxSender, type OutboxHandler, type SendOutcome } from './outbox-sender';
import { OutboxStore, type OutboxKind } from './outbox-store';
import { PiiCipher } from './pii-cipher';

const log = createLogger({ level: 'silent' });
const KEY = randomBytes(32).toString('base64');
const cipher = (key = KEY): PiiCipher => {
  const c = PiiCipher.fromBase64(key);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

let db: KioskDatabase;
let dir: string;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-22T02:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  dir = mkdtempSync(join(tmpdir(), 'kiosk-outbox-'));
  const opened = openDatabase(dir);
  if (!opened.ok) throw new Error(opened.error);
  db = opened.value;
});

afterEach(() => {
  db.close();
  vi.useRealTimers();
});

/** A backend that answers from a script per message id; by default it takes everything. */
function backend(script: Record<string, SendOutcome[]> = {}): { handler: OutboxHandler; delivered: string[] } {
  const delivered: string[] = [];
  const handler: OutboxHandler = async (message, payload) => {
    const next = script[message.id]?.shift() ?? { kind: 'delivered', result: { echo: payload } };
    if (next.kind === 'delivered') delivered.push(message.id);
    return next;
  };
  return { handler, delivered };
}

function sender(store: OutboxStore, handler: OutboxHandler): OutboxSender {
  const handlers = { submission: handler, rating: handler, supervision: handler, billPosting: handler } satisfies Record<OutboxKind, OutboxHandler>;
  return new OutboxSender(store, handlers, { backoff: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0 }, timeoutMs: 5_000, log });
}

describe('outbox', () => {
  it('keeps personal data sealed in the database and drops it once acknowledged', async () => {
    const store = new OutboxStore(db, cipher());
    const m = store.enqueue('submission', 'tx-1', { name: '林志远', idNumber: '330106198504091230' });
    const raw = db.prepare<[string], { payload: Buffer }>('SELECT payload FROM outbox WHERE id = ?').get(m.id);
    expect(raw?.payload.includes(Buffer.from('330106198504091230'))).toBe(false);
    const { handler } = backend({ [m.id]: [{ kind: 'delivered', result: { trackingNumber: 'T-1' } }] });
    const s = sender(store, handler);
    s.start();
    await s.idle();
    expect(store.get(m.id)).toMatchObject({ state: 'delivered', result: { trackingNumber: 'T-1' } });
    expect(db.prepare('SELECT payload FROM outbox WHERE id = ?').get(m.id)).toEqual({ payload: null });
  });

  it('delivers in order within a stream, lets other streams pass a stuck one, and retries with backoff', async () => {
    const store = new OutboxStore(db, cipher());
    const a1 = store.enqueue('submission', 'A', { n: 'a1' }, 'a1');
    store.enqueue('supervision', 'A', { n: 'a2' }, 'a2');
    store.enqueue('rating', 'B', { n: 'b1' }, 'b1');
    const { handler, delivered } = backend({ a1: [{ kind: 'retry', error: 'platform unreachable' }, { kind: 'retry', error: 'platform unreachable' }] });
    const s = sender(store, handler);
    s.start();
    await s.idle();
    expect(delivered).toEqual(['b1']);
    expect(store.get('a1')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'platform unreachable' });
    expect(store.earliestDue()).toBe(Date.now() + 1_000);
    await settleWithFakeTime(new Promise<void>((resolve) => s.onEvent((e) => e.message.id === 'a2' && resolve())), 500);
    expect(delivered).toEqual(['b1', 'a1', 'a2']);
    expect(store.get(a1.id)?.attempts).toBe(2);
    await s.stop();
  });

  it('marks a message the backend refuses for good as rejected and goes on with its stream', async () => {
    const store = new OutboxStore(db, cipher());
    store.enqueue('rating', 'R', { level: 9 }, 'bad');
    store.enqueue('rating', 'R', { level: 5 }, 'good');
    const { handler, delivered } = backend({ bad: [{ kind: 'rejected', error: '400 invalid level' }] });
    const s = sender(store, handler);
    s.start();
    await s.idle();
    expect(store.get('bad')).toMatchObject({ state: 'rejected', lastError: '400 invalid level' });
    expect(delivered).toEqual(['good']);
    expect(store.counts()).toEqual(expect.arrayContaining([{ kind: 'rating', state: 'rejected', n: 1 }, { kind: 'rating', state: 'delivered', n: 1 }]));
  });

  it('picks up where it left off after a restart, and refuses messages sealed under another key', async () => {
    const first = new OutboxStore(db, cipher());
    first.enqueue('billPosting', 'P', { orderId: 'O-1', amount: 1234 }, 'p1');
    db.close();
    const reopened = openDatabase(dir);
    if (!reopened.ok) throw new Error(reopened.error);
    db = reopened.value;
    const store = new OutboxStore(db, cipher());
    const { handler, delivered } = backend();
    const s = sender(store, handler);
    s.start();
    await s.idle();
    expect(delivered).toEqual(['p1']);
    expect(store.get('p1')?.result).toEqual({ echo: { orderId: 'O-1', amount: 1234 } });

    store.enqueue('rating', 'Q', { level: 4 }, 'q1');
    const rekeyed = new OutboxStore(db, cipher(randomBytes(32).toString('base64')));
    const other = sender(rekeyed, backend().handler);
    other.start();
    await other.idle();
    expect(rekeyed.get('q1')).toMatchObject({ state: 'rejected', lastError: expect.stringContaining('not the configured key') });
  });
});
