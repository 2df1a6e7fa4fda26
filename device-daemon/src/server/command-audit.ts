// What happens to every UI command, recorded three ways: a metric, an audit row (no payloads, so
// nothing personal), and a log line.
import type { Logger } from '../log/logger';
import type { KioskMetrics } from '../ops/metrics';
import type { AuditEntry } from '../store/audit-log';
import type { StorageHealth } from '../store/storage-health';
import type { SessionObserver } from './client-session';
import { failure } from './command-registry';

export function commandObserver(metrics: KioskMetrics, recordAudit: (entry: AuditEntry) => void, log: Logger, storage?: StorageHealth): Omit<SessionObserver, 'onReady' | 'onClosed'> {
  return {
    onThrow(error, command) {
      if (!storage?.failed(error, command)) return undefined;
      // The command's own write failed before anything left the terminal (or its outcome is kept
      // where it was): say so as a value; the log carries the SQLite code, not the payload.
      log.error({ command, code: typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined, free: storage.freeBytes() }, 'storage write failed; command not done');
      return failure('internalError', 'the terminal cannot store this now', 'storageFault');
    },
    onCompletion(record) {
      metrics.commandCompleted(record.command, record.completionCode, record.durationMs / 1000, record.errorCode);
      recordAudit({
        kind: 'command',
        command: record.command,
        device: record.device,
        connectionId: record.connectionId,
        requestId: record.requestId,
        completionCode: record.completionCode,
        durationMs: Math.round(record.durationMs * 1000) / 1000,
        detail: record.errorCode,
      });
      log.info(
        { connectionId: record.connectionId, requestId: record.requestId, command: record.command, device: record.device, completionCode: record.completionCode, ms: Math.round(record.durationMs) },
        'command completed',
      );
    },
    onRefusal(record) {
      metrics.refused(record.reason);
      recordAudit({ kind: 'protocol', command: record.command ?? '(unparsed)', connectionId: record.connectionId, completionCode: record.reason, detail: record.detail });
    },
  };
}
