// Secrets for local tools (kioskctl, the UI dev server) in the data directory: owner-only, replaced
// atomically so a reader never sees half a token.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';

export function writeSecret(path: string, value: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, value + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
