// A virtual ESC/POS receipt printer: the simulator at the wire. It parses the byte stream command by
// command, prints onto a paper model it can render as a PNG, answers DLE EOT / GS r / Automatic
// Status Back with the same bits as the hardware, and can be switched into every fault the driver
// must survive. Like a real printer it stops at paper end or an open cover with the rest of the
// job in its buffer, and finishes it when the fault is cleared.
import { concatBytes } from '../../../core/bytes';
import type { MemoryEndpoint } from '../../../transports/memory-transport';
import { SimulatedPort } from '../../../simulators/simulated-port';
import { nextToken, type EscPosToken } from './escpos-stream-parser';
import { PaperRenderer } from './paper-render';
import { PrinterModel } from './printer-model';
import { lineText as lineTextOf } from './paper';

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
  /** The roll ends after this many more printed lines: paper out in the middle of a job. */
  | { readonly action: 'paperRunsOut'; readonly afterLines: number }
  | { readonly action: 'cover'; readonly open: boolean }
  | { readonly action: 'cutterError'; readonly on: boolean }
  | { readonly action: 'unrecoverableError'; readonly on: boolean }
  | { readonly action: 'responsive'; readonly on: boolean }
  | { readonly action: 'hold' }
  | { readonly action: 'release' }
  | { readonly action: 'unplug' }
  | { readonly action: 'plug' }
  /** What is on the roll is torn away: the paper model forgets it (long runs such as the soak). */
  | { readonly action: 'tear' };

/** The receive buffer of a real printer is small; past this the simulator drops bytes, loudly. */
const MAX_BUFFER = 4 * 1024 * 1024;

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
  #linesLeft: number | undefined;
  readonly #model = new PrinterModel();
  readonly #renderer = new PaperRenderer();
  #overflowed = 0;

  constructor(label = 'virtual receipt printer') {
    this.port = new SimulatedPort(label);
    this.port.onConnection((endpoint) => this.#attach(endpoint));
  }

  /** Text lines printed so far, decoded (GB18030 in Chinese mode). */
  get lines(): readonly string[] {
    return this.#model.textLines();
  }

  get paper(): PrinterModel['paper'] {
    return this.#model.paper;
  }

  /** The last receipt cut off the roll (or the `index`-th, oldest first), as a PNG 576 dots wide. */
  async receiptPng(index = -1): Promise<Buffer | undefined> {
    const receipts = this.#model.paper.receipts();
    const receipt = receipts.at(index);
    return receipt ? this.#renderer.renderPng(receipt) : undefined;
  }

  /** Text lines of the last receipt cut off the roll. */
  receiptText(index = -1): string[] {
    const receipt = this.#model.paper.receipts().at(index) ?? [];
    return receipt.flatMap((b) => (b.kind === 'text' ? [lineTextOf(b)] : []));
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
      linesPrinted: this.#model.textLines().length,
      cuts: this.#model.paper.cuts,
      unknownCommands: this.#model.unknownCommands,
    };
  }

  control(command: VirtualPrinterControl): VirtualPrinterState {
    switch (command.action) {
      case 'paper':
        this.#paper = command.paper;
        this.#linesLeft = undefined;
        break;
      case 'paperRunsOut':
        this.#linesLeft = Math.max(0, command.afterLines);
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
      case 'tear':
        this.#model.paper.clear();
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
      if (this.#linesLeft !== undefined && step.token.kind === 'command' && step.token.name === 'LF') {
        this.#linesLeft -= 1;
        if (this.#linesLeft <= 0) {
          this.#linesLeft = undefined;
          this.#paper = 'out';
          this.#sendAsb();
        }
      }
    }
    if (at > 0) {
      this.#buffer = b.slice(at);
      this.#scanFrom = Math.max(0, this.#scanFrom - at);
    }
  }

  #execute(token: EscPosToken): void {
    if (token.kind === 'command' && token.name === 'GS a') {
      this.#asb = (token.bytes[2] ?? 0) !== 0;
      this.#sendAsb();
      return;
    }
    if (token.kind === 'command' && token.name === 'GS r') {
      const paperEnd = this.#paper === 'out';
      const nearEnd = this.#paper !== 'full';
      this.#send(Uint8Array.of((nearEnd ? 0x03 : 0) | (paperEnd ? 0x0c : 0)));
      return;
    }
    // Real-time commands were answered on arrival.
    if (token.kind === 'command' && (token.name === 'DLE EOT' || token.name === 'DLE ENQ' || token.name === 'DLE DC4')) return;
    this.#model.execute(token);
  }
}
