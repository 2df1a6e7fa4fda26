// How this terminal's daemon runs have ended: a start is counted in the database, and counted as
// unclean when the previous run never wrote its daemon.stop to the audit log (a crash, a watchdog
// kill, lost power). Read once at start, before this run writes its own daemon.start.
import { nextCounter } from './counters';
import type { KioskDatabase } from './database';

export interface DaemonStarts {
  /** Starts on this database, this one included. */
  readonly starts: number;
  /** Starts that followed a run which did not stop cleanly, this one included if it did. */
  readonly uncleanStarts: number;
  readonly previousRun: 'none' | 'clean' | 'unclean';
}

export function recordDaemonStart(db: KioskDatabase): DaemonStarts {
  return db.transaction((): DaemonStarts => {
    const last = db
      .prepare<[], { command: string }>("SELECT command FROM audit_log WHERE kind = 'lifecycle' AND command IN ('daemon.start', 'daemon.stop') ORDER BY id DESC LIMIT 1")
      .get();
    const previousRun = last === undefined ? 'none' : last.command === 'daemon.stop' ? 'clean' : 'unclean';
    const starts = nextCounter(db, 'daemon.starts');
    const uncleanStarts =
      previousRun === 'unclean' ? nextCounter(db, 'daemon.uncleanStarts') : (db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?').get('daemon.uncleanStarts')?.value ?? 0);
    return { starts, uncleanStarts, previousRun };
  })();
}
