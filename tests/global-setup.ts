// Cross-process tests run the built daemon and UI: build whatever is out of date first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed; see above');
}
