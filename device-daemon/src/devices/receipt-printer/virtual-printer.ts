// A virtual ESC/POS receipt printer: the simulator at the wire. It parses the byte stream command by
// command, keeps the printer's state, answers DLE EOT / GS r / Automatic Status Back with the same
// bits as the hardware, and can be switched into every fault the driver must survive.
import { concatBytes } from '../../core/bytes';
import type { MemoryEndpoint } from '../../transports/memory-transport';
import { SimulatedPort } from '../../simulators/simulated-port';
import { nextToken, type EscPosToken } from './escpos-stream-parser';

export type VirtualPaper = 'full' | 'nearEnd' | 'out';

export interface VirtualPrinterState {
  readonly plugged: boolean;
  readonly connected: boolean;
  readonly paper: VirtualPaper;
  readonly coverOpen: boolean;
  readonly cutterError: boolean;
  readonly unrecoverableError: boolean;
  /** false: the printer stays silent (no status replies), as when it is switched off. */
  readonly responsive: boolean;
  /** true: bytes are received but not processed, to hold a job in progress. */
  readonly held: boolean;
  readonly pendingBytes: number;
  readonly linesPrinted: number;
  readonly cuts: number;
  readonly unknownCommands: number;
}

export type VirtualPrinterControl =
  | { readonly action: 'paper'; readonly paper: VirtualPaper }
  | { readonly action: 'cover'; readonly open: boolean }
  | { readonly action: 'cutterError'; readonly on: boolean }
  | { readonly action: 'unrecoverableError'; readonly on: boolean }
  | { readonly action: 'responsive'; readonly on: boolean }
  | { readonly action: 'hold' }
  | { readonly action: 'release' }
  | { readonly action: 'unplug' }
  | { readonly action: 'plug' };

/** The receive buffer of a real printer is small; past this the simulator drops bytes, loudly. */
const MAX_BUFFER = 4 * 1024 * 1024;

const gb18030 = new TextDecoder('gb18030');
const latin1 = new TextDecoder('latin1');

export class VirtualPrinter {
  readonly port: SimulatedPort;
  #endpoint: MemoryEndpoint | undefined;
  #buffer: Uint8Array = new Uint8Array(0);
  #scanFrom = 0;
  #paper: VirtualPaper = 'full';
  #coverOpen = false;
  #cutterError = false;
  #unrecoverable = false;
  #responsive = true;
  #held = false;
  #asb = false;
  #chinese = false;
  #line: Uint8Array[] = [];
  readonly #lines: string[] = [];
  #cuts = 0;
  #unknown = 0;
  #overflowed = 0;

  constructor(label = 'virtual receipt printer') {
    this.port = new SimulatedPort(label);
    this.port.onConnection((endpoint) => this.#attach(endpoint));
  }

  /** Lines printed so far, decoded (GB18030 in Chinese mode). */
  get lines(): readonly string[] {
    return this.#lines;
  }

  state(): VirtualPrinterState {
    return {
      plugged: this.port.plugged,
      connected: this.port.connected,
      paper: this.#paper,
      coverOpen: this.#coverOpen,
      cutterError: this.#cutterError,
      unrecoverableError: this.#unrecoverable,
      responsive: this.#responsive,
      held: this.#held,
      pendingBytes: this.#buffer.length,
      linesPrinted: this.#lines.length,
      cuts: this.#cuts,
      unknownCommands: this.#unknown,
    };
  }

  control(command: VirtualPrinterControl): VirtualPrinterState {
    switch (command.action) {
      case 'paper':
        this.#paper = command.paper;
        break;
      case 'cover':
        this.#coverOpen = command.open;
        break;
      case 'cutterError':
        this.#cutterError = command.on;
        break;
      case 'unrecoverableError':
        this.#unrecoverable = command.on;
        break;
      case 'responsive':
        this.#responsive = command.on;
        break;
      case 'hold':
        this.#held = true;
        break;
      case 'release':
        this.#held = false;
        break;
      case 'unplug':
        this.port.unplug();
        break;
      case 'plug':
        this.port.plug();
        break;
    }
    this.#sendAsb();
    this.#process();
    return this.state();
  }

  #attach(endpoint: MemoryEndpoint): void {
    this.#endpoint = endpoint;
    // A new connection (power-up or replug) starts with an empty buffer and ASB off.
    this.#buffer = new Uint8Array(0);
    this.#scanFrom = 0;
    this.#asb = false;
    endpoint.onData((bytes) => this.#receive(bytes));
    endpoint.onClose(() => {
      if (this.#endpoint === endpoint) this.#endpoint = undefined;
    });
  }

  #send(bytes: Uint8Array): void {
    if (this.#responsive) this.#endpoint?.write(bytes);
  }

  get #offline(): boolean {
    return this.#coverOpen || this.#paper === 'out' || this.#cutterError || this.#unrecoverable;
  }

  #receive(bytes: Uint8Array): void {
    if (this.#buffer.length + bytes.length > MAX_BUFFER) {
      this.#overflowed += bytes.length;
      return;
    }
    this.#buffer = concatBytes(this.#buffer, bytes);
    this.#answerRealTime();
    this.#process();
  }

