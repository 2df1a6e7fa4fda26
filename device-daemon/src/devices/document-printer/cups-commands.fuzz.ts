// Fuzz target of what lp and lpstat print: random, cut and mutated outputs (and printer names)
// give a state or undefined and a request id or undefined, never a throw or a runaway regex.
import { bytesFrom, expectThat, pick, randomString, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { parsePrinterState, parseRequestId } from './cups-commands';

const SAMPLES = [
  'printer A4 is idle.  enabled since Mon 01 Jan 2026 10:00:00\n',
  'printer A4 now printing A4-42.  enabled since Mon 01 Jan 2026 10:00:00\n\tReceiving data\n',
  'printer A4 disabled since Mon 01 Jan 2026 10:00:00 -\n\tPaper out\n',
  'request id is A4-42 (1 file(s))\n',
  'lpstat: Invalid destination name in list "B4".\n',
].map((s) => Uint8Array.from(Buffer.from(s, 'utf8')));

const NAMES = ['A4', 'B4', '', ' ', 'A4 is', '.*', '(a+)+$', '\\', 'printer'];

export interface CupsInput {
  readonly output: string;
  readonly name: string;
}

function generate(random: Random): CupsInput {
  const bytes = bytesFrom(random, SAMPLES, 400);
  const output = random() < 0.05 ? `printer A4 ${' '.repeat(50_000)}x` : Buffer.from(bytes).toString('utf8');
  return { output, name: random() < 0.8 ? pick(random, NAMES) : randomString(random, 10) };
}

const STATES = new Set(['idle', 'printing', 'stopped']);

function check(input: CupsInput): void {
  const state = parsePrinterState(input.output, input.name);
  expectThat(state === undefined || (STATES.has(state.state) && typeof state.reason === 'string'), 'printer state not well formed');
  if (state) expectThat(input.output.includes(`printer ${input.name} `), 'a state for a printer not in the output');
  const id = parseRequestId(input.output);
  expectThat(id === undefined || (id.length > 0 && !/\s/.test(id)), 'request id not well formed');
}

export const cupsCommandsTarget: FuzzTarget<CupsInput> = {
  name: 'cups-lpstat',
  generate,
  check,
  show: (input) => JSON.stringify(input),
};
