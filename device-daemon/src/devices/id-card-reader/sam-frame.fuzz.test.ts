// Property test of the frame decoder over random and mutated input: it never throws, never holds
// more than its bound, always finishes, and still finds every intact frame that follows garbage.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../testing/seeded-random';
import { encodeFrame, MAX_BUFFER, SamFrameDecoder } from './sam-frame';

const GOOD = encodeFrame(Uint8Array.of(0x00, 0x00, 0x90));

function mutate(random: () => number, frame: Uint8Array): Uint8Array {
  const out = Array.from(frame);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * (out.length + 1));
    const op = random();
    if (op < 0.4) out[at % out.length] = Math.floor(random() * 256);
    else if (op < 0.7) out.splice(at, 0, Math.floor(random() * 256));
    else out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

export function fuzzFrameDecoder(iterations: number, seed: number): { inputs: number; frames: number } {
  const random = seededRandom(seed);
  let found = 0;
  for (let i = 0; i < iterations; i += 1) {
    const decoder = new SamFrameDecoder(random() < 0.5 ? 4 : 2);
    const kind = random();
    let input: Uint8Array;
    if (kind < 0.3) input = Uint8Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() * 256));
    else if (kind < 0.8) input = mutate(random, encodeFrame(Uint8Array.from({ length: Math.floor(random() * 1300) }, () => Math.floor(random() * 256))));
    else input = Uint8Array.from({ length: 64 }, (_, j) => [0xaa, 0x96, 0x69, 0x00, 0xff][(j + Math.floor(random() * 5)) % 5] ?? 0);
    // Fed in random pieces, then followed by one intact frame that must come out.
    let at = 0;
    while (at < input.length) {
      const size = 1 + Math.floor(random() * 700);
      decoder.feed(input.subarray(at, at + size));
      if (decoder.buffered > MAX_BUFFER) throw new Error(`buffer ${decoder.buffered} over bound at input ${i}`);
      at += size;
    }
    // Garbage may have left a half-frame pending with a large declared length; the intact frame
    // arrives after enough bytes to complete or reject it.
    const flush = new Uint8Array(MAX_BUFFER).fill(0x00);
    decoder.feed(flush);
    const events = decoder.feed(GOOD);
    if (events.some((e) => e.kind === 'frame' && e.body.length === 3 && e.body[2] === 0x90)) found += 1;
  }
  return { inputs: iterations, frames: found };
}

describe('SAM frame decoder under random and mutated input', () => {
  it('never throws, stays bounded, and finds the intact frame after every input', () => {
    const { inputs, frames } = fuzzFrameDecoder(3_000, 0x5eed);
    expect(inputs).toBe(3_000);
    expect(frames).toBe(3_000);
  });
});

describe('card text decoding under random input', () => {
  it('answers every random or mutated block with a value, never a throw', async () => {
    const { decodeTextBlock } = await import('./card-text');
    const { validateCard } = await import('./card-validation');
    const random = seededRandom(0xca4d);
    let decoded = 0;
    for (let i = 0; i < 5_000; i += 1) {
      // Mostly plausible text (digits, Latin, CJK), then a few random bytes changed.
      const block = new Uint8Array(256);
      for (let j = 0; j < 256; j += 2) {
        const pick = random();
        const unit = pick < 0.4 ? 0x30 + Math.floor(random() * 10) : pick < 0.7 ? 0x20 + Math.floor(random() * 0x5f) : 0x4e00 + Math.floor(random() * 0x51a5);
        block[j] = unit & 0xff;
        block[j + 1] = unit >> 8;
      }
      block[248] = [0x20, 0x4a, 0x49, 0x59][Math.floor(random() * 4)] ?? 0x20;
      block[249] = 0;
      const edits = Math.floor(random() * 4);
      for (let e = 0; e < edits; e += 1) block[Math.floor(random() * 256)] = Math.floor(random() * 256);
      const text = decodeTextBlock(block);
      if (text.ok) {
        decoded += 1;
        validateCard(text.value, block.subarray(0, 200), '2026-11-22');
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});
