// kioskctl face compare A B: two pictures (JPEG or PNG, any size; tight crops are padded) through
// the daemon's own pipeline, with the configured threshold. kioskctl face eval DIR: every pair of a
// labelled folder (identities.csv: file,identity), with ROC AUC, TAR at FAR 1% and accuracy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load-config';
import { err, ok, type Result } from '../core/result';
import { FaceAnalyzer } from '../face/face-analyzer';
import { allPairs, evaluate } from '../face/evaluation';
import { decodeImage, wipe } from '../face/image';
import { loadFaceModels } from '../face/model-loader';
import { distance } from '../face/recognizer';

export interface FaceCommandContext {
  readonly projectRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** --threshold, over the configured one. */
  readonly threshold?: number | undefined;
}

interface Described {
  readonly faces: number;
  readonly descriptor?: Float32Array;
  readonly error?: string;
}

async function setUp(context: FaceCommandContext): Promise<Result<{ analyzer: FaceAnalyzer; threshold: number }, string>> {
  const config = loadConfig({ defaultPath: join(context.projectRoot, 'config', 'default.json'), overridePath: context.env['KIOSK_CONFIG'], env: context.env });
  if (!config.ok) return config;
  const models = await loadFaceModels({ dir: config.value.face.modelsDir ?? join(context.projectRoot, 'models'), threads: config.value.face.threads });
  if (!models.ok) return models;
  return ok({ analyzer: new FaceAnalyzer(models.value), threshold: context.threshold ?? config.value.face.threshold });
}

/** One picture: how many faces, and the descriptor when there is exactly one. */
async function describeFile(analyzer: FaceAnalyzer, path: string): Promise<Described> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { faces: 0, error: `${path} cannot be read` };
  }
  const image = await decodeImage(bytes);
  if (!image.ok) return { faces: 0, error: `${path} is not an image` };
  try {
    const analysis = await analyzer.analyse(image.value, { tightCrop: true, eyes: false });
    const faces = analysis.detections.length;
    const face = analysis.faces[0];
    if (faces === 0 || !face) return { faces: 0, error: `no face found in ${path}` };
    if (faces > 1) return { faces, error: `${faces} faces in ${path}: give a picture of one person` };
    const descriptor = await analyzer.describe(analysis.image, face);
    if (analysis.image !== image.value) wipe(analysis.image);
    return { faces, descriptor };
  } finally {
    wipe(image.value);
  }
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

export async function faceCompareCommand(a: string, b: string, context: FaceCommandContext, out: (line: string) => void): Promise<number> {
  const ready = await setUp(context);
  if (!ready.ok) {
    out(JSON.stringify({ error: ready.error }));
    return 1;
  }
  const { analyzer, threshold } = ready.value;
  const first = await describeFile(analyzer, a);
  const second = await describeFile(analyzer, b);
  try {
    if (!first.descriptor || !second.descriptor) {
      out(JSON.stringify({ faces: [first.faces, second.faces], score: null, threshold, match: false, error: first.error ?? second.error }));
      return 1;
    }
    const score = distance(first.descriptor, second.descriptor);
    out(JSON.stringify({ faces: [first.faces, second.faces], score: round(score), threshold, match: score <= threshold }));
    return 0;
  } finally {
    first.descriptor?.fill(0);
    second.descriptor?.fill(0);
  }
}

const identitiesSchema = z.array(z.object({ file: z.string().regex(/^[^/\\]+$/, 'a file name inside the folder'), identity: z.string().min(1) })).min(2);

export function readIdentities(dir: string): Result<Array<{ file: string; identity: string }>, string> {
  let text: string;
  try {
    text = readFileSync(join(dir, 'identities.csv'), 'utf8');
  } catch {
    return err(`${join(dir, 'identities.csv')} cannot be read`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const fileColumn = header.indexOf('file');
  const identityColumn = header.indexOf('identity');
  if (fileColumn < 0 || identityColumn < 0) return err('identities.csv needs a header with file and identity columns');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    return { file: cells[fileColumn] ?? '', identity: cells[identityColumn] ?? '' };
  });
  const parsed = identitiesSchema.safeParse(rows);
  return parsed.success ? ok(parsed.data) : err(`identities.csv: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}

export async function faceEvalCommand(dir: string, context: FaceCommandContext, out: (line: string) => void): Promise<number> {
  const rows = readIdentities(dir);
  if (!rows.ok) {
    out(JSON.stringify({ error: rows.error }));
    return 1;
  }
  const ready = await setUp(context);
  if (!ready.ok) {
    out(JSON.stringify({ error: ready.error }));
    return 1;
  }
  const { analyzer, threshold } = ready.value;
  const described: Array<{ identity: string; descriptor: Float32Array }> = [];
  const skipped: Array<{ file: string; reason: string }> = [];
  for (const row of rows.value) {
    const result = await describeFile(analyzer, join(dir, row.file));
    if (result.descriptor) described.push({ identity: row.identity, descriptor: result.descriptor });
    else skipped.push({ file: row.file, reason: result.error ?? 'no face' });
  }
  const scores = allPairs(described).map(([x, y]) => ({ same: x.identity === y.identity, distance: distance(x.descriptor, y.descriptor) }));
  for (const d of described) d.descriptor.fill(0);
  const figures = evaluate(scores, threshold);
  out(
    JSON.stringify({
      images: rows.value.length,
      identities: new Set(rows.value.map((r) => r.identity)).size,
      pairs: figures.pairs,
      auc: round(figures.auc),
      tarAtFar1: round(figures.tarAtFar1),
      thresholdAtFar1: round(figures.thresholdAtFar1),
      threshold,
      accuracy: round(figures.accuracy),
      falseAccepts: figures.falseAccepts,
      falseRejects: figures.falseRejects,
      skipped,
    }),
  );
  return skipped.length > 0 ? 3 : 0;
}
