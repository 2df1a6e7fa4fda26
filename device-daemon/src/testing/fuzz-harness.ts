// A small seeded fuzz harness: runs a target for N inputs from a seed and records how it went
// (inputs, throws with a reproducible copy of the input, the slowest input, heap at start, middle
// and end after a full GC). Parsers of outside bytes must answer every input with a value, so any
// throw, from the parser or from a property the target checks, counts as a failure.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seededRandom } from './seeded-random';

export type Random = () => number;

export interface FuzzTarget<T> {
  readonly name: string;
  /** One input from the random source. */
  generate(random: Random): T;
  /** Feeds the input to the parser and checks what came back; throws on a failure. */
  check(input: T): void | Promise<void>;
  /** The input in a form that reproduces it (hex, base64 or JSON). */
  show(input: T): string;
  /** Once before the run (a temp file, a module to load), and once after. */
  setup?(): void | Promise<void>;
  teardown?(): void | Promise<void>;
}

export interface FuzzFailure {
  readonly index: number;
  readonly message: string;
  readonly input: string;
}

export interface FuzzReport {
  readonly name: string;
  readonly seed: number;
  readonly inputs: number;
  readonly throws: number;
  /** The first few failures, with their inputs. */
  readonly failures: readonly FuzzFailure[];
  readonly slowestMs: number;
  readonly heapMb: { readonly start: number; readonly middle: number; readonly end: number };
  readonly seconds: number;
  /** True when the heap was measured after a full collection. */
  readonly gc: boolean;
}

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  /** Called about every `progressMs` with the inputs run so far (the script's watchdog listens). */
  readonly onProgress?: (inputs: number) => void;
  readonly progressMs?: number;
}

/** A full GC: global.gc under --expose-gc, else one obtained by turning the flag on at run time. */
function findGc(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') {
    const gc = globalThis.gc;
    return () => void gc();
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return () => void gc();
  } catch {
    // No way to collect: heap figures are then only indicative.
  }
  return undefined;
}

