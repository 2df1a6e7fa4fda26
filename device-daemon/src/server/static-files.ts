// Serves the built kiosk UI. index.html gets the per-boot token injected into its
// <meta name="kiosk-token"> and is never cached; hashed assets are cached for good.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TOKEN_META = /<meta name="kiosk-token" content="[^"]*"\s*\/?>/;

export class StaticFiles {
  readonly #root: string | undefined;
  #index: { mtimeMs: number; html: string } | undefined;

  constructor(
    root: string | undefined,
    private readonly token: string,
  ) {
    this.#root = root && existsSync(join(root, 'index.html')) ? resolve(root) : undefined;
  }

  get available(): boolean {
    return this.#root !== undefined;
  }

  serve(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    const root = this.#root;
    if (!root) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('The kiosk UI is not built. Run: npm run build\n');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://ui').pathname);
    } catch {
      response.writeHead(400, SECURITY_HEADERS).end();
      return;
    }
    if (pathname === '/' || pathname === '/index.html') return this.#serveIndex(root, request, response);
    const target = normalize(join(root, pathname));
    if (pathname.includes('\0') || !target.startsWith(root + sep) || pathname.split('/').some((part) => part.startsWith('.'))) {
      response.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    let size: number;
    try {
      const st = statSync(target);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      response.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    const immutable = pathname.startsWith('/assets/');
    response.writeHead(200, {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(target).pipe(response);
  }

  #serveIndex(root: string, request: IncomingMessage, response: ServerResponse): void {
    const path = join(root, 'index.html');
    const mtimeMs = statSync(path).mtimeMs;
    if (!this.#index || this.#index.mtimeMs !== mtimeMs) {
      const html = readFileSync(path, 'utf8').replace(TOKEN_META, `<meta name="kiosk-token" content="${this.token}">`);
      this.#index = { mtimeMs, html };
    }
    const body = Buffer.from(this.#index.html, 'utf8');
    response.writeHead(200, {
      'content-type': TYPES['.html'] ?? 'text/html',
      'content-length': body.length,
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}
