// What the resident's screen may show of a card before the holder is confirmed: the surname,
// the first three and last four characters of the number, the year of birth.
import type { MaskedCard } from '../../protocol';
import type { CardRecord } from './card-record';

export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Latin names: the first letter of each word. */
export function maskLatinName(name: string): string {
  return name.replace(/\p{L}+/gu, (word) => word[0] + '*'.repeat(Array.from(word).length - 1));
}

export function maskNumber(number: string): string {
  const chars = Array.from(number);
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

export function maskCard(record: CardRecord, expired: boolean): MaskedCard {
  return {
    type: record.type,
    name: record.name ? maskName(record.name) : maskLatinName(record.englishName ?? ''),
    ...(record.englishName ? { englishName: maskLatinName(record.englishName) } : {}),
    sex: record.sex,
    idNumber: maskNumber(record.idNumber),
    birthYear: record.birthDate.slice(0, 4),
    validFrom: record.validFrom,
    validTo: record.validTo,
    expired,
  };
}
