import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../paths';
import { loadFaceModels, loadModel } from './model-loader';

const models = join(findProjectRoot(import.meta.dirname), 'models');

function folderWith(files: Record<string, Uint8Array | 'copy'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-models-'));
  copyFileSync(join(models, 'manifest.json'), join(dir, 'manifest.json'));
  for (const [name, content] of Object.entries(files)) {
    if (content === 'copy') copyFileSync(join(models, name), join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('model loader', () => {
  it('loads a model whose bytes match the manifest', async () => {
    const session = await loadModel('blazeface-front', { dir: models, threads: 1 });
    expect(session.ok && session.value.inputNames).toEqual(['input']);
  });

  it('refuses a model whose sha256 does not match, naming the file', async () => {
    const bytes = Uint8Array.from(readFileSync(join(models, 'blazeface-front.onnx')));
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    const dir = folderWith({ 'blazeface-front.onnx': bytes });
    const loaded = await loadFaceModels({ dir, threads: 1 });
    expect(loaded.ok ? 'loaded' : loaded.error).toMatch(/^model file blazeface-front\.onnx does not match models\/manifest\.json \(sha256 [0-9a-f]{12}…, expected e5880e231405…\): run npm run models$/);
  });

  it('names a missing model file, and a manifest that is not one', async () => {
    const dir = folderWith({ 'blazeface-front.onnx': 'copy' });
    const loaded = await loadFaceModels({ dir, threads: 1 });
    expect(loaded.ok ? 'loaded' : loaded.error).toBe('model file facemesh.onnx is missing: run npm run models');
    writeFileSync(join(dir, 'manifest.json'), '{"models": 3}');
    const bad = await loadModel('facemesh', { dir, threads: 1 });
    expect(bad.ok ? 'loaded' : bad.error).toMatch(/manifest\.json does not fit the manifest schema: models/);
  });
});
