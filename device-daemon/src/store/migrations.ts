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
];
