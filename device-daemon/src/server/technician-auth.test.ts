import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, pinScryptSchema, type KioskConfig } from '../config/schema';
import { silentLogger } from '../log/logger';
import { hashPinScrypt, verifyPin } from './pin-hash';
import { openDatabase } from '../store/database';
import { TechnicianAuth } from './technician-auth';
import { sqliteLockoutStore, type LockoutState, type LockoutStore } from './technician-lockout-store';

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

  it('keeps wrong attempts and the lockout in the database: a restart neither resets the count nor ends the lock', async () => {
    const opened = openDatabase(join(mkdtempSync(join(tmpdir(), 'kiosk-auth-')), 'data'));
    if (!opened.ok) throw new Error(opened.error);
    const db = opened.value;
    const sha = createHash('sha256').update('246810').digest('hex');
    let now = 5_000_000;
    const start = (): TechnicianAuth => new TechnicianAuth({ technician: technician({ pinSha256: sha }), log: silentLogger(), now: () => now, lockout: sqliteLockoutStore(db) });
    const codes = async (auth: TechnicianAuth, pins: string[]): Promise<string[]> => {
      const out: string[] = [];
      for (const pin of pins) {
        const r = await auth.login(pin, 1);
        out.push(r.ok ? 'ok' : r.error.code);
      }
      return out;
    };
    // Two wrong, a restart, then the third wrong one locks: the count was not reset.
    expect(await codes(start(), ['000001', '000002'])).toEqual(['wrongPin', 'wrongPin']);
    expect(await codes(start(), ['000003'])).toEqual(['lockedOut']);
    // Locked across another restart, even for the right PIN.
    expect(await codes(start(), ['246810'])).toEqual(['lockedOut']);
    now += 60_001;
    const after = start();
    expect(await codes(after, ['246810'])).toEqual(['ok']);
    // A success clears the count for the next daemon too.
    expect(await codes(after, ['000004'])).toEqual(['wrongPin']);
    expect(await codes(start(), ['246810', '000005', '000006'])).toEqual(['ok', 'wrongPin', 'wrongPin']);
    db.close();
  });

  it('a stored lock from a clock that was later set back lasts no longer than lockoutMs from now', async () => {
    const stored: LockoutState = { failures: 0, lockedUntil: 10_000_000 };
    const lockout: LockoutStore = { load: () => stored, save: () => ({ ok: true, value: undefined }) };
    let now = 1_000;
    const auth = new TechnicianAuth({ technician: technician({ pinSha256: createHash('sha256').update('246810').digest('hex') }), log: silentLogger(), now: () => now, lockout });
    expect((await auth.login('246810', 1)).ok).toBe(false);
    now = 1_000 + 60_000;
    expect((await auth.login('246810', 1)).ok).toBe(true);
  });

  it('a lockout the disk cannot take still holds in memory', async () => {
    const lockout: LockoutStore = { load: () => ({ failures: 0, lockedUntil: 0 }), save: () => ({ ok: false, error: 'SQLITE_FULL: database or disk is full' }) };
    const auth = new TechnicianAuth({ technician: technician({ pinSha256: createHash('sha256').update('246810').digest('hex') }), log: silentLogger(), now: () => 0, lockout });
    const codes = [];
    for (const pin of ['000001', '000002', '000003', '246810']) {
      const r = await auth.login(pin, 1);
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['wrongPin', 'wrongPin', 'lockedOut', 'lockedOut']);
  });

  it('without a PIN technician mode stays shut', async () => {
    const auth = new TechnicianAuth({ technician: technician({}), log: silentLogger() });
    const refused = await auth.login('246810', 1);
    expect(!refused.ok && refused.error.code).toBe('noPin');
  });
});
