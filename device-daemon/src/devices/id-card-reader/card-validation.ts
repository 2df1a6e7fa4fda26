// Checks a decoded card: number format and GB 11643 check digit, birth date and sex against the
// number, real calendar dates, expiry against today. An expired card is reported as expired, not
// refused. Which failures make the data unusable depends on the layout: the number structure of
// foreigners' cards is published less fully than the citizen number, so fewer checks bind there.
import type { CardChecks, CardType, CheckResult } from '../../protocol';
import type { CardText } from './card-text';
import type { CardRecord, ValidatedCard } from './card-record';
import { birthDigits, CITIZEN_NUMBER, gb11643Valid, PERMIT_2017_NUMBER, sexDigitMatches } from './id-number';
import { NATIONS, SEXES } from './nations';

export const LONG_TERM = '长期';

/** YYYYMMDD to YYYY-MM-DD when it is a real calendar date. */
export function realDate(yyyymmdd: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Today's date where the card was issued and is used. */
export function todayInChina(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const BINDING: Record<CardType, readonly (keyof CardChecks)[]> = {
  resident: ['idNumberFormat', 'idNumberCheckDigit', 'birthDateMatchesNumber', 'sexMatchesNumber', 'datesValid'],
  hmtPermit: ['idNumberFormat', 'idNumberCheckDigit', 'birthDateMatchesNumber', 'sexMatchesNumber', 'datesValid'],
  foreignPermanent2023: ['idNumberFormat', 'idNumberCheckDigit', 'datesValid'],
  foreignPermanent2017: ['idNumberFormat', 'datesValid'],
};

const result = (ok: boolean | undefined): CheckResult => (ok === undefined ? 'notApplicable' : ok ? 'pass' : 'fail');

function numberFormat(text: CardText): boolean {
  switch (text.type) {
    case 'resident':
      return CITIZEN_NUMBER.test(text.idNumber) && /^[1-8]/.test(text.idNumber);
    case 'hmtPermit':
      return CITIZEN_NUMBER.test(text.idNumber) && /^8[123]/.test(text.idNumber);
    case 'foreignPermanent2023':
      return CITIZEN_NUMBER.test(text.idNumber) && text.idNumber.startsWith('9');
    case 'foreignPermanent2017':
      // Three letters for the nationality, then twelve digits.
      return PERMIT_2017_NUMBER.test(text.idNumber) && text.idNumber.slice(0, 3) === text.nationality;
  }
}

export function validateCard(text: CardText, photo: Uint8Array, today: string): ValidatedCard {
  const citizenStyle = text.type !== 'foreignPermanent2017';
  const birthDate = realDate(text.birth);
  const validFrom = realDate(text.validFrom);
  const longTerm = text.validTo === LONG_TERM;
  const validTo = longTerm ? LONG_TERM : realDate(text.validTo);
  const sexKnown = SEXES.has(text.sexCode);
  const datesValid =
    birthDate !== undefined &&
    validFrom !== undefined &&
    validTo !== undefined &&
    birthDate <= validFrom &&
    (validTo === LONG_TERM || validFrom < validTo);
  const checks: CardChecks = {
    idNumberFormat: result(numberFormat(text)),
    idNumberCheckDigit: result(citizenStyle ? gb11643Valid(text.idNumber) : undefined),
    birthDateMatchesNumber: result(citizenStyle ? birthDigits(text.idNumber) === text.birth : undefined),
    sexMatchesNumber: result(!sexKnown ? false : citizenStyle ? sexDigitMatches(text.idNumber, text.sexCode) : undefined),
    datesValid: result(datesValid),
    notExpired: result(validTo === undefined ? undefined : validTo === LONG_TERM || today <= validTo),
    nationCodeKnown: result(text.type === 'resident' ? NATIONS.has(text.nationCode ?? '') : undefined),
    photoHeader: result(photo.length === 1024 && photo[0] === 0x57 && photo[1] === 0x4c && photo[2] === 0x66),
  };
  const problems: string[] = [];
  if (!sexKnown) problems.push(`sex code "${text.sexCode.slice(0, 4)}" is not 0, 1, 2 or 9`);
  for (const name of BINDING[text.type]) if (checks[name] === 'fail' && !(name === 'sexMatchesNumber' && !sexKnown)) problems.push(`${name} failed`);
  const record: CardRecord = {
    type: text.type,
    name: text.name,
    sex: SEXES.get(text.sexCode) ?? text.sexCode,
    sexCode: text.sexCode,
    birthDate: birthDate ?? text.birth,
    idNumber: text.idNumber,
    validFrom: validFrom ?? text.validFrom,
    validTo: validTo ?? text.validTo,
    ...(text.englishName !== undefined ? { englishName: text.englishName } : {}),
    ...(text.nationCode !== undefined ? { nationCode: text.nationCode, nation: NATIONS.get(text.nationCode) ?? `未知(${text.nationCode})` } : {}),
    ...(text.address !== undefined ? { address: text.address } : {}),
    ...(text.authority !== undefined ? { authority: text.authority } : {}),
    ...(text.authorityCode !== undefined ? { authorityCode: text.authorityCode } : {}),
    ...(text.passNumber !== undefined ? { passNumber: text.passNumber } : {}),
    ...(text.issueCount !== undefined ? { issueCount: text.issueCount } : {}),
    ...(text.nationality !== undefined ? { nationality: text.nationality } : {}),
    ...(text.cardVersion !== undefined ? { cardVersion: text.cardVersion } : {}),
    ...(text.renewalCount !== undefined ? { renewalCount: text.renewalCount } : {}),
    ...(text.previousNumberLink !== undefined ? { previousNumberLink: text.previousNumberLink } : {}),
  };
  return { record, checks, expired: checks.notExpired === 'fail', problems };
}
