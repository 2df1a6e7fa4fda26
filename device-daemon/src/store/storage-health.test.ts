import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StorageHealth, storageFaultOf, type StorageEvent } from './storage-health';

/** A real SQLITE_FULL: an in-memory database capped at a few pages, filled. */
function sqliteFullError(): unknown {
  const db = new Database(':memory:');
  db.pragma('max_page_count = 8');
  db.exec('CREATE TABLE t (b BLOB)');
  try {
    for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('the capped database never filled');
}

describe('storageFaultOf', () => {
  it('names SQLite and file system storage faults, and nothing else', () => {
    expect(storageFaultOf(sqliteFullError())).toBe('full');
    const withCode = (code: string): Error => Object.assign(new Error(code), { code });
    expect(storageFaultOf(withCode('SQLITE_IOERR_WRITE'))).toBe('io');
    expect(storageFaultOf(withCode('SQLITE_READONLY_DBMOVED'))).toBe('readOnly');
    expect(storageFaultOf(withCode('ENOSPC'))).toBe('full');
    expect(storageFaultOf(withCode('EROFS'))).toBe('readOnly');
    expect(storageFaultOf(withCode('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storageFaultOf(withCode('ECONNRESET'))).toBeUndefined();
    expect(storageFaultOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(storageFaultOf('SQLITE_FULL')).toBeUndefined();
    expect(storageFaultOf({ code: 7 })).toBeUndefined();
  });
});

describe('StorageHealth', () => {
  const make = (free: { bytes: number | undefined }) => {
    let now = Date.parse('2026-12-07T08:00:00Z');
    const health = new StorageHealth({ dataDir: 'data', minFreeBytes: 1 << 20, now: () => now, freeBytes: () => free.bytes });
    const events: StorageEvent[] = [];
    health.subscribe((event) => events.push(event));
    return { health, events, tick: (ms: number) => (now += ms) };
  };

  it('fails on a storage fault, ignores other errors, and clears on the next write', () => {
    const free = { bytes: 0 };
    const { health, events, tick } = make(free);
    expect(health.failed(new RangeError('a bug'), 'Payment.Create')).toBe(false);
    expect(health.ready()).toBe(true);
    expect(health.failed(sqliteFullError(), 'Payment.Create')).toBe(true);
    tick(5_000);
    expect(health.failed(sqliteFullError(), 'audit log')).toBe(true);
    expect(health.state()).toEqual({ kind: 'failing', fault: 'full', since: '2026-12-07T08:00:00.000Z', where: 'Payment.Create' });
    expect(health.ready()).toBe(false);
    expect(health.faults().get('full')).toBe(2);
    health.wrote();
    expect(health.ready()).toBe(true);
    expect(events.map((e) => (e.kind === 'fault' ? `fault ${e.fault}` : `changed ${e.state.kind}`))).toEqual(['fault full', 'changed failing', 'fault full', 'changed ok']);
  });

  it('counts a full disk as back once enough is free, without waiting for a write', () => {
    const free = { bytes: 4096 as number | undefined };
    const { health } = make(free);
    health.failed(sqliteFullError(), 'Platform.Submit');
    expect(health.ready()).toBe(false);
    free.bytes = undefined;
    expect(health.ready()).toBe(false);
    free.bytes = 2 << 20;
    expect(health.ready()).toBe(true);
  });

  it('does not count free space as a cure for an I/O error or a read-only disk', () => {
    const free = { bytes: 1 << 30 };
    const { health } = make(free);
    health.failed(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC' }), 'audit log');
    expect(health.ready()).toBe(false);
    expect(health.state()).toMatchObject({ kind: 'failing', fault: 'io' });
    health.wrote();
    expect(health.ready()).toBe(true);
  });
});
