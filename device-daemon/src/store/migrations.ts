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
  {
    version: 3,
    name: 'outbox',
    sql: `
      -- Messages to the backends (submissions, ratings, supervision events, bill postings): written
      -- before they are sent, kept until acknowledged, in order per stream (one transaction).
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        stream TEXT NOT NULL,
        kind TEXT NOT NULL,
        key_id TEXT NOT NULL,
        payload BLOB,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        result TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
      CREATE INDEX outbox_stream ON outbox (stream, seq);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
    `,
  },
  {
    version: 4,
    name: 'payments',
    sql: `
      CREATE TABLE payment_orders (
        order_id TEXT PRIMARY KEY,
        method TEXT NOT NULL CHECK (method IN ('native', 'micropay')),
        utility TEXT NOT NULL,
        account TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        state TEXT NOT NULL CHECK (state IN ('CREATED', 'PAYING', 'SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED')),
        wallet TEXT,
        code_tail TEXT,
        qr_content TEXT,
        gateway_trade_no TEXT,
        uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
        deadline_at INTEGER NOT NULL,
        posting TEXT NOT NULL DEFAULT 'none' CHECK (posting IN ('none', 'queued', 'posted', 'rejected')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        paid_at TEXT,
        final_at TEXT
      ) STRICT;
      CREATE INDEX payment_orders_open ON payment_orders (created_at) WHERE state IN ('CREATED', 'PAYING');
      CREATE INDEX payment_orders_day ON payment_orders (created_at);
      -- Every state change of an order, recorded in the same transaction as the change.
      CREATE TABLE payment_transitions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL REFERENCES payment_orders (order_id),
        from_state TEXT,
        to_state TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX payment_transitions_order ON payment_transitions (order_id, id);
      CREATE TRIGGER payment_transitions_no_update BEFORE UPDATE ON payment_transitions
        BEGIN SELECT RAISE(ABORT, 'payment_transitions is append-only'); END;
      CREATE TRIGGER payment_transitions_no_delete BEFORE DELETE ON payment_transitions
        BEGIN SELECT RAISE(ABORT, 'payment_transitions is append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'platform',
    sql: `
      -- The township's service list as last synced, so the kiosk works while the platform is down.
      CREATE TABLE catalogue_cache (
        region TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        body TEXT NOT NULL,
        synced_at TEXT NOT NULL
      ) STRICT;
      -- Submissions by tracking number; their content lives (sealed) in the outbox until delivered.
      CREATE TABLE submissions (
        tracking_number TEXT PRIMARY KEY,
        item_code TEXT NOT NULL,
        acceptance TEXT NOT NULL CHECK (acceptance IN ('complete', 'tolerated')),
        outbox_id TEXT NOT NULL REFERENCES outbox (id),
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'self-tests',
    sql: `
      -- Technicians' self-tests (kioskctl selftest, the UI's technician mode): the last of each
      -- device and level is shown in /v1/status. Texts name devices and states, never a person.
      CREATE TABLE self_tests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('internal', 'external', 'interactive')),
        outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'skipped')),
        text TEXT NOT NULL,
        at TEXT NOT NULL,
        duration_ms REAL NOT NULL
      ) STRICT;
      CREATE INDEX self_tests_latest ON self_tests (device, level, id);
    `,
  },
  {
    version: 7,
    name: 'technician lockout',
    sql: `
      -- The technician PIN's wrong attempts and lockout, one row, so a restart does not end a lockout.
      CREATE TABLE technician_lockout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL CHECK (failures >= 0),
        locked_until INTEGER NOT NULL CHECK (locked_until >= 0)
      ) STRICT;
    `,
  },
];
