import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runKioskctl } from './kioskctl';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const REPORT = {
  terminal: { id: 'gz-0042', site: '某某镇便民服务中心', region: '330106001' },
  build: { version: '0.1.0', revision: 'abc1234' },
  uptimeSeconds: 42,
  ready: true,
  uiConnections: 1,
  devices: {
    receiptPrinter: {
      deviceClass: 'printer',
      simulated: true,
      status: { deviceClass: 'printer', common: { device: 'online', devicePosition: 'inPosition' }, printer: { paper: 'low', cover: 'closed' } },
      lastHealth: null,
    },
  },
};

async function opsStub(body: unknown, token = 'right-token'): Promise<string> {
  server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runKioskctl(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

describe('kioskctl status', () => {
  it('prints a summary of the terminal and its devices', async () => {
    const url = await opsStub(REPORT);
    const { code, out } = await run(['status', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(0);
    expect(out).toContain('terminal gz-0042  site 某某镇便民服务中心  region 330106001');
    expect(out).toMatch(/^receiptPrinter +printer +online +simulated +paper low, cover closed$/m);
  });

  it('prints the report as JSON, and exits 3 when a device is not online', async () => {
    const degraded = structuredClone(REPORT);
    degraded.devices.receiptPrinter.status.common.device = 'noDevice';
    const url = await opsStub(degraded);
    const { code, out } = await run(['status', '--json', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(3);
    expect(JSON.parse(out).devices.receiptPrinter.status.common.device).toBe('noDevice');
  });

  it('explains a refused token, an unreachable daemon and a foreign answer', async () => {
    const url = await opsStub(REPORT);
    expect(await run(['status', '--remote', url, '--token', 'wrong'])).toEqual({ code: 1, out: `kioskctl status: ${url} refused the token (401): pass --token or set KIOSK_OPS_TOKEN` });
    expect((await run(['status', '--remote', 'http://127.0.0.1:1', '--token', 't'])).out).toMatch(/^kioskctl status: cannot reach http:\/\/127\.0\.0\.1:1/);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const other = await opsStub({ something: 'else' });
    expect(await run(['status', '--remote', other, '--token', 'right-token'])).toEqual({ code: 1, out: `kioskctl status: ${other} answered something that is not a kiosk status report` });
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['status', '--bogus'])).code).toBe(2);
    expect((await run(['help'])).code).toBe(0);
  });
});
