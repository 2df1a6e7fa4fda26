// The daemon's durable state: one SQLite file in the data directory, WAL journal, synchronous=FULL
// (a kiosk loses power; a committed payment or submission must survive it), migrations on open.
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result';
import { MIGRATIONS, type Migration } from './migrations';

export type KioskDatabase = Database.Database;

export const DATABASE_FILE = 'kiosk.sqlite';

export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Result<KioskDatabase, string> {
  let db: KioskDatabase | undefined;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, DATABASE_FILE);
    db = new Database(path);
    chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted rows (delivered outbox entries hold sealed personal data) are overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    const migrated = migrate(db, migrations);
    if (!migrated.ok) {
      db.close();
      return migrated;
    }
    return ok(db);
  } catch (cause) {
    db?.close();
    return err(`database in ${dataDir} cannot be opened: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function migrate(db: KioskDatabase, migrations: readonly Migration[]): Result<number, string> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get();
  const current = row?.version ?? 0;
  const newest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > newest) {
    return err(`database schema version ${current} is newer than this daemon knows (${newest}); refusing to downgrade`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
  return ok(newest);
}
