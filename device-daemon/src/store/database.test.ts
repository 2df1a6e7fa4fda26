import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log';
import { DATABASE_FILE, migrate, openDatabase } from './database';
import { MIGRATIONS } from './migrations';

const freshDir = (): string => join(mkdtempSync(join(tmpdir(), 'kiosk-db-')), 'data');

describe('openDatabase', () => {
  it('creates the data directory and database owner-only, in WAL mode, migrated', () => {
    const dir = freshDir();
    const opened = openDatabase(dir);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const db = opened.value;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'audit log' },
      { version: 2, name: 'print jobs' },
      { version: 3, name: 'outbox' },
      { version: 4, name: 'payments' },
      { version: 5, name: 'platform' },
      { version: 6, name: 'self-tests' },
      { version: 7, name: 'technician lockout' },
    ]);
    db.close();
    const again = openDatabase(dir);
    expect(again.ok).toBe(true);
    if (again.ok) again.value.close();
  });

  it('refuses a database from a newer daemon', () => {
    const dir = freshDir();
    const opened = openDatabase(dir, [...MIGRATIONS, { version: 99, name: 'future', sql: 'CREATE TABLE future (x INTEGER)' }]);
    if (opened.ok) opened.value.close();
    const older = openDatabase(dir);
    expect(older.ok ? 'opened' : older.error).toMatch(/schema version 99 is newer than this daemon knows \(7\)/);
  });

  it('applies each migration once', () => {
    const opened = openDatabase(freshDir());
    if (!opened.ok) throw new Error(opened.error);
    expect(migrate(opened.value, MIGRATIONS)).toEqual({ ok: true, value: 7 });
    expect(opened.value.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 7 });
    opened.value.close();
  });

  it('overwrites what is deleted or cleared, so it cannot be read back from the file', () => {
    const dir = freshDir();
    const opened = openDatabase(dir);
    if (!opened.ok) throw new Error(opened.error);
    const db = opened.value;
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    // As the outbox does once an entry is delivered: its payload set to NULL in place.
    const marker = 'SEALED-PAYLOAD-MARKER-'.repeat(20);
    db.exec('CREATE TABLE sealed (id INTEGER PRIMARY KEY, payload TEXT)');
    db.prepare('INSERT INTO sealed (id, payload) VALUES (1, ?), (2, ?)').run(marker, marker);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir, DATABASE_FILE)).includes(marker)).toBe(true);
    db.prepare('UPDATE sealed SET payload = NULL WHERE id = 1').run();
    db.prepare('DELETE FROM sealed WHERE id = 2').run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir, DATABASE_FILE)).includes('SEALED-PAYLOAD-MARKER')).toBe(false);
    db.close();
  });
});

describe('AuditLog', () => {
  it('appends rows and refuses to change or delete them', () => {
    const opened = openDatabase(freshDir());
    if (!opened.ok) throw new Error(opened.error);
    const db = opened.value;
    const audit = new AuditLog(db);
    expect(audit.append({ kind: 'command', command: 'Printer.PrintRaw', device: 'receiptPrinter', connectionId: 1, requestId: 7, completionCode: 'success', durationMs: 12.5 }).ok).toBe(true);
    expect(audit.recent(1)[0]).toMatchObject({ command: 'Printer.PrintRaw', device: 'receiptPrinter', requestId: 7, completionCode: 'success', durationMs: 12.5, detail: null });
    expect(() => db.prepare("UPDATE audit_log SET command = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('reports a failed write as a value', () => {
    const opened = openDatabase(freshDir());
    if (!opened.ok) throw new Error(opened.error);
    const audit = new AuditLog(opened.value);
    opened.value.close();
    const written = audit.append({ kind: 'lifecycle', command: 'daemon.stop' });
    expect(written.ok).toBe(false);
  });
});