function heapMb(gc: (() => void) | undefined): number {
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

const MAX_KEPT_FAILURES = 5;

export async function runFuzz<T>(target: FuzzTarget<T>, options: FuzzOptions): Promise<FuzzReport> {
  const gc = findGc();
  await target.setup?.();
  const random = seededRandom(options.seed);
  const failures: FuzzFailure[] = [];
  let throws = 0;
  let slowestMs = 0;
  const start = heapMb(gc);
  let middle = start;
  const began = performance.now();
  let lastProgress = began;
  const progressMs = options.progressMs ?? 1000;
  for (let i = 0; i < options.runs; i += 1) {
    if (i === Math.floor(options.runs / 2)) middle = heapMb(gc);
    // Now and then a turn of the event loop, as the daemon has between inputs: finalizers and
    // timers run, so that what they release is not counted as growth.
    if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
    let input: T | undefined;
    const t0 = performance.now();
    try {
      input = target.generate(random);
      const pending = target.check(input);
      if (pending !== undefined) await pending;
    } catch (error) {
      throws += 1;
      if (failures.length < MAX_KEPT_FAILURES) {
        failures.push({ index: i, message: error instanceof Error ? (error.stack ?? error.message) : String(error), input: input === undefined ? '(generator threw)' : safeShow(target, input) });
      }
    }
    const t1 = performance.now();
    if (t1 - t0 > slowestMs) slowestMs = t1 - t0;
    if (options.onProgress && t1 - lastProgress >= progressMs) {
      lastProgress = t1;
      options.onProgress(i + 1);
    }
  }
  const seconds = (performance.now() - began) / 1000;
  await target.teardown?.();
  const end = heapMb(gc);
  return { name: target.name, seed: options.seed, inputs: options.runs, throws, failures, slowestMs, heapMb: { start, middle, end }, seconds, gc: gc !== undefined };
}

/** A target with its input type hidden, so that targets of different inputs share one list. */
export interface FuzzEntry {
  readonly name: string;
  run(options: FuzzOptions): Promise<FuzzReport>;
}

export function fuzzEntry<T>(target: FuzzTarget<T>): FuzzEntry {
  return { name: target.name, run: (options) => runFuzz(target, options) };
}

function safeShow<T>(target: FuzzTarget<T>, input: T): string {
  try {
    return target.show(input);
  } catch {
    return '(input could not be shown)';
  }
}

/** Fails a check with a message. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// ---- generators ----------------------------------------------------------------------------

export const int = (random: Random, below: number): number => Math.floor(random() * below);

export function pick<V>(random: Random, values: readonly V[]): V {
  const value = values[int(random, values.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x0a, 0x0d, 0x20];

export function randomBytes(random: Random, maxLength: number): Uint8Array {
  const length = int(random, maxLength + 1);
  const out = new Uint8Array(length);
  const style = random();
  for (let i = 0; i < length; i += 1) out[i] = style < 0.7 ? int(random, 256) : style < 0.85 ? pick(random, INTERESTING_BYTES) : 0x20 + int(random, 0x5f);
  return out;
}

/** One to four edits of a sample: bit flips, inserted, deleted or duplicated bytes, interesting values, truncation, huge lengths. */
export function mutateBytes(random: Random, sample: Uint8Array): Uint8Array {
  const out = Array.from(sample);
  const edits = 1 + int(random, 4);
  for (let e = 0; e < edits; e += 1) {
    const at = int(random, out.length + 1);
    const op = int(random, 8);
    if (op === 0 && out.length > 0) out[at % out.length] = (out[at % out.length] ?? 0) ^ (1 << int(random, 8));
    else if (op === 1) out.splice(at, 0, int(random, 256));
    else if (op === 2) out.splice(at, 1 + int(random, 4));
    else if (op === 3 && out.length > 0) out.splice(at, 0, ...out.slice(at, at + 1 + int(random, 16)));
    else if (op === 4 && out.length > 0) out[at % out.length] = pick(random, INTERESTING_BYTES);
    else if (op === 5) out.length = int(random, out.length + 1);
    else if (op === 6 && out.length > 1) {
      // A length field blown up: two bytes of 0xff or 0x7f somewhere.
      const value = pick(random, [0xff, 0x7f, 0x80]);
      out[at % out.length] = value;
      out[(at + 1) % out.length] = value;
    } else out.splice(at, 0, ...Array.from(randomBytes(random, 8)));
  }
  return Uint8Array.from(out);
}

/** The start of one sample followed by the end of another. */
export function spliceBytes(random: Random, a: Uint8Array, b: Uint8Array): Uint8Array {
  const head = a.subarray(0, int(random, a.length + 1));
  const tail = b.subarray(int(random, b.length + 1));
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

/** A valid sample, a mutation of one, a splice of two, or random bytes. */
export function bytesFrom(random: Random, samples: readonly Uint8Array[], maxRandom: number): Uint8Array {
  const kind = random();
  if (kind < 0.15) return pick(random, samples).slice();
  if (kind < 0.7) return mutateBytes(random, pick(random, samples));
  if (kind < 0.85) return spliceBytes(random, pick(random, samples), pick(random, samples));
  return randomBytes(random, maxRandom);
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

const ODD_STRINGS = ['', ' ', '\u0000', '__proto__', 'constructor', 'prototype', 'toString', '\ud800', '\uffff', '长期', '0', '-1', '1e309', 'NaN', 'null', 'true', '{}', '[]', '\n', 'A'.repeat(300)];
const ODD_NUMBERS = [0, -0, 1, -1, 0.5, 255, 256, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21];
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

export function randomString(random: Random, maxLength = 40): string {
  const style = random();
  if (style < 0.3) return pick(random, ODD_STRINGS);
  if (style < 0.31) return 'x'.repeat(int(random, 100_000));
  const length = int(random, maxLength + 1);
  let out = '';
  for (let i = 0; i < length; i += 1) {
    const r = random();
    out += String.fromCharCode(r < 0.6 ? 0x20 + int(random, 0x5f) : r < 0.8 ? 0x4e00 + int(random, 0x51a5) : r < 0.9 ? int(random, 0x20) : int(random, 0x10000));
  }
  return out;
}

/** A random JSON value (as JSON.parse would give it), up to `depth` levels deep. */
export function randomJson(random: Random, depth = 4): unknown {
  const kind = depth <= 0 ? int(random, 5) : int(random, 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return random() < 0.5 ? pick(random, ODD_NUMBERS) * (random() < 0.5 ? 1 : -1) : int(random, 1000);
    case 3:
    case 4:
      return randomString(random);
    case 5:
      return Array.from({ length: int(random, 5) }, () => randomJson(random, depth - 1));
    default:
      return randomObject(random, depth - 1);
  }
}

function randomObject(random: Random, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = int(random, 6);
  for (let k = 0; k < keys; k += 1) setOwn(out, random() < 0.2 ? pick(random, POLLUTING_KEYS) : randomString(random, 12), randomJson(random, depth));
  return out;
}

/** As JSON.parse does: "__proto__" becomes an own key, not the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Nested arrays or objects `levels` deep (a stack-depth probe). */
export function deepJson(random: Random, levels: number): unknown {
  let value: unknown = randomJson(random, 0);
  for (let i = 0; i < levels; i += 1) value = random() < 0.5 ? [value] : { a: value };
  return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of a valid JSON value with one to three edits at random places: a value of the wrong
 * type, a key removed or added (prototype-pollution names among them), a huge string or array,
 * deep nesting.
 */
export function mutateJson(random: Random, sample: unknown): unknown {
  let value = structuredClone(sample);
  const edits = 1 + int(random, 3);
  for (let e = 0; e < edits; e += 1) value = editSomewhere(random, value);
  return value;
}

function editSomewhere(random: Random, value: unknown): unknown {
  if (Array.isArray(value) && value.length > 0 && random() < 0.7) {
    const i = int(random, value.length);
    value[i] = editSomewhere(random, value[i]);
    return value;
  }
  if (isRecord(value) && random() < 0.75) {
    const keys = Object.keys(value);
    const op = int(random, 4);
    if (keys.length > 0 && op <= 1) {
      const key = pick(random, keys);
      setOwn(value, key, editSomewhere(random, value[key]));
      return value;
    }
    if (keys.length > 0 && op === 2) {
      Reflect.deleteProperty(value, pick(random, keys));
      return value;
    }
    setOwn(value, random() < 0.4 ? pick(random, POLLUTING_KEYS) : randomString(random, 12), randomJson(random, 2));
    return value;
  }
  const op = random();
  // Huge strings and arrays and deep nesting are rare, so that a long run stays fast.
  if (op < 0.02) return 'y'.repeat(int(random, 300_000));
  // Small elements: a huge array of a huge value would be gigabytes of JSON.
  if (op < 0.04) return Array.from({ length: int(random, 20_000) }, () => (random() < 0.5 ? 'z' : 0));
  if (op < 0.06) return deepJson(random, int(random, 3000));
  if (op < 0.6) return randomJson(random, 2);
  if (typeof value === 'number') return pick(random, ODD_NUMBERS);
  if (typeof value === 'string') return value.slice(0, int(random, value.length + 1)) + randomString(random, 4);
  return [value];
}

/** A JSON text: valid, valid with bytes changed, or cut. */
export function mutateJsonText(random: Random, text: string): string {
  const op = int(random, 4);
  if (op === 0) return text.slice(0, int(random, text.length + 1));
  if (op === 1) {
    const at = int(random, text.length + 1);
    return text.slice(0, at) + pick(random, ['{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', 'null', '1e999', '-']) + text.slice(at);
  }
  if (op === 2) return Buffer.from(mutateBytes(random, Buffer.from(text, 'utf8'))).toString('utf8');
  return text;
}
