// The technician PIN at rest: scrypt with a random salt (what provisioning writes), or the plain
// sha256 the development configuration carries. Verification compares in constant time, and scrypt
// runs on libuv's thread pool so a login never stalls the daemon.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PinScrypt } from '../config/schema';

/** About 100 ms and 32 MiB on a kiosk's CPU: slow enough against guessing a copied file's PIN. */
export const DEFAULT_SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

function scryptAsync(pin: string, salt: Buffer, keyLength: number, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r or Node refuses the parameters.
    scrypt(pin, salt, keyLength, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPinScrypt(pin: string, params: { N: number; r: number; p: number } = DEFAULT_SCRYPT, salt: Buffer = randomBytes(DEFAULT_SCRYPT.saltLength)): Promise<PinScrypt> {
  const hash = await scryptAsync(pin, salt, DEFAULT_SCRYPT.keyLength, params);
  return { salt: salt.toString('base64'), N: params.N, r: params.r, p: params.p, hash: hash.toString('base64') };
}

export interface StoredPin {
  readonly pinScrypt?: PinScrypt | undefined;
  readonly pinSha256?: string | undefined;
}

/** undefined: no PIN is provisioned. pinScrypt wins when both are present. */
export async function verifyPin(pin: string, stored: StoredPin): Promise<boolean | undefined> {
  if (stored.pinScrypt) {
    const expected = Buffer.from(stored.pinScrypt.hash, 'base64');
    const actual = await scryptAsync(pin, Buffer.from(stored.pinScrypt.salt, 'base64'), expected.length, stored.pinScrypt);
    return timingSafeEqual(actual, expected);
  }
  if (stored.pinSha256) {
    return timingSafeEqual(createHash('sha256').update(pin, 'utf8').digest(), Buffer.from(stored.pinSha256, 'hex'));
  }
  return undefined;
}
