// Personal data waiting in the outbox is sealed with AES-256-GCM under a key from the provisioned
// configuration (never stored in the database). Each sealed value is bound to its row: moved to
// another row, it no longer opens.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../../core/result';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class PiiCipher {
  /** A short fingerprint of the key, stored beside each value: a value sealed under another key is named, not garbled. */
  readonly keyId: string;

  private constructor(private readonly key: Buffer) {
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  /** From 32 bytes in base64 (the form provisioning writes). */
  static fromBase64(text: string): Result<PiiCipher, string> {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32 || key.toString('base64') !== text.trim()) return err('the outbox key must be 32 bytes in base64');
    return ok(new PiiCipher(key));
  }

  seal(plain: Uint8Array, boundTo: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]);
  }

  open(sealed: Uint8Array, boundTo: string): Result<Buffer, string> {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) return err('not a sealed value');
    const buffer = Buffer.from(sealed);
    const nonce = buffer.subarray(1, 1 + NONCE_BYTES);
    const tag = buffer.subarray(buffer.length - TAG_BYTES);
    const body = buffer.subarray(1 + NONCE_BYTES, buffer.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tag);
      return ok(Buffer.concat([decipher.update(body), decipher.final()]));
    } catch {
      return err('sealed value does not open with this key (another key, or altered)');
    }
  }
}
