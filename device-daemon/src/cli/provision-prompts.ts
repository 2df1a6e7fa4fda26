// kioskctl provision's questions, one per answer of the --answers file, on the technician's
// terminal. What is plugged in is offered as each device's default profile; secrets and the PIN are
// not echoed. The answers go through the same validation as an answers file.
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { err, ok, type Result } from '../core/result';
import { KIND_OF_DRIVER, profilesFor, type DeviceProfile } from '../devices/discovery/device-profiles';
import { hex4, type FoundDevice } from '../devices/discovery/usb-sources';

export interface PromptOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly regions: readonly { readonly region: string; readonly name: { readonly zh: string; readonly en: string } }[];
  /** The default configuration's devices, by name and driver. */
  readonly devices: readonly { readonly name: string; readonly driver: string }[];
  readonly profiles: readonly DeviceProfile[];
  readonly detect: () => Promise<FoundDevice[]>;
}

/** Forwards to the terminal except while a secret is typed (readline echoes through its output). */
class MutableOutput extends Writable {
  muted = false;

  constructor(private readonly target: Writable) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.muted) done();
    else this.target.write(chunk, done);
  }
}

class InputEnded extends Error {}

export async function promptAnswers(options: PromptOptions): Promise<Result<unknown, string>> {
  const screen = new MutableOutput(options.output);
  const isTty = 'isTTY' in options.input && options.input.isTTY === true;
  const rl = createInterface({ input: options.input, output: screen, terminal: isTty });
  // Lines are taken from the iterator, which buffers them: piped answers arrive faster than questions.
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string): void => {
    options.output.write(text + '\n');
  };
  const ask = async (question: string, fallback?: string, secret = false): Promise<string> => {
    options.output.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
    screen.muted = secret;
    const next = await lines.next();
    screen.muted = false;
    if (secret) options.output.write('\n');
    if (next.done) throw new InputEnded();
    const answer = next.value.trim();
    return answer === '' && fallback !== undefined ? fallback : answer;
  };
  try {
    say('Provisioning this terminal. Press Enter to take the value in [brackets].');
    const terminalId = await ask('Terminal id (e.g. HZ-XH-0042)');
    const site = await ask('Site name (shown on slips)');
    say(`Regions with a township service list: ${options.regions.map((r) => `${r.region} ${r.name.zh}`).join(', ')}`);
    const region = await ask('Region code (6-digit county or 9-digit township)');
    const hotline = await ask('Hotline printed on slips', '12345');
    let found: FoundDevice[] = [];
    try {
      found = await options.detect();
    } catch {
      found = [];
    }
    say(`Plugged in: ${found.length === 0 ? 'nothing recognisable (see kioskctl devices)' : found.map((d) => `${d.source} ${d.id} ${hex4(d.vendorId)}:${hex4(d.productId)}`).join('; ')}`);
    const devices: Record<string, unknown> = {};
    for (const { name, driver } of options.devices) {
      const kind = KIND_OF_DRIVER[driver];
      const candidates = options.profiles.filter((p) => p.kind === kind);
      const seen = found.filter((d) => profilesFor(candidates, d).length > 0);
      const suggestion = seen[0] ? profilesFor(candidates, seen[0])[0]?.id : undefined;
      say(`${name}: profiles ${candidates.map((p) => p.id).join(', ')}; or "simulated", or "none"`);
      const choice = await ask(`  profile for ${name}`, suggestion);
      if (choice === 'none' || choice === 'simulated') {
        devices[name] = choice;
        continue;
      }
      const profile = candidates.find((p) => p.id === choice);
      const answer: Record<string, unknown> = { profile: choice };
      if (profile?.needs.includes('device')) answer.device = await ask(`  ${name}: V4L2 device (/dev/v4l/by-id/...)`, '/dev/video0');
      if (profile?.needs.includes('transport')) {
        const hid = seen.find((d) => d.source === 'hid');
        const ids = await ask(`  ${name}: HID vendor:product ids`, hid ? `${hex4(hid.vendorId)}:${hex4(hid.productId)}` : undefined);
        const [vendorId, productId] = ids.split(':');
        answer.transport = { kind: 'hid', vendorId: `0x${vendorId ?? ''}`, productId: `0x${productId ?? ''}` };
      }
      if (profile?.needs.includes('hidFraming')) answer.hidFraming = await ask(`  ${name}: the vendor's HID framing module (an ES module path)`);
      devices[name] = answer;
    }
    const platformUrl = await ask('Government platform URL');
    const appId = await ask('Platform app id');
    const platformSecret = await ask('Platform shared secret', undefined, true);
    const gatewayUrl = await ask('Payment gateway URL');
    const merchantId = await ask('Merchant id');
    const gatewaySecret = await ask('Gateway shared secret', undefined, true);
    const opsToken = await ask('Ops bearer token (Enter: generate one)', '', true);
    let technicianPin = '';
    for (let attempt = 0; attempt < 3 && technicianPin === ''; attempt += 1) {
      const first = await ask('Technician PIN (6 to 12 digits)', undefined, true);
      const again = await ask('The PIN again', undefined, true);
      if (first === again) technicianPin = first;
      else say('The two PINs differ; once more.');
    }
    say('The outbox encryption key is generated on this terminal.');
    return ok({
      terminalId,
      site,
      region,
      hotline,
      devices,
      backends: { platform: { url: platformUrl, appId, secret: platformSecret }, payments: { url: gatewayUrl, merchantId, secret: gatewaySecret } },
      ...(opsToken ? { opsToken } : {}),
      technicianPin,
    });
  } catch (error) {
    if (error instanceof InputEnded) return err('the input ended before every question was answered; nothing was written');
    throw error;
  } finally {
    rl.close();
  }
}
