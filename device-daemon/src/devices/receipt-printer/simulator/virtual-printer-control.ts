// The ops API's handle on a virtual printer: JSON requests, validated, turned into controls.
import { z } from 'zod';
import { formatIssues } from '../../../config/load-config';
import { err, ok } from '../../../core/result';
import type { SimulatorControl } from '../../../ops/ops-server';
import type { VirtualPrinter } from './virtual-printer';

const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('paper'), paper: z.enum(['full', 'nearEnd', 'out']) }),
  z.strictObject({ action: z.literal('paperRunsOut'), afterLines: z.int().min(0).max(10_000) }),
  z.strictObject({ action: z.literal('cover'), open: z.boolean() }),
  z.strictObject({ action: z.literal('cutterError'), on: z.boolean() }),
  z.strictObject({ action: z.literal('unrecoverableError'), on: z.boolean() }),
  z.strictObject({ action: z.literal('responsive'), on: z.boolean() }),
  z.strictObject({ action: z.literal('hold') }),
  z.strictObject({ action: z.literal('release') }),
  z.strictObject({ action: z.literal('unplug') }),
  z.strictObject({ action: z.literal('plug') }),
  z.strictObject({ action: z.literal('tear') }),
]);

export function virtualPrinterControl(printer: VirtualPrinter): SimulatorControl {
  return {
    apply(body) {
      const parsed = controlSchema.safeParse(body);
      if (!parsed.success) return err(formatIssues(parsed.error.issues));
      return ok(printer.control(parsed.data));
    },
    state: () => ({ ...printer.state(), lastLines: printer.lines.slice(-20) }),
  };
}
