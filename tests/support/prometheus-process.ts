// Debian's Prometheus for the tests: promtool runs, and a real server started on a loopback port
// with its own storage folder, queried over its HTTP API, and stopped again. A missing package is
// an error that says how to install it, never a skip.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { waitUntil } from './daemon-process';

const MISSING =
  'is not installed. It comes with the Debian package "prometheus", which `npm test` installs through ' +
  'scripts/ensure-system.mjs (scripts/system-packages.json); on this machine run: apt-get install -y prometheus';

/** The path of a program from Debian's prometheus package; throws with the fix when it is absent. */
export function requireProgram(name: 'prometheus' | 'promtool'): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') throw new Error(`${name} ${MISSING}`);
  return path;
}

export function promtool(args: readonly string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(requireProgram('promtool'), [...args], { encoding: 'utf8', timeout: 30_000, ...options });
}

/** A loopback port free right now (Prometheus cannot report the port it chose for :0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const vectorReplySchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }),
});
export type VectorSample = z.infer<typeof vectorReplySchema>['data']['result'][number];

const alertsReplySchema = z.object({
  status: z.literal('success'),
  data: z.object({ alerts: z.array(z.object({ labels: z.record(z.string(), z.string()), state: z.string() })) }),
});

const rulesReplySchema = z.object({
  status: z.literal('success'),
  data: z.object({ groups: z.array(z.object({ name: z.string(), rules: z.array(z.object({ name: z.string(), health: z.string(), type: z.string() })) })) }),
});

export interface PrometheusServer {
  readonly url: string;
  readonly logs: string[];
  query(promql: string): Promise<VectorSample[]>;
  alerts(): Promise<z.infer<typeof alertsReplySchema>['data']['alerts']>;
  rules(): Promise<z.infer<typeof rulesReplySchema>['data']['groups']>;
  stop(): Promise<void>;
}

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return schema.parse(await response.json());
}

export async function startPrometheus(configFile: string, storageDir: string): Promise<PrometheusServer> {
  const program = requireProgram('prometheus');
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logs: string[] = [];
    const child: ChildProcess = spawn(
      program,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${storageDir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=info'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: child.stdout! }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    const stop = async (): Promise<void> => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        await exited;
      }
    };
    try {
      // Ready, or gone (the condition then holds and the check below tells which).
      await waitUntil(async () => exitCode !== undefined || (await fetch(`${url}/-/ready`)).status === 200, 30_000, 'Prometheus to be ready');
      if (exitCode !== undefined) throw new Error(`Prometheus exited with ${exitCode}`);
    } catch {
      await stop();
      // Another process took the port between freePort() and Prometheus binding it: try another.
      if (attempt < 3 && logs.some((line) => line.includes('address already in use'))) continue;
      throw new Error(`Prometheus did not start:\n${logs.slice(-20).join('\n')}`);
    }
    return {
      url,
      logs,
      async query(promql) {
        return (await getJson(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, vectorReplySchema)).data.result;
      },
      async alerts() {
        return (await getJson(`${url}/api/v1/alerts`, alertsReplySchema)).data.alerts;
      },
      async rules() {
        return (await getJson(`${url}/api/v1/rules`, rulesReplySchema)).data.groups;
      },
      stop,
    };
  }
}
