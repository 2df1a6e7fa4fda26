import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../paths';
import { EVAL_FACES_DIR, EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../testing/eval-faces';
import { faceCompareCommand, faceEvalCommand, readIdentities } from './face-command';

const context = { projectRoot: findProjectRoot(import.meta.dirname), env: {} };
const work = mkdtempSync(join(tmpdir(), 'kioskctl-face-'));

async function run(command: (out: (line: string) => void) => Promise<number>): Promise<{ code: number; json: Record<string, unknown> }> {
  const lines: string[] = [];
  const code = await command((line) => lines.push(line));
  return { code, json: JSON.parse(lines.join('\n')) as Record<string, unknown> };
}

describe('identities.csv', () => {
  it('needs file and identity columns and plain file names', () => {
    writeFileSync(join(work, 'identities.csv'), 'name,who\na.png,x\n');
    expect(readIdentities(work)).toEqual({ ok: false, error: 'identities.csv needs a header with file and identity columns' });
    writeFileSync(join(work, 'identities.csv'), 'file,identity\n../a.png,x\nb.png,y\n');
    expect(readIdentities(work)).toMatchObject({ ok: false, error: expect.stringContaining('a file name inside the folder') });
  });
});

describe.skipIf(!evalFacesPresent)(`kioskctl face${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  it('compares two pictures of one person, and of two people', async () => {
    const same = await run((out) => faceCompareCommand(evalFace('raj_1.png'), evalFace('raj_4.png'), context, out));
    expect(same.code).toBe(0);
    expect(same.json).toMatchObject({ faces: [1, 1], threshold: 0.6, match: true });
    expect(same.json['score']).toBeLessThan(0.6);
    const different = await run((out) => faceCompareCommand(evalFace('raj_1.png'), evalFace('penny_2.png'), context, out));
    expect(different.json).toMatchObject({ faces: [1, 1], match: false });
    expect(different.json['score']).toBeGreaterThan(0.6);
  });

  it('finds a tight crop scaled to any size, JPEG too', async () => {
    const big = join(work, 'raj-big.jpg');
    await sharp(evalFace('raj_1.png')).resize(900, 900).jpeg().toFile(big);
    const result = await run((out) => faceCompareCommand(big, evalFace('raj_2.png'), context, out));
    expect(result.json).toMatchObject({ faces: [1, 1], match: true });
  });

  it('says clearly when a picture is not an image, has no face, or has three', async () => {
    const text = join(work, 'notes.png');
    writeFileSync(text, 'not a picture');
    expect(await run((out) => faceCompareCommand(text, evalFace('raj_1.png'), context, out))).toEqual({
      code: 1,
      json: { faces: [0, 1], score: null, threshold: 0.6, match: false, error: `${text} is not an image` },
    });
    const wall = join(work, 'wall.png');
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c8c0b4' } }).png().toFile(wall);
    expect((await run((out) => faceCompareCommand(evalFace('raj_1.png'), wall, context, out))).json).toMatchObject({ faces: [1, 0], error: `no face found in ${wall}` });
    const group = join(work, 'three.png');
    const faces = await Promise.all(['raj_1.png', 'penny_2.png', 'sheldon_1.png'].map((f) => sharp(evalFace(f)).resize(150, 150).png().toBuffer()));
    await sharp({ create: { width: 600, height: 300, channels: 3, background: '#808080' } })
      .composite(faces.map((input, i) => ({ input, left: 25 + i * 190, top: 75 })))
      .png()
      .toFile(group);
    const three = await run((out) => faceCompareCommand(evalFace('raj_1.png'), group, context, out));
    expect(three).toMatchObject({ code: 1, json: { faces: [1, 3], match: false } });
  });

  it('evaluates the labelled set: AUC at least 0.99', async () => {
    const result = await run((out) => faceEvalCommand(EVAL_FACES_DIR, context, out));
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ images: 40, identities: 8, pairs: { same: 80, different: 700 }, threshold: 0.6, skipped: [] });
    expect(result.json['auc']).toBeGreaterThanOrEqual(0.99);
    expect(result.json['accuracy']).toBeGreaterThanOrEqual(0.98);
  });
});
