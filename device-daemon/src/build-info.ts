// Build information written by scripts/build.mjs next to the bundle; informative only.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BuildInfo } from './ops/metrics';

const buildInfoSchema = z.object({ version: z.string().max(64), revision: z.string().max(64) });

export function readBuildInfo(path: string): BuildInfo {
  try {
    if (existsSync(path)) {
      const parsed = buildInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // An unreadable file is reported as an unknown build below.
  }
  return { version: '0.0.0-dev', revision: 'unknown' };
}
