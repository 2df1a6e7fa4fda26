import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSchema, pinScryptSchema, type KioskConfig } from '../config/schema';
import { silentLogger } from '../log/logger';
import { hashPinScrypt, verifyPin } from './pin-hash';
import { TechnicianAuth } from './technician-auth';

// The smallest work factor the schema allows keeps these tests quick; the format is the same.
const CHEAP = { N: 1 << 14, r: 8, p: 1 };

function technician(overrides: Partial<KioskConfig['technician']>): KioskConfig['technician'] {
  return { maxAttempts: 3, lockoutMs: 60_000, sessionMs: 120_000, selfTestWaitMs: 60_000, selfTestPrintMs: 60_000, ...overrides };
}

describe('the technician PIN at rest', () => {
  it('scrypt: the right PIN verifies, another does not, and the stored form passes the configuration schema', async () => {
    const stored = await hashPinScrypt('470215', CHEAP);
    expect(pinScryptSchema.safeParse(stored).success).toBe(true);
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(await verifyPin('470215', { pinScrypt: stored })).toBe(true);
    expect(await verifyPin('470216', { pinScrypt: stored })).toBe(false);
    // Salted: the same PIN hashes differently each time.
    expect((await hashPinScrypt('470215', CHEAP)).hash).not.toBe(stored.hash);
  });

  it('keeps the development sha256 working, prefers scrypt when both are set, and says when there is none', async () => {
    const sha = createHash('sha256').update('246810').digest('hex');
    expect(await verifyPin('246810', { pinSha256: sha })).toBe(true);
    expect(await verifyPin('246811', { pinSha256: sha })).toBe(false);
    const scrypt = await hashPinScrypt('470215', CHEAP);
    expect(await verifyPin('246810', { pinSha256: sha, pinScrypt: scrypt })).toBe(false);
    expect(await verifyPin('470215', { pinSha256: sha, pinScrypt: scrypt })).toBe(true);
    expect(await verifyPin('470215', {})).toBeUndefined();
  });

  it('the schema refuses weak or malformed scrypt parameters', () => {
    const base = { salt: Buffer.alloc(16, 1).toString('base64'), N: 1 << 15, r: 8, p: 1, hash: Buffer.alloc(32, 2).toString('base64') };
    expect(pinScryptSchema.safeParse(base).success).toBe(true);
    expect(pinScryptSchema.safeParse({ ...base, N: 1 << 10 }).success).toBe(false);
    expect(pinScryptSchema.safeParse({ ...base, N: 30_000 }).success).toBe(false);
    expect(pinScryptSchema.safeParse({ ...base, salt: Buffer.alloc(8).toString('base64') }).success).toBe(false);
    expect(configSchema.shape.technician.safeParse({ pinScrypt: { ...base, extra: 1 } }).success).toBe(false);
  });
});

describe('technician login', () => {
  it('locks out after maxAttempts wrong PINs, refuses even the right PIN while locked, and opens again after the lockout', async () => {
    let now = 1_000_000;
    const auth = new TechnicianAuth({ technician: technician({ pinScrypt: await hashPinScrypt('470215', CHEAP) }), log: silentLogger(), now: () => now });
    const first = await auth.login('111111', 1);
    expect(first).toEqual({ ok: false, error: { code: 'wrongPin', message: 'wrong PIN (2 tries left)' } });
    expect((await auth.login('111112', 1)).ok).toBe(false);
    const third = await auth.login('111113', 1);
    expect(!third.ok && third.error.code).toBe('lockedOut');
    const right = await auth.login('470215', 1);
    expect(!right.ok && right.error.code).toBe('lockedOut');
    expect(auth.isLoggedIn(1)).toBe(false);
    now += 60_001;
    const after = await auth.login('470215', 1);
    expect(after).toEqual({ ok: true, value: { expiresAt: now + 120_000 } });
  });

  it('concurrent attempts cannot both slip under the lockout', async () => {
    const auth = new TechnicianAuth({ technician: technician({ pinScrypt: await hashPinScrypt('470215', CHEAP) }), log: silentLogger(), now: () => 0 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => auth.login(`11111${i}`, i)));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['wrongPin', 'wrongPin', 'lockedOut', 'lockedOut', 'lockedOut']);
  });

  it('a session belongs to its connection, ends at expiry or logout', async () => {
    let now = 0;
    const auth = new TechnicianAuth({ technician: technician({ pinSha256: createHash('sha256').update('246810').digest('hex') }), log: silentLogger(), now: () => now });
    expect((await auth.login('246810', 7)).ok).toBe(true);
    expect(auth.isLoggedIn(7)).toBe(true);
    expect(auth.isLoggedIn(8)).toBe(false);
    now = 119_999;
    expect(auth.isLoggedIn(7)).toBe(true);
    now = 120_000;
    expect(auth.isLoggedIn(7)).toBe(false);
    expect((await auth.login('246810', 8)).ok).toBe(true);
    auth.logout(8);
    expect(auth.isLoggedIn(8)).toBe(false);
  });

  it('without a PIN technician mode stays shut', async () => {
    const auth = new TechnicianAuth({ technician: technician({}), log: silentLogger() });
    const refused = await auth.login('246810', 1);
    expect(!refused.ok && refused.error.code).toBe('noPin');
  });
});
