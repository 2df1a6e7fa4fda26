// Splits an ESC/POS byte stream into commands, the way a printer's firmware does: a prefix table of
// command shapes (fixed arguments, length-prefixed blocks, raster images), text runs between them.
// An unknown command is reported and skipped, never fatal. The virtual printer runs on this.

export type EscPosToken =
  | { readonly kind: 'text'; readonly bytes: Uint8Array }
  | { readonly kind: 'command'; readonly name: string; readonly bytes: Uint8Array }
  | { readonly kind: 'unknown'; readonly bytes: Uint8Array };

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/** Bytes that end a text run: control characters and command prefixes. */
const CONTROL = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x18, DLE, ESC, FS, GS]);

type Shape =
  | { readonly name: string; readonly args: number }
  | { readonly name: string; readonly measure: (b: Uint8Array, at: number) => number | undefined };

/** Length of `GS ( x pL pH ...` blocks: 5 header bytes plus pL + 256 pH. */
const lengthPrefixed = (b: Uint8Array, at: number): number | undefined => {
  if (at + 5 > b.length) return undefined;
  return 5 + (b[at + 3] ?? 0) + 256 * (b[at + 4] ?? 0);
};

/** GS v 0 m xL xH yL yH d1..dk, k = (xL + 256 xH) * (yL + 256 yH). */
const rasterImage = (b: Uint8Array, at: number): number | undefined => {
  if (at + 8 > b.length) return undefined;
  const width = (b[at + 4] ?? 0) + 256 * (b[at + 5] ?? 0);
  const height = (b[at + 6] ?? 0) + 256 * (b[at + 7] ?? 0);
  return 8 + width * height;
};

/** GS 8 L p1 p2 p3 p4 ...: a 32-bit length. */
const largeData = (b: Uint8Array, at: number): number | undefined => {
  if (at + 7 > b.length) return undefined;
  return 7 + (b[at + 3] ?? 0) + 256 * (b[at + 4] ?? 0) + 65_536 * (b[at + 5] ?? 0) + 16_777_216 * (b[at + 6] ?? 0);
};

/** ESC * m nL nH d...: bit image, 1 or 3 bytes per column. */
const bitImage = (b: Uint8Array, at: number): number | undefined => {
  if (at + 5 > b.length) return undefined;
  const m = b[at + 2] ?? 0;
  const columns = (b[at + 3] ?? 0) + 256 * (b[at + 4] ?? 0);
  return 5 + columns * (m === 32 || m === 33 ? 3 : 1);
};

/** GS k m ...: barcodes, NUL-terminated (m 0-6) or length-prefixed (m 65-78). */
const barcode = (b: Uint8Array, at: number): number | undefined => {
  if (at + 3 > b.length) return undefined;
  const m = b[at + 2] ?? 0;
  if (m <= 6) {
    const end = b.indexOf(0, at + 3);
    return end < 0 ? undefined : end - at + 1;
  }
  if (at + 4 > b.length) return undefined;
  return 4 + (b[at + 3] ?? 0);
};

/** ESC c n x: ESC c 3/4/5 take one argument. */
const panelOrSensor = (): number => 4;

/** GS V m [n]: functions A (m 0, 1, 48, 49) have no n. */
const cut = (b: Uint8Array, at: number): number | undefined => {
  if (at + 3 > b.length) return undefined;
  const m = b[at + 2] ?? 0;
  return m === 0 || m === 1 || m === 48 || m === 49 ? 3 : 4;
};

