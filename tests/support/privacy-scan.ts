// Looks for personal data in bytes: a holder's name, ID number and address in the encodings they
// travel in (UTF-8, the card's UTF-16LE, the printer's GB18030, JSON's \u escapes), and pictures
// (PNG, WebP, JPEG, their base64, and the ID card's WLT photo header), naming the file and offset.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { encodeGb18030 } from '../../device-daemon/src/devices/receipt-printer/encoder/gb18030';

export interface Needle {
  readonly what: string;
  readonly bytes: Buffer;
}

export interface Hit {
  readonly file: string;
  readonly offset: number;
  readonly what: string;
}

const jsonEscaped = (text: string): string => [...text].map((c) => (c.charCodeAt(0) < 0x80 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');

/** Each value in every encoding it could be written in. */
export function needlesFor(values: Record<string, string>): Needle[] {
  const needles: Needle[] = [];
  for (const [label, value] of Object.entries(values)) {
    needles.push({ what: `${label} (UTF-8)`, bytes: Buffer.from(value, 'utf8') });
    needles.push({ what: `${label} (UTF-16LE)`, bytes: Buffer.from(value, 'utf16le') });
    const gb = encodeGb18030(value);
    if (gb.unencodable.length === 0) needles.push({ what: `${label} (GB18030)`, bytes: Buffer.from(gb.bytes) });
    if (/[^\x00-\x7f]/.test(value)) needles.push({ what: `${label} (JSON \\u escapes)`, bytes: Buffer.from(jsonEscaped(value), 'latin1') });
  }
  return needles.filter((n, i) => needles.findIndex((m) => m.bytes.equals(n.bytes)) === i);
}

/** The simulated card's WLT photo starts with this header (virtual-sam.ts). */
export const WLT_HEADER = Buffer.from([0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff, 0x85]);

const IMAGE_NEEDLES: Needle[] = [
  { what: 'PNG signature', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { what: 'WLT photo header', bytes: WLT_HEADER },
  { what: 'PNG in base64', bytes: Buffer.from('iVBORw0KGgo', 'latin1') },
  { what: 'WebP in base64', bytes: Buffer.from('UklGR', 'latin1') },
];

function offsets(haystack: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0 && found.length < 20; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Names, numbers and pictures in one buffer. */
export async function scanBytes(file: string, bytes: Buffer, needles: readonly Needle[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const needle of [...needles, ...IMAGE_NEEDLES]) for (const offset of offsets(bytes, needle.bytes)) hits.push({ file, offset, what: needle.what });
  for (const offset of offsets(bytes, Buffer.from('RIFF', 'latin1'))) {
    if (bytes.subarray(offset + 8, offset + 12).toString('latin1') === 'WEBP') hits.push({ file, offset, what: 'WebP signature' });
  }
  for (const match of bytes.toString('latin1').matchAll(/\/9j\/[24]/g)) hits.push({ file, offset: match.index, what: 'JPEG in base64' });
  // FF D8 FF occurs by chance in sealed (random-looking) bytes: a JPEG is one whose header decodes.
  let checked = 0;
  for (const offset of offsets(bytes, Buffer.from([0xff, 0xd8, 0xff]))) {
    if ((checked += 1) > 200) break;
    const info = await sharp(bytes.subarray(offset, offset + 4 * 1024 * 1024)).metadata().catch(() => undefined);
    if (info?.format === 'jpeg' && (info.width ?? 0) > 0) hits.push({ file, offset, what: `JPEG ${info.width}x${info.height}` });
  }
  return hits;
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile() || statSync(path).isFile()) files.push(path);
  }
  return files;
}

export async function scanTree(dir: string, needles: readonly Needle[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const file of filesUnder(dir)) hits.push(...(await scanBytes(relative(dir, file), readFileSync(file), needles)));
  return hits;
}

export const describeHits = (hits: readonly Hit[]): string[] => hits.map((h) => `${h.file} @${h.offset}: ${h.what}`);
