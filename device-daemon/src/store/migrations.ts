// Schema migrations, applied in order, each once, each in its own transaction. Append new ones at
// the end; never edit one that has shipped.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit log',
    sql: `
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        command TEXT NOT NULL,
        device TEXT,
        connection_id INTEGER,
        request_id INTEGER,
        completion_code TEXT,
        duration_ms REAL,
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      -- Append-only: rows are never changed or removed by the application.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'print jobs',
    sql: `
      CREATE TABLE print_jobs (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'pending', 'printed', 'failed')),
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        reprint INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
        bytes BLOB,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        printed_at TEXT
      ) STRICT;
      CREATE INDEX print_jobs_open ON print_jobs (device, created_at) WHERE state IN ('queued', 'printing', 'pending');
    `,
  },
];
