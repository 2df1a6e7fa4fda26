// One fuzz target in this process, for scripts/fuzz.mjs: `--list` prints the target names;
// `NAME RUNS SEED` runs it, printing "PROGRESS n" lines for the watchdog and one "RESULT {json}".
import type { FuzzReport } from './fuzz-harness';
import { FUZZ_TARGETS } from './fuzz-targets';

async function runNamed(name: string, runs: number, seed: number): Promise<FuzzReport | undefined> {
  const onProgress = (n: number): void => void process.stdout.write(`PROGRESS ${n}\n`);
  return FUZZ_TARGETS.find((t) => t.name === name)?.run({ runs, seed, onProgress });
}

const [first = '--list', runsText = '1000000', seedText = '1'] = process.argv.slice(2);
if (first === '--list') {
  process.stdout.write(`${FUZZ_TARGETS.map((t) => t.name).join('\n')}\n`);
} else {
  const report = await runNamed(first, Number(runsText), Number(seedText));
  if (!report) {
    process.stderr.write(`no fuzz target ${first}\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(`RESULT ${JSON.stringify(report)}\n`);
  }
}
