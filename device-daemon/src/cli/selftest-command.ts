// kioskctl selftest [--device NAME] [--level internal|external|interactive] [--yes]: runs the
// daemon's self-tests through its ops listener (POST /v1/selftest) and prints one line per device.
// At the interactive level the technician is asked, device by device, to present a card, a face or
// a code, and presses Enter when ready (--yes: no waiting for Enter, for scripts and tests).
import { createInterface } from 'node:readline/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result';
import { selfTestReportSchema, statusReportSchema, type StatusReport } from '../ops/status-report';
import type { SelfTestLevel, SelfTestResult } from '../protocol';
import { opsGet, type OpsTarget } from './ops-client';

const resultsSchema = z.object({ results: z.array(selfTestReportSchema) });
const errorSchema = z.object({ error: z.string() });

export interface SelfTestCommandOptions {
  readonly target: OpsTarget;
  readonly level: SelfTestLevel;
  readonly device: string | undefined;
  /** Do not wait for Enter before an interactive test. */
  readonly yes: boolean;
  readonly json: boolean;
  /** Where the technician presses Enter. */
  readonly input: Readable;
  readonly timeoutMs: number;
}

async function postSelfTest(target: OpsTarget, body: { device?: string; level: SelfTestLevel }, timeoutMs: number): Promise<Result<SelfTestResult[], string>> {
  let response: Response;
  try {
    response = await fetch(`${target.url}/v1/selftest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    return err(`cannot reach ${target.url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (response.status === 401) return err(`${target.url} refused the token (401): pass --token or set KIOSK_OPS_TOKEN`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return err(`${target.url}/v1/selftest answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const problem = errorSchema.safeParse(json);
    return err(problem.success ? problem.data.error : `${target.url}/v1/selftest answered ${response.status}`);
  }
  const parsed = resultsSchema.safeParse(json);
  return parsed.success ? ok(parsed.data.results) : err(`${target.url}/v1/selftest answered something that is not a list of self-test results`);
}

/** What the technician is asked to do before a device's interactive test; undefined: it has none. */
export function interactivePrompt(name: string, device: StatusReport['devices'][string]): string | undefined {
  if (device.deviceClass === 'idCardReader') return `Hold a test ID card on the reader ${name}.`;
  if (device.deviceClass === 'camera' && device.status.camera?.role === 'face') return `Stand in front of the camera ${name}, face it, alone.`;
  if (device.deviceClass === 'barcodeReader') return `Scan any code with ${name}.`;
  return undefined;
}

export function formatResults(results: readonly SelfTestResult[]): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;
  const width = Math.max(6, ...results.map((r) => r.device.length));
  return results.map((r) => `${mark[r.outcome]}  ${r.device.padEnd(width)}  ${r.level.padEnd(11)}  ${r.text}`).join('\n');
}

export async function selfTestCommand(options: SelfTestCommandOptions, out: (line: string) => void): Promise<number> {
  const { target, level } = options;
  const all: SelfTestResult[] = [];
  if (level !== 'interactive') {
    const ran = await postSelfTest(target, { ...(options.device ? { device: options.device } : {}), level }, options.timeoutMs);
    if (!ran.ok) {
      out(`kioskctl selftest: ${ran.error}`);
      return 1;
    }
    all.push(...ran.value);
  } else {
    // One device at a time, each after its prompt.
    const status = await opsGet(target, '/v1/status');
    const report = status.ok ? statusReportSchema.safeParse(status.value) : undefined;
    if (!status.ok || !report?.success) {
      out(`kioskctl selftest: ${status.ok ? `${target.url} answered something that is not a kiosk status report` : status.error}`);
      return 1;
    }
    const devices = Object.entries(report.data.devices).filter(([name]) => options.device === undefined || name === options.device);
    if (options.device !== undefined && devices.length === 0) {
      out(`kioskctl selftest: no device named ${options.device} on ${report.data.terminal.id}`);
      return 2;
    }
    const reader = options.yes ? undefined : createInterface({ input: options.input, terminal: false });
    try {
      for (const [name, device] of devices) {
        const prompt = interactivePrompt(name, device);
        if (prompt === undefined && options.device === undefined) continue;
        if (prompt !== undefined) {
          out(`${prompt}${reader ? ' Press Enter when ready.' : ''}`);
          if (reader) await reader.question('');
        }
        const ran = await postSelfTest(target, { device: name, level }, options.timeoutMs);
        if (!ran.ok) {
          out(`kioskctl selftest: ${ran.error}`);
          return 1;
        }
        all.push(...ran.value);
        if (!options.json) out(formatResults(ran.value));
      }
    } finally {
      reader?.close();
    }
    if (all.length === 0) out('no device on this terminal has an interactive test');
  }
  if (options.json) out(JSON.stringify({ results: all }, null, 2));
  else if (level !== 'interactive') out(formatResults(all));
  return all.some((r) => r.outcome === 'failed') ? 3 : 0;
}
