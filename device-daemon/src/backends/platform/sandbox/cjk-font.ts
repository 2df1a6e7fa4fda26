// The CJK font the sandbox writes certificates with: Noto Sans CJK SC from Debian's fonts-noto-cjk,
// found through fontconfig (the face inside the .ttc is named by its PostScript name).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../../../core/result';

export interface FontFace {
  readonly path: string;
  readonly postscriptName: string;
}

const FALLBACK: FontFace = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' };

export function findCjkFont(family = 'Noto Sans CJK SC'): Result<FontFace, string> {
  try {
    const found = execFileSync('fc-match', ['-f', '%{file}|%{postscriptname}', family], { encoding: 'utf8', timeout: 5_000 }).trim();
    const [path, postscriptName] = found.split('|');
    if (path && postscriptName && existsSync(path) && /CJK/i.test(postscriptName)) return ok({ path, postscriptName });
  } catch {
    // No fontconfig: try Debian's path below.
  }
  if (existsSync(FALLBACK.path)) return ok(FALLBACK);
  return err(`no CJK font found for ${family}: install fonts-noto-cjk`);
}
