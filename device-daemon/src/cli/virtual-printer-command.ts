// kioskctl virtual-printer: a virtual ESC/POS network printer on TCP, for trying a terminal's print
// path (or kioskctl print --printer) without paper. Each receipt it cuts is saved as a PNG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualPrinter } from '../devices/receipt-printer/simulator/virtual-printer';
import { serveOverTcp } from '../simulators/tcp-bridge';

export async function virtualPrinterCommand(port: number, outDir: string, out: (line: string) => void, stop: AbortSignal): Promise<number> {
  const printer = new VirtualPrinter('virtual network printer');
  const bridge = await serveOverTcp(printer.port, '127.0.0.1', port);
  if (!bridge.ok) {
    out(`kioskctl virtual-printer: ${bridge.error}`);
    return 1;
  }
  mkdirSync(outDir, { recursive: true });
  out(`virtual printer listening on tcp://127.0.0.1:${bridge.value.port}; receipts go to ${outDir}`);
  let saved = 0;
  const timer = setInterval(() => {
    const cuts = printer.paper.receipts().length;
    for (; saved < cuts; saved += 1) {
      const index = saved;
      void printer.receiptPng(index).then((png) => {
        if (!png) return;
        const file = join(outDir, `receipt-${String(index + 1).padStart(4, '0')}.png`);
        writeFileSync(file, png);
        out(`saved ${file}`);
      });
    }
  }, 250);
  await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  clearInterval(timer);
  await bridge.value.close();
  return 0;
}
