// A virtual SAM behind the in-memory transport: it answers the exact GA 467 frames for scripted
// cards of all four layouts, follows a real reader's card states (found, selected, read; a read
// card is not found again until it is taken away), and can be told to fail in every way the
// driver must survive. Its photo decoder returns each card's fixture picture.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { concatBytes } from '../../core/bytes';
import { err, ok, type Result } from '../../core/result';
import { SimulatedPort } from '../../simulators/simulated-port';
import type { MemoryEndpoint } from '../../transports/memory-transport';
import { PHOTO_HEIGHT, PHOTO_WIDTH, type DecodedPhoto, type PhotoDecoder, type PhotoError } from './photo-decoder';
import { encodeFrame, SamFrameDecoder } from './sam-frame';
import { encodeCardText, type SimulatedCard } from './simulated-card';

export const VIRTUAL_SAM_FAULTS = [
  'samSelfTestFailed',
  'samNotAuthorised',
  'badChecksum',
  'strayBytes',
  'splitFrames',
  'garbage',
  'silent',
  'pullMidRead',
  'readFailed',
  // Corruptions of the card's text block, for the decoder's bad-input paths.
  'unknownCardType',
  'badUtf16',
  'badCheckDigit',
] as const;
export type VirtualSamFault = (typeof VIRTUAL_SAM_FAULTS)[number];

export type VirtualSamControl =
  | { readonly action: 'place'; readonly card: string }
  | { readonly action: 'remove' }
  | { readonly action: 'fault'; readonly fault: VirtualSamFault; readonly on: boolean }
  | { readonly action: 'clearFaults' }
  | { readonly action: 'latency'; readonly ms: number }
  | { readonly action: 'unplug' }
  | { readonly action: 'plug' };

export interface VirtualSamState {
  readonly plugged: boolean;
  readonly connected: boolean;
  readonly card: string | undefined;
  readonly phase: Phase;
  readonly faults: readonly VirtualSamFault[];
  readonly latencyMs: number;
  readonly cards: readonly string[];
  readonly commands: number;
}

type Phase = 'none' | 'placed' | 'found' | 'selected' | 'read';

/** WLT header bytes seen in every public dump; the rest of a simulated photo is filler. */
const WLT_HEADER = Uint8Array.of(0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff, 0x85);

function fill(seed: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < length; i += 1) {
    if (i > 0 && i % block.length === 0) block = createHash('sha256').update(block).digest();
    out[i] = block[i % block.length] ?? 0;
  }
  return out;
}

const STRAY = Uint8Array.of(0x00, 0xaa, 0x13, 0xaa, 0xaa, 0x96, 0x55);

export class VirtualSam {
  readonly port: SimulatedPort;
  readonly #cards = new Map<string, { readonly card: SimulatedCard; readonly text: Uint8Array; readonly wlt: Uint8Array; readonly serial: Uint8Array }>();
  #endpoint: MemoryEndpoint | undefined;
  #decoder = new SamFrameDecoder(2);
  #card: string | undefined;
  #phase: Phase = 'none';
  readonly #faults = new Set<VirtualSamFault>();
  #latencyMs = 0;
  #commands = 0;
  #garbageSeed = 0;

