// The ops API's handle on the simulated A4 printer: stop its queue (paper out, jammed, paused) and
// start it again, by the state file its stand-in lp/lpstat read; and list what it has printed.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../../config/load-config';
import { err, ok } from '../../core/result';
import type { SimulatorControl } from '../../ops/ops-server';

const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('stop'), reason: z.string().max(120).default('Media empty or out of paper') }),
  z.strictObject({ action: z.literal('start') }),
]);

export function virtualCupsControl(spoolDir: string): SimulatorControl {
  const state = (): { printed: string[] } => ({ printed: existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => f.endsWith('.pdf')).sort() : [] });
  return {
    apply(body) {
      const parsed = controlSchema.safeParse(body);
      if (!parsed.success) return err(formatIssues(parsed.error.issues));
      mkdirSync(spoolDir, { recursive: true });
      writeFileSync(join(spoolDir, 'state.json'), JSON.stringify(parsed.data.action === 'stop' ? { enabled: false, reason: parsed.data.reason } : { enabled: true, reason: '' }));
      return ok(state());
    },
    state,
  };
}
