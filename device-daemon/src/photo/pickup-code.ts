// The pickup code on an ID photo receipt and its sheet: six characters an elderly resident can read
// out to staff, without the look-alikes 0/O and 1/I.
import { randomInt } from 'node:crypto';

export const PICKUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function pickupCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < 6; i += 1) code += PICKUP_ALPHABET[random(PICKUP_ALPHABET.length)];
  return code;
}
