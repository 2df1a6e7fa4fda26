// The ops API's handle on a virtual SAM: place and remove cards, switch faults on and off.
import { z } from 'zod';
import { formatIssues } from '../../config/load-config';
import { err, ok } from '../../core/result';
import type { SimulatorControl } from '../../ops/ops-server';
import { VIRTUAL_SAM_FAULTS, type VirtualSam } from './virtual-sam';

const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('place'), card: z.string().max(40) }),
  z.strictObject({ action: z.literal('remove') }),
  z.strictObject({ action: z.literal('fault'), fault: z.enum(VIRTUAL_SAM_FAULTS), on: z.boolean() }),
  z.strictObject({ action: z.literal('clearFaults') }),
  z.strictObject({ action: z.literal('latency'), ms: z.int().min(0).max(60_000) }),
  z.strictObject({ action: z.literal('unplug') }),
  z.strictObject({ action: z.literal('plug') }),
]);

export function virtualSamControl(sam: VirtualSam): SimulatorControl {
  return {
    apply(body) {
      const parsed = controlSchema.safeParse(body);
      if (!parsed.success) return err(formatIssues(parsed.error.issues));
      const applied = sam.control(parsed.data);
      return applied.ok ? ok(applied.value) : applied;
    },
    state: () => sam.state(),
  };
}
