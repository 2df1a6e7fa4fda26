// Face.Verify: the 1:1 check over the WebSocket. Prompts and challenges go to the requester as
// solicited events; the completion carries the decision and nothing biometric.
import { reasonOf } from '../core/deadline';
import { commandError, failure, success, type CommandHandler } from '../server/command-registry';
import type { FaceService } from './face-service';

export function faceCommands(service: FaceService): [CommandHandler<'Face.Verify'>] {
  return [
    {
      name: 'Face.Verify',
      device: (payload) => service.faceCamera(payload.camera)?.name,
      async handle({ payload, signal, emitEvent }) {
        const result = await service.verify(
          payload.reference,
          payload.camera,
          {
            prompt: (prompt, face) => emitEvent('Face.PromptEvent', face ? { prompt, face } : { prompt }),
            challenge: (event, count) => emitEvent('Face.ChallengeEvent', { index: event.index, count, challenge: event.challenge, state: event.kind, ...(event.kind === 'failed' ? { reason: event.reason } : {}) }),
          },
          signal,
        );
        if (result.ok) return success(result.value);
        if (result.error.code === 'canceled') return signal.aborted && reasonOf(signal).kind === 'timeout' ? failure('timeOut', result.error.message) : failure('canceled', result.error.message);
        return commandError(result.error.code, result.error.message);
      },
    },
  ];
}
