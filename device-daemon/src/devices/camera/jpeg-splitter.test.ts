import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../testing/seeded-random';
import { JpegSplitter } from './jpeg-splitter';

async function jpeg(seed: number, width = 64, height = 48): Promise<Buffer> {
  const random = seededRandom(seed);
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i += 1) raw[i] = Math.floor(random() * 256);
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** A JPEG with an APP1 segment that carries a whole thumbnail JPEG, EOI and all, as EXIF does. */
function withThumbnail(outer: Buffer, thumbnail: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from('Exif\0\0'), thumbnail]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([outer.subarray(0, 2), app1, payload, outer.subarray(2)]);
}

/** A hand-made scan: stuffed FF 00, a restart marker, fill bytes before EOI. */
const SYNTHETIC = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x04, 0xff, 0xd9, 0xff, 0xda, 0x00, 0x03, 0x01, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0xff, 0xd9]);

function split(stream: Buffer, chunking: (n: number) => number, maxFrameBytes?: number): { frames: Buffer[]; splitter: JpegSplitter } {
  const frames: Buffer[] = [];
  const splitter = new JpegSplitter((f) => frames.push(f), maxFrameBytes);
  for (let i = 0; i < stream.length; ) {
    const size = Math.max(1, chunking(i));
    splitter.push(stream.subarray(i, i + size));
    i += size;
  }
  return { frames, splitter };
}

describe('JPEG splitter', () => {
  it('returns every frame byte for byte, whatever the chunk boundaries', async () => {
    const frames = [await jpeg(1), await jpeg(2, 320, 240), withThumbnail(await jpeg(3), await jpeg(4, 16, 16)), SYNTHETIC];
    const stream = Buffer.concat(frames);
    const random = seededRandom(7);
    for (const chunking of [() => 1, () => 2, () => 4096, () => stream.length, () => Math.floor(random() * 700) + 1]) {
      const { frames: out, splitter } = split(stream, chunking);
      expect(out).toEqual(frames);
      expect(splitter.stats).toEqual({ frames: frames.length, discarded: 0 });
    }
  });

  it('does not end a frame at the EOI of an embedded thumbnail', async () => {
    const framed = withThumbnail(await jpeg(5), await jpeg(6, 8, 8));
    const { frames } = split(framed, () => 97);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(framed.length);
    await expect(sharp(frames[0]!).metadata()).resolves.toMatchObject({ width: 64, height: 48 });
  });

  it('skips garbage between frames and a frame cut off by the next SOI', async () => {
    const a = await jpeg(8);
    const b = await jpeg(9);
    const cut = a.subarray(0, Math.floor(a.length / 2));
    const stream = Buffer.concat([Buffer.from('noise\xff\x00\xff'), cut, b, Buffer.from([0x00, 0xff, 0x12]), a]);
    const { frames, splitter } = split(stream, () => 333);
    expect(frames).toEqual([b, a]);
    expect(splitter.stats.discarded).toBe(1);
  });

  it('drops a frame larger than the limit and finds the next', async () => {
    const big = await jpeg(10, 320, 240);
    const small = SYNTHETIC;
    const { frames, splitter } = split(Buffer.concat([big, small]), () => 512, 1024);
    expect(frames).toEqual([small]);
    expect(splitter.stats.discarded).toBe(1);
  });

  it('drops a frame whose structure is broken', () => {
    const broken = Buffer.from([0xff, 0xd8, 0x12, 0x34]);
    const { frames, splitter } = split(Buffer.concat([broken, SYNTHETIC]), () => 3);
    expect(frames).toEqual([SYNTHETIC]);
    expect(splitter.stats.discarded).toBe(1);
  });
});