const TABLE: ReadonlyMap<number, ReadonlyMap<number, Shape>> = new Map([
  [
    DLE,
    new Map<number, Shape>([
      [0x04, { name: 'DLE EOT', args: 1 }],
      [0x05, { name: 'DLE ENQ', args: 1 }],
      [0x14, { name: 'DLE DC4', args: 3 }],
    ]),
  ],
  [
    ESC,
    new Map<number, Shape>([
      [0x40, { name: 'ESC @', args: 0 }],
      [0x20, { name: 'ESC SP', args: 1 }],
      [0x21, { name: 'ESC !', args: 1 }],
      [0x24, { name: 'ESC $', args: 2 }],
      [0x25, { name: 'ESC %', args: 1 }],
      [0x2a, { name: 'ESC *', measure: bitImage }],
      [0x2d, { name: 'ESC -', args: 1 }],
      [0x3d, { name: 'ESC =', args: 1 }],
      [0x5c, { name: 'ESC \\', args: 2 }],
      [0x56, { name: 'ESC V', args: 1 }],
      [0x63, { name: 'ESC c', measure: panelOrSensor }],
      [0x72, { name: 'ESC r', args: 1 }],
      [0x32, { name: 'ESC 2', args: 0 }],
      [0x33, { name: 'ESC 3', args: 1 }],
      [0x45, { name: 'ESC E', args: 1 }],
      [0x47, { name: 'ESC G', args: 1 }],
      [0x4a, { name: 'ESC J', args: 1 }],
      [0x4d, { name: 'ESC M', args: 1 }],
      [0x54, { name: 'ESC T', args: 1 }],
      [0x52, { name: 'ESC R', args: 1 }],
      [0x61, { name: 'ESC a', args: 1 }],
      [0x64, { name: 'ESC d', args: 1 }],
      [0x70, { name: 'ESC p', args: 3 }],
      [0x74, { name: 'ESC t', args: 1 }],
      [0x7b, { name: 'ESC {', args: 1 }],
    ]),
  ],
  [
    GS,
    new Map<number, Shape>([
      [0x21, { name: 'GS !', args: 1 }],
      [0x24, { name: 'GS $', args: 2 }],
      [0x28, { name: 'GS (', measure: lengthPrefixed }],
      [0x38, { name: 'GS 8', measure: largeData }],
      [0x2f, { name: 'GS /', args: 1 }],
      [0x49, { name: 'GS I', args: 1 }],
      [0x50, { name: 'GS P', args: 2 }],
      [0x5c, { name: 'GS \\', args: 2 }],
      [0x66, { name: 'GS f', args: 1 }],
      [0x6b, { name: 'GS k', measure: barcode }],
      [0x42, { name: 'GS B', args: 1 }],
      [0x48, { name: 'GS H', args: 1 }],
      [0x4c, { name: 'GS L', args: 2 }],
      [0x56, { name: 'GS V', measure: cut }],
      [0x57, { name: 'GS W', args: 2 }],
      [0x61, { name: 'GS a', args: 1 }],
      [0x68, { name: 'GS h', args: 1 }],
      [0x72, { name: 'GS r', args: 1 }],
      [0x76, { name: 'GS v 0', measure: rasterImage }],
      [0x77, { name: 'GS w', args: 1 }],
    ]),
  ],
  [
    FS,
    new Map<number, Shape>([
      [0x26, { name: 'FS &', args: 0 }],
      [0x2e, { name: 'FS .', args: 0 }],
      [0x21, { name: 'FS !', args: 1 }],
      [0x2d, { name: 'FS -', args: 1 }],
      [0x43, { name: 'FS C', args: 1 }],
      [0x53, { name: 'FS S', args: 2 }],
      [0x57, { name: 'FS W', args: 1 }],
    ]),
  ],
]);

const SINGLE: ReadonlyMap<number, string> = new Map([
  [0x09, 'HT'],
  [0x0a, 'LF'],
  [0x0c, 'FF'],
  [0x0d, 'CR'],
  [0x18, 'CAN'],
]);

export interface ParseStep {
  /** How many bytes this token covers; 0 means "incomplete, wait for more bytes". */
  readonly consumed: number;
  readonly token?: EscPosToken;
}

/** Reads one token at `at`. */
export function nextToken(b: Uint8Array, at: number): ParseStep {
  const first = b[at];
  if (first === undefined) return { consumed: 0 };
  const single = SINGLE.get(first);
  if (single) return { consumed: 1, token: { kind: 'command', name: single, bytes: b.subarray(at, at + 1) } };
  const table = TABLE.get(first);
  if (!table) {
    let end = at;
    while (end < b.length && !CONTROL.has(b[end] ?? 0)) end += 1;
    return { consumed: end - at, token: { kind: 'text', bytes: b.subarray(at, end) } };
  }
  const second = b[at + 1];
  if (second === undefined) return { consumed: 0 };
  const shape = table.get(second);
  if (!shape) return { consumed: 2, token: { kind: 'unknown', bytes: b.subarray(at, at + 2) } };
  const length = 'args' in shape ? 2 + shape.args : shape.measure(b, at);
  if (length === undefined || at + length > b.length) return { consumed: 0 };
  return { consumed: length, token: { kind: 'command', name: shape.name, bytes: b.subarray(at, at + length) } };
}