  /** DLE EOT and DLE ENQ act on arrival, even while the printer is offline or the job is held. */
  #answerRealTime(): void {
    const b = this.#buffer;
    let i = this.#scanFrom;
    for (; i + 2 < b.length; i += 1) {
      if (b[i] !== 0x10) continue;
      const kind = b[i + 1];
      const n = b[i + 2] ?? 0;
      if (kind === 0x04) this.#send(Uint8Array.of(this.#dleEotReply(n)));
      else if (kind === 0x05 && n === 2) {
        // Recover and clear the buffers: everything up to here is dropped.
        this.#buffer = b.slice(i + 3);
        this.#scanFrom = 0;
        this.#answerRealTime();
        return;
      }
    }
    this.#scanFrom = Math.max(0, i);
  }

  #dleEotReply(n: number): number {
    const paperEnd = this.#paper === 'out';
    const nearEnd = this.#paper !== 'full';
    switch (n) {
      case 1:
        return 0x12 | (this.#offline ? 0x08 : 0);
      case 2:
        return 0x12 | (this.#coverOpen ? 0x04 : 0) | (paperEnd ? 0x20 : 0) | (this.#cutterError || this.#unrecoverable ? 0x40 : 0);
      case 3:
        return 0x12 | (this.#cutterError ? 0x08 : 0) | (this.#unrecoverable ? 0x20 : 0);
      case 4:
        return 0x12 | (nearEnd ? 0x0c : 0) | (paperEnd ? 0x60 : 0);
      default:
        return 0x12;
    }
  }

  #sendAsb(): void {
    if (!this.#asb) return;
    const paperEnd = this.#paper === 'out';
    const nearEnd = this.#paper !== 'full';
    this.#send(
      Uint8Array.of(
        0x10 | (this.#offline ? 0x08 : 0) | (this.#coverOpen ? 0x20 : 0),
        (this.#cutterError ? 0x08 : 0) | (this.#unrecoverable ? 0x20 : 0),
        (nearEnd ? 0x03 : 0) | (paperEnd ? 0x0c : 0),
        0x00,
      ),
    );
  }

  /** Runs buffered commands in order until the buffer is empty, incomplete, held or offline. */
  #process(): void {
    let at = 0;
    const b = this.#buffer;
    while (!this.#held && !this.#offline && at < b.length) {
      const step = nextToken(b, at);
      if (step.consumed === 0 || !step.token) break;
      this.#execute(step.token);
      at += step.consumed;
    }
    if (at > 0) {
      this.#buffer = b.slice(at);
      this.#scanFrom = Math.max(0, this.#scanFrom - at);
    }
  }

  #execute(token: EscPosToken): void {
    if (token.kind === 'text') {
      this.#line.push(Uint8Array.from(token.bytes));
      return;
    }
    if (token.kind === 'unknown') {
      this.#unknown += 1;
      return;
    }
    switch (token.name) {
      case 'LF':
        this.#lines.push(this.#flushLine());
        return;
      case 'ESC @':
        this.#chinese = false;
        return;
      case 'FS &':
        this.#chinese = true;
        return;
      case 'FS .':
        this.#chinese = false;
        return;
      case 'GS V':
        if (this.#line.length > 0) this.#lines.push(this.#flushLine());
        this.#cuts += 1;
        return;
      case 'GS a':
        this.#asb = (token.bytes[2] ?? 0) !== 0;
        this.#sendAsb();
        return;
      case 'GS r': {
        const paperEnd = this.#paper === 'out';
        const nearEnd = this.#paper !== 'full';
        this.#send(Uint8Array.of((nearEnd ? 0x03 : 0) | (paperEnd ? 0x0c : 0)));
        return;
      }
      default:
        // Styles, images and 2-D codes do not change what the status replies say.
        return;
    }
  }

  #flushLine(): string {
    const bytes = concatBytes(...this.#line);
    this.#line = [];
    // Outside Chinese mode a high byte is a code-page character, not half of a GB18030 pair.
    return this.#chinese ? gb18030.decode(bytes) : latin1.decode(bytes);
  }
}
