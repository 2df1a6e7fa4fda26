// The ops API's handle on a simulated camera's scene (POST /v1/simulator/<camera>).
import { z } from 'zod';
import { formatIssues } from '../../../config/load-config';
import { err } from '../../../core/result';
import type { SimulatorControl } from '../../../ops/ops-server';
import { GESTURES, type FaceScene } from './face-scene';

const picture = z.string().min(1).max(4096);

const controlSchema = z.discriminatedUnion('action', [
  /** A person steps up: a fixture face picture, alive (sways, can turn and blink). */
  z.strictObject({ action: z.literal('show'), image: picture }),
  /** A photo held still in front of the lens: the same frame, over and over. */
  z.strictObject({ action: z.literal('still'), image: picture }),
  /** Someone else takes the person's place, at once. */
  z.strictObject({ action: z.literal('swap'), image: picture }),
  z.strictObject({ action: z.literal('perform'), gesture: z.enum(GESTURES), afterMs: z.int().min(0).max(10_000).optional() }),
  z.strictObject({ action: z.literal('leave') }),
  z.strictObject({ action: z.literal('code'), format: z.enum(['qr', 'code128', 'ean13']), text: z.string().min(1).max(512) }),
  /** The camera stops sending frames (a stalled or unplugged UVC device), and starts again. */
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
]);

export function sceneControl(scene: FaceScene): SimulatorControl {
  return {
    async apply(body) {
      const parsed = controlSchema.safeParse(body);
      if (!parsed.success) return err(formatIssues(parsed.error.issues));
      return scene.control(parsed.data);
    },
    state: () => scene.state(),
  };
}
