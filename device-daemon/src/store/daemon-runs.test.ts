import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log';
import { openDatabase } from './database';
import { recordDaemonStart } from './daemon-runs';

describe('recordDaemonStart', () => {
  it('counts starts, and as unclean those after a run that never wrote daemon.stop', () => {
    const opened = openDatabase(join(mkdtempSync(join(tmpdir(), 'kiosk-runs-')), 'data'));
    if (!opened.ok) throw new Error(opened.error);
    const db = opened.value;
    const audit = new AuditLog(db);
    const run = (stopCleanly: boolean): ReturnType<typeof recordDaemonStart> => {
      const starts = recordDaemonStart(db);
      audit.append({ kind: 'lifecycle', command: 'daemon.start' });
      audit.append({ kind: 'command', command: 'Common.Status', completionCode: 'success' });
      // Other lifecycle rows (a self-test, say) do not decide how a run ended.
      audit.append({ kind: 'lifecycle', command: 'selftest' });
      if (stopCleanly) audit.append({ kind: 'lifecycle', command: 'daemon.stop' });
      return starts;
    };
    expect(run(true)).toEqual({ starts: 1, uncleanStarts: 0, previousRun: 'none' });
    expect(run(false)).toEqual({ starts: 2, uncleanStarts: 0, previousRun: 'clean' });
    expect(run(false)).toEqual({ starts: 3, uncleanStarts: 1, previousRun: 'unclean' });
    expect(run(true)).toEqual({ starts: 4, uncleanStarts: 2, previousRun: 'unclean' });
    expect(run(true)).toEqual({ starts: 5, uncleanStarts: 2, previousRun: 'clean' });
    db.close();
  });
});
