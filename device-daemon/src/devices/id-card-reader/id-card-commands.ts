// IdCard.Read: reads the card on the reader through its queue and answers with what the screen
// may show. The full record and the photo stay in the reader's session for the other services.
import { failure, success, type CommandHandler } from '../../server/command-registry';
import type { IdCardReader } from './id-card-reader';
import { maskCard } from './masking';

export function idCardCommands(readers: ReadonlyMap<string, IdCardReader>): [CommandHandler<'IdCard.Read'>] {
  const pick = (name: string | undefined): IdCardReader | undefined => (name === undefined ? readers.values().next().value : readers.get(name));
  return [
    {
      name: 'IdCard.Read',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload, signal }) {
        const reader = pick(payload.device);
        if (!reader) return failure('invalidData', payload.device === undefined ? 'this terminal has no ID card reader' : `there is no reader named ${payload.device}`);
        const queued = await reader.queue.run((jobSignal) => reader.read(jobSignal, payload.fingerprint ?? false), signal);
        if (!queued.ok) return failure(queued.error.kind === 'timeout' ? 'timeOut' : 'canceled', queued.error.message);
        const read = queued.value;
        if (!read.ok) {
          const { completionCode, errorCode, description } = read.error;
          return completionCode === 'commandErrorCode' ? { completionCode, errorCode, errorDescription: description } : failure(completionCode, description, errorCode);
        }
        const session = read.value;
        return success({
          readId: session.readId,
          card: maskCard(session.record, session.expired),
          checks: session.checks,
          photo: session.photo ? { available: true } : { available: false, reason: session.photoError?.message ?? 'no photo' },
          fingerprint: { present: session.fingerprint !== undefined },
        });
      },
    },
  ];
}