  constructor(cards: readonly SimulatedCard[], label = 'virtual SAM') {
    for (const card of cards) {
      this.#cards.set(card.id, {
        card,
        text: encodeCardText(card),
        wlt: concatBytes(WLT_HEADER, fill(`wlt:${card.id}`, 1024 - WLT_HEADER.length)),
        serial: fill(`sn:${card.id}`, 8),
      });
    }
    this.port = new SimulatedPort(label);
    this.port.onConnection((endpoint) => this.#attach(endpoint));
  }

  state(): VirtualSamState {
    return {
      plugged: this.port.plugged,
      connected: this.port.connected,
      card: this.#card,
      phase: this.#phase,
      faults: [...this.#faults],
      latencyMs: this.#latencyMs,
      cards: [...this.#cards.keys()],
      commands: this.#commands,
    };
  }

  control(command: VirtualSamControl): Result<VirtualSamState, string> {
    switch (command.action) {
      case 'place':
        if (!this.#cards.has(command.card)) return err(`no scripted card "${command.card}"; known: ${[...this.#cards.keys()].join(', ')}`);
        this.#card = command.card;
        this.#phase = 'placed';
        break;
      case 'remove':
        this.#card = undefined;
        this.#phase = 'none';
        break;
      case 'fault':
        if (command.on) this.#faults.add(command.fault);
        else this.#faults.delete(command.fault);
        break;
      case 'clearFaults':
        this.#faults.clear();
        this.#latencyMs = 0;
        break;
      case 'latency':
        this.#latencyMs = Math.max(0, Math.min(60_000, Math.round(command.ms)));
        break;
      case 'unplug':
        this.port.unplug();
        break;
      case 'plug':
        this.port.plug();
        break;
    }
    return ok(this.state());
  }

  /** The simulator's photo decoder: each scripted card's WLT bytes decode to its fixture picture. */
  photoDecoder(): PhotoDecoder {
    return {
      kind: 'simulated',
      decode: async (wlt) => {
        for (const entry of this.#cards.values()) {
          if (entry.wlt.length === wlt.length && entry.wlt.every((b, i) => b === wlt[i])) return loadFixturePhoto(entry.card);
        }
        return err<PhotoError>({ code: 'decoderFailed', message: 'not a photo of a scripted card' });
      },
    };
  }

  #attach(endpoint: MemoryEndpoint): void {
    this.#endpoint = endpoint;
    this.#decoder = new SamFrameDecoder(2);
    endpoint.onData((bytes) => {
      for (const event of this.#decoder.feed(bytes)) {
        if (event.kind === 'frame') this.#handle(event.body);
        else if (event.kind === 'checksumError') this.#reply(0x10);
        else if (event.kind === 'lengthError') this.#reply(0x11);
      }
    });
    endpoint.onClose(() => {
      if (this.#endpoint === endpoint) this.#endpoint = undefined;
    });
  }

  #handle(body: Uint8Array): void {
    this.#commands += 1;
    const [cmd, para] = [body[0] ?? 0, body[1] ?? 0];
    if (this.#faults.has('samSelfTestFailed')) return this.#reply(0x60);
    const entry = this.#card ? this.#cards.get(this.#card) : undefined;
    const key = `${cmd.toString(16).padStart(2, '0')}${para.toString(16).padStart(2, '0')}`;
    switch (key) {
      case '10ff':
      case '11ff':
        return this.#reply(0x90);
      case '12ff':
        return this.#reply(0x90, Uint8Array.of(0x05, 0x00, 0x02, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0x4e, 0x61, 0xbc, 0x00, 0xb1, 0x7f, 0x5e, 0x04));
      default:
        break;
    }
    if (this.#faults.has('samNotAuthorised')) return this.#reply(0x66);
    switch (key) {
      case '2001':
        if (!entry || this.#phase === 'read') return this.#reply(0x80, Uint8Array.of(0, 0, 0, 0));
        this.#phase = 'found';
        return this.#reply(0x9f, Uint8Array.of(0, 0, 0, 0));
      case '2002':
        if (!entry || (this.#phase !== 'found' && this.#phase !== 'selected')) return this.#reply(0x81);
        this.#phase = 'selected';
        return this.#reply(0x90, entry.serial);
      case '3001':
      case '3010': {
        if (!entry || this.#phase !== 'selected') return this.#reply(0x41);
        if (this.#faults.has('readFailed')) return this.#reply(0x41);
        if (this.#faults.has('pullMidRead')) {
          this.#card = undefined;
          this.#phase = 'none';
          return this.#reply(0x41);
        }
        this.#phase = 'read';
        const fingerprint = key === '3010' && entry.card.fingerprint ? fill(`fp:${entry.card.id}`, 1024) : new Uint8Array(0);
        const lengths = Uint8Array.of(0x01, 0x00, 0x04, 0x00, ...(key === '3010' ? [fingerprint.length >> 8, fingerprint.length & 0xff] : []));
        return this.#reply(0x90, concatBytes(lengths, this.#corrupted(entry.text), entry.wlt, fingerprint));
      }
      case '3003': {
        if (!entry || (this.#phase !== 'selected' && this.#phase !== 'read')) return this.#reply(0x41);
        const address = entry.card.newAddress;
        if (!address) return this.#reply(0x91);
        const data = new Uint8Array(70);
        for (let i = 0; i < 35; i += 1) {
          const code = i < address.length ? address.charCodeAt(i) : 0x20;
          data[i * 2] = code & 0xff;
          data[i * 2 + 1] = code >> 8;
        }
        return this.#reply(0x90, data);
      }
      default:
        return this.#reply(0x21);
    }
  }

  #corrupted(text: Uint8Array): Uint8Array {
    const out = Uint8Array.from(text);
    if (this.#faults.has('unknownCardType')) out[248] = 0x58;
    if (this.#faults.has('badUtf16')) {
      // A lone high surrogate as the first character of the name.
      out[0] = 0x00;
      out[1] = 0xd8;
    }
    if (this.#faults.has('badCheckDigit')) {
      // The last character of the number field (bytes 122 to 157 on citizen-style layouts).
      const at = 122 + 17 * 2;
      out[at] = (out[at] ?? 0x30) === 0x30 ? 0x31 : 0x30;
    }
    return out;
  }

  #reply(sw3: number, data: Uint8Array = new Uint8Array(0)): void {
    if (this.#faults.has('silent')) return;
    let frame = encodeFrame(concatBytes(Uint8Array.of(0x00, 0x00, sw3), data));
    if (this.#faults.has('garbage')) {
      this.#garbageSeed += 1;
      frame = fill(`garbage:${this.#garbageSeed}`, 24);
    }
    if (this.#faults.has('badChecksum')) {
      frame = Uint8Array.from(frame);
      frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
    }
    if (this.#faults.has('strayBytes')) frame = concatBytes(STRAY, frame);
    const send = (): void => {
      const endpoint = this.#endpoint;
      if (!endpoint) return;
      if (this.#faults.has('splitFrames')) {
        for (let i = 0; i < frame.length; i += 5) endpoint.write(frame.subarray(i, i + 5));
      } else {
        endpoint.write(frame);
      }
    };
    if (this.#latencyMs > 0) setTimeout(send, this.#latencyMs);
    else send();
  }
}

/** A silhouette, for scripted cards without a fixture image. */
const SILHOUETTE = `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO_WIDTH}" height="${PHOTO_HEIGHT}">
<rect width="100%" height="100%" fill="#f4f4f4"/>
<ellipse cx="51" cy="52" rx="25" ry="31" fill="#b9a08a"/>
<path d="M8 126 C12 92 32 84 51 84 C70 84 90 92 94 126 Z" fill="#3b4a63"/>
</svg>`;

async function loadFixturePhoto(card: SimulatedCard): Promise<Result<DecodedPhoto, PhotoError>> {
  try {
    const { default: sharp } = await import('sharp');
    const source = card.photo ? await readFile(card.photo) : Buffer.from(SILHOUETTE);
    const { data, info } = await sharp(source).removeAlpha().toColourspace('srgb').resize(PHOTO_WIDTH, PHOTO_HEIGHT, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return err({ code: 'invalidOutput', message: `fixture has ${info.channels} channels` });
    return ok({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  } catch (cause) {
    return err({ code: 'decoderFailed', message: `fixture photo of card ${card.id}: ${cause instanceof Error ? cause.message : String(cause)}` });
  }
}
