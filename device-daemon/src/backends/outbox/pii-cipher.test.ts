import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from './pii-cipher';

const cipherOf = (key: Buffer): PiiCipher => {
  const c = PiiCipher.fromBase64(key.toString('base64'));
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

describe('PII cipher', () => {
  it('seals and opens; the sealed bytes do not contain the plain text', () => {
    const c = cipherOf(randomBytes(32));
    const plain = Buffer.from('{"name":"林志远","idNumber":"330106198504091230"}');
    const sealed = c.seal(plain, 'row-1');
    expect(sealed.includes(Buffer.from('330106198504091230'))).toBe(false);
    expect(sealed.includes(Buffer.from('林志远'))).toBe(false);
    expect(c.open(sealed, 'row-1')).toEqual({ ok: true, value: plain });
  });

  it('refuses another row, another key, an altered byte and a bad key', () => {
    const key = randomBytes(32);
    const c = cipherOf(key);
    const sealed = c.seal(Buffer.from('secret'), 'row-1');
    expect(c.open(sealed, 'row-2').ok).toBe(false);
    expect(cipherOf(randomBytes(32)).open(sealed, 'row-1').ok).toBe(false);
    const altered = Buffer.from(sealed);
    altered[20] = (altered[20] ?? 0) ^ 1;
    expect(c.open(altered, 'row-1').ok).toBe(false);
    expect(PiiCipher.fromBase64('c2hvcnQ=')).toEqual({ ok: false, error: 'the outbox key must be 32 bytes in base64' });
    expect(cipherOf(key).keyId).toBe(c.keyId);
  });
});
