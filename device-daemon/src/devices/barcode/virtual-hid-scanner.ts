// A keyboard-mode HID scanner in simulation: asked to scan a code, it types the boot-keyboard
// reports a real one sends (key down, key up, Enter) into the memory transport, optionally with an
// AIM symbology identifier first.
import { z } from 'zod';
import { formatIssues } from '../../config/load-config';
import { err, ok, type Result } from '../../core/result';
import type { SimulatorControl } from '../../ops/ops-server';
import { SYMBOLOGIES, type Symbology } from '../../protocol';
import { SimulatedPort } from '../../simulators/simulated-port';
import type { MemoryEndpoint } from '../../transports/memory-transport';
import { keyUsages } from './hid-keyboard';

const AIM: Record<Symbology, string> = { qr: ']Q1', code128: ']C0', ean13: ']E0', ean8: ']E4' };
const ENTER = 0x28;
const SHIFT = 0x02;

export function keyboardReports(text: string): Result<Uint8Array, string> {
  const keys = keyUsages(text);
  if (!keys) return err('the text has characters a US keyboard layout cannot type');
  const reports = new Uint8Array((keys.length + 1) * 16);
  let o = 0;
  for (const { usage, shift } of [...keys, { usage: ENTER, shift: false }]) {
    reports[o] = shift ? SHIFT : 0;
    reports[o + 2] = usage;
    // The release report is all zeros.
    o += 16;
  }
  return ok(reports);
}

const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('scan'), text: z.string().min(1).max(1024), symbology: z.enum(SYMBOLOGIES).optional() }),
  z.strictObject({ action: z.literal('unplug') }),
  z.strictObject({ action: z.literal('plug') }),
]);

export class VirtualHidScanner {
  readonly port: SimulatedPort;
  #device: MemoryEndpoint | undefined;
  #scans = 0;

  constructor(label: string) {
    this.port = new SimulatedPort(label);
    this.port.onConnection((device) => {
      this.#device = device;
    });
  }

  scan(text: string, symbology?: Symbology): Result<{ scans: number }, string> {
    const reports = keyboardReports(symbology ? AIM[symbology] + text : text);
    if (!reports.ok) return reports;
    const device = this.#device;
    if (!device?.isOpen) return err('the scanner is not connected');
    // One report per write, as a HID device delivers them.
    for (let i = 0; i < reports.value.length; i += 8) device.write(reports.value.subarray(i, i + 8));
    this.#scans += 1;
    return ok({ scans: this.#scans });
  }

  control(): SimulatorControl {
    return {
      apply: (body) => {
        const parsed = controlSchema.safeParse(body);
        if (!parsed.success) return err(formatIssues(parsed.error.issues));
        const command = parsed.data;
        if (command.action === 'scan') return this.scan(command.text, command.symbology);
        if (command.action === 'unplug') this.port.unplug();
        else this.port.plug();
        return ok(this.state());
      },
      state: () => this.state(),
    };
  }

  state(): { plugged: boolean; connected: boolean; scans: number } {
    return { plugged: this.port.plugged, connected: this.port.connected, scans: this.#scans };
  }
}
