// kioskctl print TEMPLATE: renders a receipt through the encoder and the virtual printer to a PNG,
// writes its raw ESC/POS bytes, or sends it to a real printer on TCP 9100 through the real driver.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { deadline } from '../core/deadline';
import { PAPER_80MM } from '../devices/receipt-printer/encoder/receipt-document';
import { ReceiptPrinter } from '../devices/receipt-printer/receipt-printer';
import { printJob } from '../devices/receipt-printer/simulator/print-to-paper';
import { isTemplateName, renderTemplate, sampleData, TEMPLATE_NAMES } from '../devices/receipt-printer/templates/registry';
import type { TemplateContext } from '../devices/receipt-printer/templates/template';
import { silentLogger } from '../log/logger';
import { TcpTransport } from '../transports/tcp-transport';

export interface PrintOptions {
  readonly template: string;
  readonly sample: boolean;
  readonly dataFile: string | undefined;
  readonly out: string | undefined;
  readonly bytesFile: string | undefined;
  readonly printer: string | undefined;
  readonly projectRoot: string;
}

function context(projectRoot: string): TemplateContext {
  const loaded = loadConfig({ defaultPath: join(projectRoot, 'config', 'default.json'), overridePath: process.env.KIOSK_CONFIG, env: process.env });
  const terminal = loaded.ok ? loaded.value.terminal : { id: 'unprovisioned', site: '', hotline: '12345' };
  return { terminalId: terminal.id, site: terminal.site, hotline: terminal.hotline, profile: PAPER_80MM, now: new Date() };
}

/** Sends a job to a network printer through the real driver and waits for its confirmation. */
async function sendToPrinter(url: string, bytes: Uint8Array, out: (line: string) => void): Promise<number> {
  const match = /^tcp:\/\/([^:/]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!match?.[1]) {
    out(`kioskctl print: --printer must look like tcp://HOST:9100, not ${url}`);
    return 2;
  }
  const host = match[1];
  const port = Number(match[2] ?? 9100);
  const printer = new ReceiptPrinter({
    name: 'printer',
    simulated: false,
    createTransport: () => new TcpTransport({ host, port }),
    statusPollMs: 1_000,
    statusTimeoutMs: 1_000,
    openTimeoutMs: 5_000,
    jobTimeoutMs: 30_000,
    autoStatusBack: false,
    backoff: { initialMs: 500, maxMs: 2_000, factor: 2, jitter: 0 },
    information: { modelName: 'network printer', serialNumber: '', revisionNumber: '', modelDescription: '' },
    log: silentLogger(),
  });
  const guard = deadline(undefined, 40_000, 'printing');
  try {
    printer.open();
    const online = await new Promise<boolean>((resolve) => {
      const check = (): void => {
        const state = printer.status().common.device;
        if (state !== 'starting' && state !== 'noDevice') resolve(state === 'online');
      };
      printer.subscribe(check);
      guard.signal.addEventListener('abort', () => resolve(false), { once: true });
      check();
    });
    if (!online) {
      out(`kioskctl print: the printer at ${host}:${port} is not ready: ${printer.status().common.device}`);
      return 1;
    }
    const printed = await printer.printRaw(bytes, guard.signal);
    if (!printed.ok) {
      out(`kioskctl print: ${printed.error.message}`);
      return 1;
    }
    out(`printed on ${host}:${port}; paper ${printer.status().printer?.paper}`);
    return 0;
  } finally {
    guard.dispose();
    await printer.close();
  }
}

export async function printCommand(options: PrintOptions, out: (line: string) => void): Promise<number> {
  if (!isTemplateName(options.template)) {
    out(`kioskctl print: unknown template "${options.template}"; one of ${TEMPLATE_NAMES.join(', ')}`);
    return 2;
  }
  if (!options.out && !options.bytesFile && !options.printer) {
    out('kioskctl print: say where it goes: --out FILE.png, --bytes FILE.bin or --printer tcp://HOST:9100');
    return 2;
  }
  let data: unknown;
  if (options.sample) {
    data = sampleData(options.template);
  } else if (options.dataFile) {
    try {
      data = JSON.parse(readFileSync(options.dataFile, 'utf8'));
    } catch (cause) {
      out(`kioskctl print: cannot read ${options.dataFile}: ${cause instanceof Error ? cause.message : String(cause)}`);
      return 1;
    }
  } else {
    out('kioskctl print: give --sample or --data FILE.json');
    return 2;
  }
  const rendered = await renderTemplate(options.template, data, context(options.projectRoot));
  if (!rendered.ok) {
    out(`kioskctl print: ${rendered.error.message}`);
    return 1;
  }
  const bytes = rendered.value;
  if (options.bytesFile) {
    writeFileSync(options.bytesFile, bytes);
    out(`wrote ${bytes.length} bytes of ESC/POS to ${options.bytesFile}`);
  }
  if (options.out) {
    const job = await printJob(bytes);
    writeFileSync(options.out, job.png);
    out(`wrote ${options.out}: ${job.lines.length} text lines, ${job.cuts} cut`);
  }
  if (options.printer) return sendToPrinter(options.printer, bytes, out);
  return 0;
}
