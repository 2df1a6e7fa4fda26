// CUPS through its command-line clients, lp and lpstat: what every Linux print setup offers, and
// the wire the simulated printer speaks too (a stand-in lp/lpstat over a spool folder).
import { execFile } from 'node:child_process';
import { err, ok, type Result } from '../../core/result';

/** A command as argv: the program and its leading arguments, e.g. ["lp"] or [node, script, "lp"]. */
export type Command = readonly [string, ...string[]];

export interface RunError {
  readonly kind: 'notFound' | 'failed' | 'timeout' | 'canceled';
  readonly message: string;
}

export function run(command: Command, args: readonly string[], signal: AbortSignal, timeoutMs: number): Promise<Result<string, RunError>> {
  const [program, ...lead] = command;
  return new Promise((resolve) => {
    execFile(program, [...lead, ...args], { timeout: timeoutMs, signal, encoding: 'utf8', maxBuffer: 256 * 1024, env: { ...process.env, LANG: 'C' } }, (error, stdout, stderr) => {
      if (!error) return resolve(ok(stdout));
      const code = 'code' in error ? error.code : undefined;
      if (code === 'ENOENT') return resolve(err({ kind: 'notFound', message: `${program} not found (install cups-client)` }));
      if (signal.aborted) return resolve(err({ kind: 'canceled', message: 'canceled' }));
      if ('killed' in error && error.killed) return resolve(err({ kind: 'timeout', message: `${program} took longer than ${timeoutMs} ms` }));
      resolve(err({ kind: 'failed', message: (stderr || stdout || error.message).trim().split('\n')[0]?.slice(0, 300) ?? 'failed' }));
    });
  });
}

/** "request id is A4-42 (1 file(s))" -> "A4-42". */
export function parseRequestId(output: string): string | undefined {
  return /request id is (\S+)/.exec(output)?.[1];
}

export type QueueState = 'idle' | 'printing' | 'stopped';

/** `lpstat -p NAME`: "printer NAME is idle.", "printer NAME now printing NAME-3.", "printer NAME disabled since …", with the reason on the next line. */
export function parsePrinterState(output: string, name: string): { state: QueueState; reason: string } | undefined {
  const lines = output.split('\n');
  const index = lines.findIndex((l) => l.startsWith(`printer ${name} `));
  if (index < 0) return undefined;
  const line = lines[index] ?? '';
  const reason = (lines[index + 1] ?? '').trim();
  if (/ disabled /.test(line)) return { state: 'stopped', reason };
  if (/ now printing /.test(line)) return { state: 'printing', reason };
  if (/ is idle/.test(line)) return { state: 'idle', reason };
  return undefined;
}
