// The resident behind a card read: what the platform needs to know of them, taken from the reader's
// session (the UI never holds it), and whether they proved it is them with a face check.
import { err, ok, type Result } from '../../core/result';
import type { CardSession } from '../../devices/id-card-reader/id-card-reader';

/** What is needed of a card reader: the session of a read while the card is there. */
export interface SessionSource {
  session(readId: string): CardSession | undefined;
}

export interface Resident {
  readonly readId: string;
  readonly name: string;
  readonly idNumber: string;
  readonly sex: string;
  readonly birthDate: string;
  readonly address: string;
}

export interface ResidentLookup {
  readonly readers: ReadonlyMap<string, SessionSource>;
  /** True when the holder of this read passed a face check; absent: no face check is required. */
  readonly verified?: (readId: string) => boolean;
}

export type ResidentProblem = { readonly code: 'noReference' | 'notVerified'; readonly message: string };

export function residentOf(lookup: ResidentLookup, readId: string): Result<Resident, ResidentProblem> {
  let session: CardSession | undefined;
  for (const reader of lookup.readers.values()) session ??= reader.session(readId);
  if (!session) return err({ code: 'noReference', message: 'the card of that read is no longer on the reader' });
  if (lookup.verified && !lookup.verified(readId)) return err({ code: 'notVerified', message: 'the card holder has not passed a face check' });
  const { record } = session;
  return ok({ readId, name: record.name || record.englishName || '', idNumber: record.idNumber, sex: record.sex, birthDate: record.birthDate, address: record.newAddress ?? record.address ?? '' });
}
