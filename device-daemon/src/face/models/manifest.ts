// models/manifest.json: for every model the project uses, where it comes from, its licence, what it
// takes and gives, and the sha256 its conversion must produce.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { err, ok, type Result } from '../../core/result';

const tensorSchema = z.object({ name: z.string(), shape: z.array(z.union([z.number(), z.string()])), layout: z.string().optional(), description: z.string().optional() });

export const modelEntrySchema = z.object({
  name: z.string(),
  file: z.string().regex(/^[a-z0-9-]+\.onnx$/),
  source: z.object({ package: z.string(), version: z.string(), integrity: z.string(), files: z.array(z.string()) }),
  licence: z.string(),
  inputs: z.array(tensorSchema),
  outputs: z.array(tensorSchema),
  normalisation: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const manifestSchema = z.object({ models: z.array(modelEntrySchema) });
export type Manifest = z.infer<typeof manifestSchema>;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function readManifest(path: string): Result<Manifest, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    return err(`${path} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  return manifest.success ? ok(manifest.data) : err(`${path} does not fit the manifest schema: ${manifest.error.issues.map((i) => i.path.join('.')).join(', ')}`);
}
