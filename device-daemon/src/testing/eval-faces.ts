// The face evaluation set lives beside the project (../shared/eval/faces), never inside it: tests
// read it where it is and skip, saying why, when a clone has no such folder beside it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findProjectRoot } from '../paths';

export const EVAL_FACES_DIR = resolve(findProjectRoot(import.meta.dirname), '..', 'shared', 'eval', 'faces');

export const evalFacesPresent = existsSync(join(EVAL_FACES_DIR, 'identities.csv'));

export const EVAL_FACES_SKIP_REASON = `the face evaluation set is not at ${join('..', 'shared', 'eval', 'faces')} beside the project`;

export function evalFace(file: string): string {
  return join(EVAL_FACES_DIR, file);
}
