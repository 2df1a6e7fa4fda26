// The simulated A4 printer: stand-ins for CUPS's lp and lpstat over a spool folder, so the real
// document-printer driver runs unchanged in simulation. `virtual-cups SPOOL lp|lpstat ARGS...`.
// The folder's state.json (written by the ops API) can disable the queue or run it out of paper.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({ enabled: z.boolean().default(true), reason: z.string().default('') });
type State = z.infer<typeof stateSchema>;

function state(spool: string): State {
  const path = join(spool, 'state.json');
  if (!existsSync(path)) return { enabled: true, reason: '' };
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : { enabled: true, reason: '' };
}

function option(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(argv: readonly string[]): number {
  const [spool, command, ...args] = argv;
  if (!spool || (command !== 'lp' && command !== 'lpstat')) {
    process.stderr.write('usage: virtual-cups SPOOL lp|lpstat ARGS...\n');
    return 2;
  }
  mkdirSync(spool, { recursive: true });
  const s = state(spool);
  if (command === 'lpstat') {
    const queue = option(args, '-p') ?? 'A4';
    if (s.enabled) process.stdout.write(`printer ${queue} is idle.  enabled since Sun 22 Nov 2026 10:00:00 AM CST\n`);
    else process.stdout.write(`printer ${queue} disabled since Sun 22 Nov 2026 10:00:00 AM CST -\n\t${s.reason || 'Paused'}\n`);
    return 0;
  }
  const queue = option(args, '-d') ?? 'A4';
  const file = args[args.indexOf('--') + 1];
  if (!s.enabled) {
    process.stderr.write(`lp: Destination "${queue}" is not accepting jobs.\n`);
    return 1;
  }
  if (!file || !existsSync(file)) {
    process.stderr.write(`lp: Error - unable to access "${file ?? ''}" - No such file or directory\n`);
    return 1;
  }
  const id = readdirSync(spool).filter((f) => f.endsWith('.pdf')).length + 1;
  copyFileSync(file, join(spool, `${queue}-${id}.pdf`));
  writeFileSync(join(spool, `${queue}-${id}.json`), JSON.stringify({ title: option(args, '-t') ?? '', options: args.filter((_, i) => args[i - 1] === '-o') }));
  process.stdout.write(`request id is ${queue}-${id} (1 file(s))\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
