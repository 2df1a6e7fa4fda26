// A reader of the Prometheus text exposition format (version 0.0.4), enough for kioskctl to read a
// terminal's /metrics: samples with their labels and values; comments and timestamps are skipped.
// Input from the network: every line is checked, and the number of samples is bounded.
import { err, ok, type Result } from '../core/result';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n' };

function parseValue(token: string): number | undefined {
  if (token === 'NaN') return Number.NaN;
  if (token === '+Inf' || token === 'Inf') return Number.POSITIVE_INFINITY;
  if (token === '-Inf') return Number.NEGATIVE_INFINITY;
  return FLOAT.test(token) ? Number(token) : undefined;
}

function parseLine(line: string): Result<Sample, string> {
  const name = METRIC_NAME.exec(line)?.[0];
  if (!name) return err('no metric name');
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    for (;;) {
      while (line[at] === ' ') at += 1;
      if (line[at] === '}') {
        at += 1;
        break;
      }
      const label = LABEL_NAME.exec(line.slice(at))?.[0];
      if (!label) return err('bad label name');
      at += label.length;
      if (line.slice(at, at + 2) !== '="') return err(`label ${label} has no quoted value`);
      at += 2;
      let value = '';
      for (;;) {
        const c = line[at];
        if (c === undefined) return err(`label ${label}'s value is not closed`);
        at += 1;
        if (c === '"') break;
        if (c === '\\') {
          const escaped = ESCAPES[line[at] ?? ''];
          if (escaped === undefined) return err(`label ${label} has a bad escape`);
          value += escaped;
          at += 1;
        } else {
          value += c;
        }
      }
      if (Object.hasOwn(labels, label)) return err(`label ${label} given twice`);
      labels[label] = value;
      while (line[at] === ' ') at += 1;
      if (line[at] === ',') at += 1;
      else if (line[at] !== '}') return err('labels not separated by a comma');
    }
  }
  const [token, timestamp, ...rest] = line.slice(at).trim().split(/[ \t]+/);
  const value = parseValue(token ?? '');
  if (value === undefined || rest.length > 0 || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) return err('bad value');
  return ok({ name, labels, value });
}

export function parseExposition(text: string, maxSamples = 200_000): Result<Sample[], string> {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if (!parsed.ok) return err(`line ${i + 1}: ${parsed.error}`);
    if (samples.length >= maxSamples) return err(`more than ${maxSamples} samples`);
    samples.push(parsed.value);
  }
  return ok(samples);
}

/** The samples of one metric whose labels include all of `match`. */
export function select(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the selected samples' values (0 when none). */
export function sumOf(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  return select(samples, name, match).reduce((total, s) => total + s.value, 0);
}
