// The append-only audit log of commands and their results. It holds names, codes and timings only:
// never a payload, so no personal data can reach it.
import { err, OK_VOID, type Result } from '../core/result';
import type { KioskDatabase } from './database';
import { storageFaultOf, type StorageFault } from './storage-health';

export interface AuditWriteError {
  readonly message: string;
  /** Set when the write met a full, failing or read-only disk rather than a bug. */
  readonly fault: StorageFault | undefined;
  readonly cause: unknown;
}

export interface AuditEntry {
  readonly kind: 'command' | 'protocol' | 'lifecycle' | 'print';
  readonly command: string;
  readonly device?: string | undefined;
  readonly connectionId?: number | undefined;
  readonly requestId?: number | undefined;
  readonly completionCode?: string | undefined;
  readonly durationMs?: number | undefined;
  /** Non-personal detail, e.g. an error code or the reason a message was refused. */
  readonly detail?: string | undefined;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly kind: string;
  readonly command: string;
  readonly device: string | null;
  readonly connectionId: number | null;
  readonly requestId: number | null;
  readonly completionCode: string | null;
  readonly durationMs: number | null;
  readonly detail: string | null;
}

export class AuditLog {
  readonly #insert;
  readonly #recent;

  constructor(db: KioskDatabase) {
    this.#insert = db.prepare(
      `INSERT INTO audit_log (at, kind, command, device, connection_id, request_id, completion_code, duration_ms, detail)
       VALUES (@at, @kind, @command, @device, @connectionId, @requestId, @completionCode, @durationMs, @detail)`,
    );
    this.#recent = db.prepare<[number], AuditRow>(
      `SELECT id, at, kind, command, device, connection_id AS connectionId, request_id AS requestId,
              completion_code AS completionCode, duration_ms AS durationMs, detail
       FROM audit_log ORDER BY id DESC LIMIT ?`,
    );
  }

  /** Fails as a value (disk full, database locked): the command it records has already completed. */
  append(entry: AuditEntry): Result<void, AuditWriteError> {
    try {
      this.#insert.run({
        at: new Date().toISOString(),
        kind: entry.kind,
        command: entry.command,
        device: entry.device ?? null,
        connectionId: entry.connectionId ?? null,
        requestId: entry.requestId ?? null,
        completionCode: entry.completionCode ?? null,
        durationMs: entry.durationMs ?? null,
        detail: entry.detail?.slice(0, 500) ?? null,
      });
      return OK_VOID;
    } catch (cause) {
      return err({ message: cause instanceof Error ? cause.message : String(cause), fault: storageFaultOf(cause), cause });
    }
  }

  recent(limit: number): AuditRow[] {
    return this.#recent.all(limit);
  }
}
