import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticFiles } from './static-files';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(files: StaticFiles): Promise<string> {
  server = createServer((req, res) => files.serve(req, res));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

function site(): string {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<html><head><meta name="kiosk-token" content="" /></head></html>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(root, '.secret'), 'no');
  return root;
}

describe('StaticFiles', () => {
  it('injects the token into index.html and never lets it be cached', async () => {
    const base = await serve(new StaticFiles(site(), 'tok123'));
    const response = await fetch(`${base}/`);
    expect(await response.text()).toBe('<html><head><meta name="kiosk-token" content="tok123"></head></html>');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('serves hashed assets as immutable, with their type', async () => {
    const base = await serve(new StaticFiles(site(), 't'));
    const response = await fetch(`${base}/assets/app-1234.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('does not let a path escape the UI folder or reach dotfiles', async () => {
    const base = await serve(new StaticFiles(site(), 't'));
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/.secret', '/assets/%00x', '/missing.js']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('says so when the UI is not built', async () => {
    const base = await serve(new StaticFiles(join(tmpdir(), 'no-such-ui'), 't'));
    const response = await fetch(`${base}/`);
    expect([response.status, await response.text()]).toEqual([503, 'The kiosk UI is not built. Run: npm run build\n']);
  });
});
