// Identity numbers: the GB 11643 citizen number (also used by residence permits and the 2023
// permanent residence card) and the 2017 permanent residence card number.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export const CITIZEN_NUMBER = /^\d{17}[\dX]$/;

/** The MOD 11-2 check character of the first 17 digits. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

export function gb11643Valid(number: string): boolean {
  return CITIZEN_NUMBER.test(number) && gb11643CheckChar(number.slice(0, 17)) === number[17];
}

/** Birth date in the number, digits 7 to 14, as YYYYMMDD. */
export function birthDigits(number: string): string {
  return number.slice(6, 14);
}

/** Digit 17 is odd for men and even for women. */
export function sexDigitMatches(number: string, sexCode: string): boolean | undefined {
  if (sexCode !== '1' && sexCode !== '2') return undefined;
  const digit = Number(number[16]);
  return (digit % 2 === 1) === (sexCode === '1');
}

/** 2017 permanent residence card: three letters (the nationality) and twelve digits. */
export const PERMIT_2017_NUMBER = /^[A-Z]{3}\d{12}$/;
