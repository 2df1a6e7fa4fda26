// Helpers for the browser tests of J4 and J6: a code held to the HID scanner once the page has armed
// it, a backend that accepts connections and never answers (to hold a "please wait" screen), the
// screens a page went through, and the receipt printer's last lines.
import { createServer, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { waitUntil, type DaemonProcess } from './daemon-process';

const scannerStatus = z.object({ devices: z.object({ scanner: z.object({ status: z.object({ barcodeReader: z.object({ scanning: z.boolean() }) }) }) }) });

/** The resident holds a code to the scanner, once a Scanner.Read from the page is waiting. */
export async function scanWhenArmed(daemon: DaemonProcess, text: string, symbology = 'qr'): Promise<void> {
  await waitUntil(async () => scannerStatus.parse(await (await daemon.ops('/v1/status')).json()).devices.scanner.status.barcodeReader.scanning, 10_000, 'the page to arm the scanner');
  await daemon.simulate('scanner', { action: 'scan', text, symbology });
}

export interface BlackHole {
  /** Drops every held connection (the daemon sees them reset) and frees the port. */
  close(): Promise<void>;
}

/** Listens where a stopped sandbox was, takes connections and never answers them. */
export async function blackHole(url: string): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), hostname, resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Records every screen the page shows from now on (data-screen of the newest one), even briefly. */
export async function recordScreens(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    Reflect.set(window, '__screens', seen);
    const note = (): void => {
      const all = document.querySelectorAll('[data-screen]');
      const id = all[all.length - 1]?.getAttribute('data-screen');
      if (id && seen[seen.length - 1] !== id) seen.push(id);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-screen'] });
  });
  return async () => z.array(z.string()).parse(await page.evaluate(() => Reflect.get(window, '__screens')));
}

/** What the simulated receipt printer printed last. */
export async function receiptLines(daemon: DaemonProcess): Promise<string[]> {
  return z.object({ lastLines: z.array(z.string()) }).parse(await (await daemon.ops('/v1/simulator/receiptPrinter')).json()).lastLines;
}
