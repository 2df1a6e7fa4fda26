// The fleet's Prometheus configuration (config/ops) checked by promtool, the daemon's real /metrics
// linted by `promtool check metrics`, and a real Prometheus (Debian's package) scraping the
// simulated daemon with the committed scrape config: bearer token file, file_sd targets with the
// terminal and site labels, the alert rules loaded. Prometheus missing is a failure, not a skip.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, ROOT, startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { promtool, requireProgram, startPrometheus, type PrometheusServer } from './support/prometheus-process';

const OPS = join(ROOT, 'config', 'ops');
const TERMINAL = 'e2e-0001';
const SITE = '测试站点 Test site';

let daemon: DaemonProcess;
let client: WsTestClient | undefined;
let prometheus: PrometheusServer | undefined;
const folders: string[] = [];

/** The committed prometheus.yml and rules in a folder of their own, as an operator deploys them. */
function fleetFolder(prometheusYml: string, targets: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-prometheus-'));
  folders.push(dir);
  writeFileSync(join(dir, 'prometheus.yml'), prometheusYml);
  copyFileSync(join(OPS, 'kiosk-alerts.yml'), join(dir, 'kiosk-alerts.yml'));
  writeFileSync(join(dir, 'kiosk-ops-token'), `${OPS_TOKEN}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'kiosks'));
  writeFileSync(join(dir, 'kiosks', 'terminals.yml'), targets);
  return dir;
}

beforeAll(async () => {
  // Fails the file at once, with the fix, when the Debian package is missing.
  requireProgram('promtool');
  requireProgram('prometheus');
  daemon = await startDaemon();
});

afterAll(async () => {
  client?.close();
  await prometheus?.stop();
  await daemon?.stop();
  await stopAllDaemons();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('promtool on config/ops', () => {
  it('check config: the scrape config, its token file, its rule file and a file_sd target file', () => {
    const dir = fleetFolder(readFileSync(join(OPS, 'prometheus.yml'), 'utf8'), readFileSync(join(OPS, 'file-sd-example.yml'), 'utf8'));
    const run = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
    console.log(`promtool check config:\n${run.stdout}${run.stderr}`);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SUCCESS: 1 rule files found');
    expect(run.stdout).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
    expect(run.stdout).toContain('SUCCESS: 15 rules found');
    // A target file promtool cannot read is an error: the check does look at them.
    writeFileSync(join(dir, 'kiosks', 'terminals.yml'), '- targets: 12\n');
    expect(promtool(['check', 'config', join(dir, 'prometheus.yml')]).status).not.toBe(0);
  });

  it('check rules: the alert rules', () => {
    const run = promtool(['check', 'rules', join(OPS, 'kiosk-alerts.yml')]);
    console.log(`promtool check rules:\n${run.stdout}${run.stderr}`);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SUCCESS: 15 rules found');
  });

  it('test rules: every alert fires, and does not fire where it should not', () => {
    const run = promtool(['test', 'rules', 'kiosk-alerts.test.yml'], { cwd: OPS });
    console.log(`promtool test rules:\n${run.stdout}${run.stderr}`);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
    const tests = readFileSync(join(OPS, 'kiosk-alerts.test.yml'), 'utf8');
    const rules = readFileSync(join(OPS, 'kiosk-alerts.yml'), 'utf8');
    // Every alert has a test in which it fires (exp_alerts with labels) and one in which it does not.
    for (const [, name] of rules.matchAll(/^ {6}- alert: (\w+)$/gm)) {
      expect(tests, `${name} fires in a test`).toMatch(new RegExp(`alertname: ${name}\\n +exp_alerts:\\n +- exp_labels`));
      expect(tests, `${name} does not fire in a test`).toMatch(new RegExp(`alertname: ${name}\\n +exp_alerts: \\[\\]`));
    }
  });

  it("check metrics: the daemon's real /metrics after commands, errors and journeys", async () => {
    client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    expect((await client.completion(client.command('Common.Status', {}))).header.completionCode).toBe('success');
    expect((await client.completion(client.command('Common.Status', { device: 'nothingHere' }))).header.completionCode).toBe('invalidData');
    for (const event of ['started', 'completed'] as const) {
      expect((await client.completion(client.command('Kiosk.Journey', { journey: 'J4', event }))).header.completionCode).toBe('success');
    }
    expect((await client.completion(client.command('Kiosk.Journey', { journey: 'J9', event: 'started' }))).header.completionCode).toBe('invalidData');
    const text = await (await daemon.ops('/metrics')).text();
    const run = promtool(['check', 'metrics'], { input: text });
    console.log(`promtool check metrics (exit ${run.status}, ${text.split('\n').length} lines of /metrics):\n${run.stdout}${run.stderr}`);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
    const families = [...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    for (const family of [
      'kiosk_device_state gauge',
      'kiosk_printer_paper_state gauge',
      'kiosk_device_info gauge',
      'kiosk_commands_total counter',
      'kiosk_command_errors_total counter',
      'kiosk_command_duration_seconds histogram',
      'kiosk_journeys_started_total counter',
      'kiosk_journeys_completed_total counter',
      'kiosk_journeys_abandoned_total counter',
      'kiosk_journey_last_completed_timestamp_seconds gauge',
      'kiosk_outbox_messages gauge',
      'kiosk_outbox_oldest_pending_seconds gauge',
      'kiosk_payment_orders gauge',
      'kiosk_payment_orders_confirming gauge',
      'kiosk_payment_oldest_open_seconds gauge',
      'kiosk_face_service_state gauge',
      'kiosk_photo_service_state gauge',
      'kiosk_daemon_starts_total counter',
      'kiosk_daemon_unclean_starts_total counter',
      'process_start_time_seconds gauge',
    ]) {
      expect(families).toContain(family);
    }
    expect(text).toMatch(/^kiosk_journeys_completed_total\{journey="J4"\} 1$/m);
    expect(text).toMatch(/^kiosk_command_errors_total\{command="Common\.Status",completion_code="invalidData",error_code=""\} 1$/m);
    expect(text).toMatch(/^kiosk_device_info\{device="receiptPrinter",model="[^"]+",serial="[^"]*",firmware="[^"]*",simulated="true"\} 1$/m);
    expect(text).toMatch(/^kiosk_daemon_starts_total 1$/m);
    // Terminal and site come from the scrape configuration, never from the daemon.
    expect(text).not.toMatch(/[{,](terminal|site|instance|job)="/);
  });
});

describe('a real Prometheus scraping the daemon', () => {
  beforeAll(async () => {
    const committed = readFileSync(join(OPS, 'prometheus.yml'), 'utf8');
    // The committed config, only faster, so that the test waits on seconds rather than minutes.
    const fast = committed.replace('scrape_interval: 30s', 'scrape_interval: 1s').replace('evaluation_interval: 30s', 'evaluation_interval: 1s').replace('scrape_timeout: 10s', 'scrape_timeout: 1s');
    expect(fast).not.toBe(committed);
    expect(fast.match(/: 1s$/gm)).toHaveLength(3);
    const targets = `- targets: ["127.0.0.1:${daemon.opsPort}"]\n  labels:\n    terminal: ${TERMINAL}\n    site: ${SITE}\n- targets: ["127.0.0.1:9"]\n  labels:\n    site: a target without a terminal label is dropped\n`;
    const dir = fleetFolder(fast, targets);
    prometheus = await startPrometheus(join(dir, 'prometheus.yml'), join(dir, 'data'));
  });

  const value = async (promql: string): Promise<string | undefined> => {
    const result = await prometheus!.query(promql);
    return result.length === 1 ? result[0]?.value[1] : undefined;
  };
  const selector = (extra: string): string => `{job="kiosk",terminal="${TERMINAL}",site="${SITE}",device="receiptPrinter",${extra}}`;

  it('scrapes with the bearer token and the target labels, and reads the device state back', async () => {
    await waitUntil(async () => (await value(`up{job="kiosk",terminal="${TERMINAL}"}`)) === '1', 30_000, 'Prometheus to scrape the daemon');
    expect(await value(`kiosk_device_state${selector('state="online"')}`)).toBe('1');
    expect(await value(`kiosk_device_state${selector('state="noDevice"')}`)).toBe('0');
    expect(await value(`sum(kiosk_device_state${selector('')})`)).toBe('1');
    expect(await value(`kiosk_printer_paper_state${selector('state="full"')}`)).toBe('1');
    expect(await value(`kiosk_device_info${selector('simulated="true"')}`)).toBe('1');
    // Only the terminal with its labels is a target: the other was dropped by the relabelling.
    expect((await prometheus!.query('up')).map((s) => s.metric.instance)).toEqual([`127.0.0.1:${daemon.opsPort}`]);
    const groups = await prometheus!.rules();
    expect(groups.map((g) => g.name).sort()).toEqual(['kiosk-backends', 'kiosk-devices', 'kiosk-service', 'kiosk-terminal']);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting')).toHaveLength(15);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health === 'err')).toEqual([]);
  });

  it('sees the receipt paper run out, and the paper-out alert become pending', async () => {
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await waitUntil(async () => (await value(`kiosk_printer_paper_state${selector('state="out"')}`)) === '1', 30_000, 'Prometheus to see the paper out');
    expect(await value(`kiosk_printer_paper_state${selector('state="full"')}`)).toBe('0');
    expect(await value(`kiosk_device_state${selector('state="online"')}`)).toBe('1');
    await waitUntil(
      async () => (await prometheus!.alerts()).some((a) => a.labels.alertname === 'KioskPaperOut' && a.labels.terminal === TERMINAL && a.labels.device === 'receiptPrinter' && a.state === 'pending'),
      30_000,
      'the KioskPaperOut alert to be pending',
    );
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await waitUntil(async () => (await value(`kiosk_printer_paper_state${selector('state="full"')}`)) === '1', 30_000, 'Prometheus to see the paper back');
  });
});
