// The technician PIN as provisioning stores it: scrypt (RFC 7914) parameters and result.
import { z } from 'zod';

const base64Bytes = (min: number, max: number) => z.base64().refine((v) => Buffer.from(v, 'base64').length >= min && Buffer.from(v, 'base64').length <= max, `${min} to ${max} bytes in base64`);

/** scrypt parameters and result; N a power of two, memory 128·N·r bytes kept under 256 MiB. */
export const pinScryptSchema = z
  .strictObject({
    salt: base64Bytes(16, 64),
    N: z.int().min(1 << 14).max(1 << 20).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.int().min(1).max(16),
    p: z.int().min(1).max(4),
    hash: base64Bytes(32, 64),
  })
  .refine((s) => 128 * s.N * s.r <= 256 * 1024 * 1024, { message: 'scrypt memory (128·N·r) over 256 MiB', path: ['N'] });
export type PinScrypt = z.infer<typeof pinScryptSchema>;
