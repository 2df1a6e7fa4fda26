// Starts the built daemon as a child process on ephemeral loopback ports with its own data
// directory, and stops it again. Every process started here is stopped by stopAllDaemons().
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DAEMON_ENV, DAEMON_NODE_FLAGS } from '../../device-daemon/src/entry/node-flags';

/** The project root: the folder holding both packages (found upwards, so bundled copies work too). */
export const ROOT = findRoot(import.meta.dirname);

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'kiosk-ui')) && existsSync(join(dir, 'device-daemon'))) return dir;
  }
  return join(import.meta.dirname, '..', '..');
}
export const OPS_TOKEN = 'ops-token-for-end-to-end-tests';

/** Fast polling and reconnects, so the tests do not wait on production intervals. */
export const TEST_SITE = {
  ui: { authTimeoutMs: 2_000 },
  devices: {
    receiptPrinter: { statusPollMs: 250, statusTimeoutMs: 250, qrMaxBytes: 256, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 }, jobs: { graceMs: 1_000 } },
    idCardReader: { pollIntervalMs: 300, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } },
    faceCamera: { frameTimeoutMs: 1_500, openTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } },
    documentCamera: { frameTimeoutMs: 1_500, openTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } },
    scanner: { reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } },
    a4Printer: { statusPollMs: 250 },
  },
};

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly uiPort: number;
  readonly opsPort: number;
  readonly dataDir: string;
  readonly uiToken: string;
  readonly wsUrl: string;
  readonly logs: string[];
  /** Its stderr lines (the logs are on stdout). */
  readonly stderr: string[];
  ops(path: string, init?: RequestInit): Promise<Response>;
  simulate(device: string, control: Record<string, unknown>): Promise<unknown>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

export interface StartOptions {
  readonly site?: unknown;
  readonly dataDir?: string;
  readonly uiPort?: number;
  readonly env?: Record<string, string>;
}

export interface SpawnedDaemon {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
  /** Called for every stdout line from now on. */
  onLine(listener: (line: string) => void): void;
}

export function spawnDaemon(options: StartOptions = {}): SpawnedDaemon {
  const work = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  const dataDir = options.dataDir ?? join(work, 'data');
  const sitePath = join(work, 'site.json');
  writeFileSync(sitePath, JSON.stringify(options.site ?? TEST_SITE));
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, join(ROOT, 'device-daemon', 'dist', 'daemon.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      KIOSK_PORT: String(options.uiPort ?? 0),
      KIOSK_OPS_PORT: '0',
      KIOSK_DATA_DIR: dataDir,
      KIOSK_CONFIG: sitePath,
      KIOSK_OPS_TOKEN: OPS_TOKEN,
      KIOSK_LOG_LEVEL: 'info',
      ...DAEMON_ENV,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  // One reader per stream for the whole life of the process, so the pipes never stall.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const listener of listeners) listener(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, dataDir, stdout, stderr, exited, onLine: (listener) => listeners.push(listener) };
}

export async function startDaemon(options: StartOptions = {}): Promise<DaemonProcess> {
  const { child, dataDir, stdout, stderr, exited, onLine } = spawnDaemon(options);
  const ports = await new Promise<{ uiPort: number; opsPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start:\n${[...stdout, ...stderr].join('\n')}`)), 20_000);
    onLine((line) => {
      try {
        const entry: unknown = JSON.parse(line);
        if (typeof entry === 'object' && entry !== null && 'msg' in entry && entry.msg === 'kiosk daemon listening' && 'uiPort' in entry && 'opsPort' in entry) {
          clearTimeout(timer);
          resolve({ uiPort: Number(entry.uiPort), opsPort: Number(entry.opsPort) });
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with ${code}:\n${[...stdout, ...stderr].join('\n')}`));
    });
  });
  const ops = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`http://127.0.0.1:${ports.opsPort}${path}`, { ...init, headers: { authorization: `Bearer ${OPS_TOKEN}`, ...(init.headers ?? {}) } });
  // Ready means every device has reported its first state.
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.opsPort}/readyz`)).status === 200, 10_000, 'daemon readiness');
  return {
    child,
    ...ports,
    dataDir,
    uiToken: readFileSync(join(dataDir, 'ui-token'), 'utf8').trim(),
    wsUrl: `ws://127.0.0.1:${ports.uiPort}/ws`,
    logs: stdout,
    stderr,
    ops,
    async simulate(device, control) {
      const response = await ops(`/v1/simulator/${device}`, { method: 'POST', body: JSON.stringify(control) });
      if (!response.ok) throw new Error(`simulator control failed: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    exited,
  };
}

/** Polls a condition until it holds; for readiness only, never to time behaviour. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Cleanup after a test file: SIGTERM first, so each daemon ends its own children (lpstat, lp,
 * ffmpeg) rather than leaving them to write into a data directory the test is removing; SIGKILL
 * for any still running after 10 s.
 */
export async function stopAllDaemons(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
          forced.unref();
          child.once('exit', () => {
            clearTimeout(forced);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
