// `kioskctl status --remote URL --token T` against the real daemon, as a fleet operator runs it from
// elsewhere: the summary from /v1/status and /metrics, journeys the UI reported over the WebSocket,
// a paper fault flagged, and a restart after a crash counted from the daemon's database.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, ROOT, startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';

let daemon: DaemonProcess;
let client: WsTestClient;

function kioskctl(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No KIOSK_* variables: everything comes from the flags, as on an operator's machine.
    const child = spawn(process.execPath, [join(ROOT, 'device-daemon', 'dist', 'kioskctl.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const remote = (): string[] => ['status', '--remote', `http://127.0.0.1:${daemon.opsPort}`, '--token', OPS_TOKEN];

async function journey(name: string, event: string): Promise<void> {
  const done = await client.completion(client.command('Kiosk.Journey', { journey: name, event }));
  expect(done.header.completionCode).toBe('success');
}

beforeAll(async () => {
  daemon = await startDaemon();
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
});

afterAll(async () => {
  client.close();
  await daemon.stop();
  await stopAllDaemons();
});

describe('kioskctl status --remote', () => {
  it("prints one terminal's summary with the journeys the UI reported, and nothing to flag", async () => {
    await journey('J4', 'started');
    await journey('J4', 'completed');
    await journey('J1', 'started');
    await journey('J1', 'abandoned');
    const run = await kioskctl(remote());
    console.log(`kioskctl status --remote (exit ${run.code}):\n${run.stdout}`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^terminal dev-terminal-0001 {2}site .+ {2}region \d+$/m);
    expect(run.stdout).toMatch(/^daemon \d+\.\d+\.\d+ \(\w+\) {2}up \d+ s {2}ready {2}ui connections 1$/m);
    expect(run.stdout).toMatch(/^receiptPrinter +printer +online +simulated +paper full, cover closed$/m);
    expect(run.stdout).toMatch(/^outbox {4}0 pending, 0 rejected, 0 delivered$/m);
    expect(run.stdout).toMatch(/^payments {2}no orders; 0 confirming$/m);
    expect(run.stdout).toMatch(/^journeys {2}2 started, 1 completed, 1 abandoned since start; last completed J4 at \S+ \(\d+ s ago\)$/m);
    expect(run.stdout).toMatch(/^models {4}face ready, photo ready$/m);
    expect(run.stdout).toMatch(/^restarts {2}1 starts, 0 unclean/m);
    expect(run.stdout).toMatch(/^receiptPrinter +\S.* +\S+ +\S+$/m);
    expect(run.stdout).toMatch(/^attention: none$/m);
  });

  it('flags the paper running low and out, and exits 3', async () => {
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'nearEnd' });
    await waitUntil(async () => (await (await daemon.ops('/metrics')).text()).includes('kiosk_printer_paper_state{device="receiptPrinter",state="low"} 1'), 10_000, 'paper low');
    const low = await kioskctl(remote());
    expect(low.code).toBe(3);
    expect(low.stdout).toMatch(/^receiptPrinter +printer +online +simulated +paper low, cover closed$/m);
    expect(low.stdout.slice(low.stdout.indexOf('attention:'))).toBe('attention:\n  ! receiptPrinter paper low\n');
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await waitUntil(async () => (await (await daemon.ops('/metrics')).text()).includes('kiosk_printer_paper_state{device="receiptPrinter",state="out"} 1'), 10_000, 'paper out');
    const json = await kioskctl([...remote(), '--json']);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as { attention: string[]; metrics: { paper: Record<string, string> } };
    expect(report.attention).toEqual(['receiptPrinter paper out']);
    expect(report.metrics.paper).toEqual({ receiptPrinter: 'out' });
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
  });

  it('refuses a wrong token with exit 1 and says why', async () => {
    const run = await kioskctl(['status', '--remote', `http://127.0.0.1:${daemon.opsPort}`, '--token', 'not-the-token']);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(`kioskctl status: http://127.0.0.1:${daemon.opsPort} refused the token (401): pass --token or set KIOSK_OPS_TOKEN`);
  });

  it('counts a restart after the daemon was killed, and flags it', async () => {
    client.close();
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    daemon = await startDaemon({ dataDir: daemon.dataDir });
    client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    const run = await kioskctl(remote());
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^restarts {2}2 starts, 1 unclean/m);
    expect(run.stdout).toMatch(/^journeys {2}0 started, 0 completed, 0 abandoned since start; none completed since the daemon started$/m);
    expect(run.stdout.slice(run.stdout.indexOf('attention:'))).toMatch(/^attention:\n {2}! daemon restarted \d+ s ago \(2 starts, 1 unclean\)\n$/);
  });
});
