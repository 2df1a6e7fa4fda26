// Per-boot UI token and bearer-token checks. Comparisons hash both sides first so that
// timingSafeEqual sees equal lengths and the time taken says nothing about the secret.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A checker against a known secret's sha256, so the secret itself need not be kept. */
export function tokenChecker(expectedSha256Hex: string): (presented: string) => boolean {
  const expected = Buffer.from(expectedSha256Hex, 'hex');
  return (presented) => timingSafeEqual(createHash('sha256').update(presented, 'utf8').digest(), expected);
}
