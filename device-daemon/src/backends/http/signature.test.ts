import { describe, expect, it } from 'vitest';
import { NonceWindow, sign, verify } from './signature';

describe('message signatures', () => {
  const secret = 'shared-secret-for-tests';
  const now = Date.parse('2026-11-22T02:00:00Z');

  it('accepts what was signed, once, and refuses changes, stale times and replays', () => {
    const headers = sign(secret, 'POST', '/v1/pay', '{"a":1}', now, 'nonce-1');
    const nonces = new NonceWindow();
    expect(verify(secret, 'POST', '/v1/pay', '{"a":1}', headers, nonces, now + 1000)).toBeUndefined();
    expect(verify(secret, 'POST', '/v1/pay', '{"a":1}', headers, nonces, now + 1000)).toBe('replayed');
    expect(verify(secret, 'POST', '/v1/pay', '{"a":2}', headers, new NonceWindow(), now)).toBe('mismatch');
    expect(verify(secret, 'POST', '/v1/refund', '{"a":1}', headers, new NonceWindow(), now)).toBe('mismatch');
    expect(verify('another-secret', 'POST', '/v1/pay', '{"a":1}', headers, new NonceWindow(), now)).toBe('mismatch');
    expect(verify(secret, 'POST', '/v1/pay', '{"a":1}', headers, new NonceWindow(), now + 301_000)).toBe('stale');
    expect(verify(secret, 'POST', '/v1/pay', '{"a":1}', {}, new NonceWindow(), now)).toBe('missing');
  });

  it('forgets nonces older than its window', () => {
    const window = new NonceWindow(1000);
    expect(window.admit('n', 0)).toBe(true);
    expect(window.admit('n', 500)).toBe(false);
    expect(window.admit('m', 2000)).toBe(true);
    expect(window.admit('n', 2000)).toBe(true);
  });
});
