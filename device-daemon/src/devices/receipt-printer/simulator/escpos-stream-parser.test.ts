import { describe, expect, it } from 'vitest';
import { nextToken, type EscPosToken } from './escpos-stream-parser';

function tokens(bytes: number[]): { tokens: EscPosToken[]; rest: number } {
  const b = Uint8Array.from(bytes);
  const out: EscPosToken[] = [];
  let at = 0;
  for (;;) {
    const step = nextToken(b, at);
    if (step.consumed === 0 || !step.token) break;
    out.push(step.token);
    at += step.consumed;
  }
  return { tokens: out, rest: b.length - at };
}

const names = (t: EscPosToken[]): string[] => t.map((x) => (x.kind === 'command' ? x.name : x.kind));

describe('ESC/POS stream parser', () => {
  it('splits text and commands', () => {
    // ESC @, FS &, "AB", LF, GS V 0, GS V 65 3
    const { tokens: t, rest } = tokens([0x1b, 0x40, 0x1c, 0x26, 0x41, 0x42, 0x0a, 0x1d, 0x56, 0x00, 0x1d, 0x56, 0x41, 0x03]);
    expect(names(t)).toEqual(['ESC @', 'FS &', 'text', 'LF', 'GS V', 'GS V']);
    expect(rest).toBe(0);
  });

  it('measures length-prefixed GS ( k and raster GS v 0 blocks', () => {
    const qrStore = [0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30, 0x41, 0x42, 0x43];
    const raster = [0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 1, 2, 3, 4];
    const { tokens: t, rest } = tokens([...qrStore, ...raster, 0x0a]);
    expect(names(t)).toEqual(['GS (', 'GS v 0', 'LF']);
    expect(t[0]?.bytes.length).toBe(11);
    expect(t[1]?.bytes.length).toBe(12);
    expect(rest).toBe(0);
  });

  it('waits for the rest of an incomplete command', () => {
    expect(tokens([0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31]).rest).toBe(6);
    expect(tokens([0x1b]).rest).toBe(1);
    expect(tokens([0x10, 0x04]).rest).toBe(2);
  });

  it('reports an unknown command and carries on', () => {
    const { tokens: t } = tokens([0x1b, 0x99, 0x41, 0x0a]);
    expect(names(t)).toEqual(['unknown', 'text', 'LF']);
  });
});
