// Vite builds the kiosk UI into dist/, which the daemon serves. `npm run dev -w kiosk-ui` serves it
// with hot reload against a running daemon: /ws is proxied, and the page gets the daemon's token
// from $KIOSK_DATA_DIR/ui-token (add the dev origin to ui.allowedOrigins in a site config).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const daemon = `http://127.0.0.1:${process.env.KIOSK_PORT ?? '8080'}`;

function devToken(): Plugin {
  return {
    name: 'kiosk-dev-token',
    apply: 'serve',
    transformIndexHtml(html) {
      const file = resolve(process.env.KIOSK_DATA_DIR ?? resolve(import.meta.dirname, '..', '.kiosk-data'), 'ui-token');
      let token = '';
      try {
        token = readFileSync(file, 'utf8').trim();
      } catch {
        console.warn(`kiosk-dev-token: ${file} not found; start the daemon first`);
      }
      return html.replace('<meta name="kiosk-token" content="" />', `<meta name="kiosk-token" content="${token}" />`);
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [devToken()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { '@protocol': resolve(import.meta.dirname, '../device-daemon/src/protocol/index.ts') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome110',
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/ws': { target: daemon, ws: true } },
  },
});
