// Splits ffmpeg's MJPEG output into whole JPEG frames. It walks the JPEG marker structure (segment
// lengths, then entropy-coded data up to EOI) rather than searching for FF D9, because an EXIF
// thumbnail carries its own SOI/EOI inside an APP1 segment. Frames are bounded; garbage is skipped
// until the next SOI.
type State = 'seek' | 'seekFF' | 'marker' | 'markerCode' | 'length1' | 'length2' | 'skip' | 'entropy' | 'entropyFF';

export interface SplitterStats {
  frames: number;
  /** Bytes or frames thrown away: corrupt structure, or a frame over the size limit. */
  discarded: number;
}

export class JpegSplitter {
  #state: State = 'seek';
  #parts: Buffer[] = [];
  #length = 0;
  #segmentLength = 0;
  #remaining = 0;
  #afterSkip: State = 'marker';
  readonly stats: SplitterStats = { frames: 0, discarded: 0 };

  constructor(
    private readonly onFrame: (jpeg: Buffer) => void,
    private readonly maxFrameBytes = 16 * 1024 * 1024,
  ) {}

  reset(): void {
    this.#state = 'seek';
    this.#parts = [];
    this.#length = 0;
  }

  push(chunk: Buffer): void {
    let start = this.#state === 'seek' || this.#state === 'seekFF' ? -1 : 0;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.#state) {
        case 'seek': {
          const ff = chunk.indexOf(0xff, i);
          if (ff < 0) {
            i = n;
            break;
          }
          this.#state = 'seekFF';
          i = ff + 1;
          break;
        }
        case 'seekFF': {
          const b = chunk[i]!;
          i += 1;
          if (b === 0xd8) {
            this.#parts = [Buffer.from([0xff, 0xd8])];
            this.#length = 2;
            start = i;
            this.#state = 'marker';
          } else if (b !== 0xff) this.#state = 'seek';
          break;
        }
        case 'marker': {
          const b = chunk[i]!;
          i += 1;
          if (b === 0xff) this.#state = 'markerCode';
          else start = this.#corrupt();
          break;
        }
        case 'markerCode': {
          const b = chunk[i]!;
          i += 1;
          start = this.#markerCode(b, chunk, i, start);
          break;
        }
        case 'length1':
          this.#segmentLength = chunk[i]! << 8;
          i += 1;
          this.#state = 'length2';
          break;
        case 'length2': {
          this.#segmentLength |= chunk[i]!;
          i += 1;
          if (this.#segmentLength < 2) {
            start = this.#corrupt();
            break;
          }
          this.#remaining = this.#segmentLength - 2;
          this.#state = this.#remaining > 0 ? 'skip' : this.#afterSkip;
          break;
        }
        case 'skip': {
          const take = Math.min(this.#remaining, n - i);
          this.#remaining -= take;
          i += take;
          if (this.#remaining === 0) this.#state = this.#afterSkip;
          break;
        }
        case 'entropy': {
          const ff = chunk.indexOf(0xff, i);
          if (ff < 0) {
            i = n;
            break;
          }
          i = ff + 1;
          this.#state = 'entropyFF';
          break;
        }
        case 'entropyFF': {
          const b = chunk[i]!;
          i += 1;
          // Stuffed zero and restart markers belong to the scan; FF is fill.
          if (b === 0x00 || (b >= 0xd0 && b <= 0xd7)) this.#state = 'entropy';
          else if (b !== 0xff) start = this.#markerCode(b, chunk, i, start);
          break;
        }
      }
      if (start >= 0 && this.#length + (i - start) > this.maxFrameBytes) start = this.#corrupt();
    }
    if (start >= 0 && start < n && this.#state !== 'seek' && this.#state !== 'seekFF') {
      this.#parts.push(chunk.subarray(start));
      this.#length += n - start;
    }
  }

  /** Handles the marker byte after FF; `i` is the index after it. Returns where the frame's unsaved bytes start. */
  #markerCode(b: number, chunk: Buffer, i: number, start: number): number {
    if (b === 0xd9) {
      this.#parts.push(chunk.subarray(Math.max(0, start), i));
      const frame = Buffer.concat(this.#parts, this.#length + i - Math.max(0, start));
      this.#parts = [];
      this.#length = 0;
      this.#state = 'seek';
      this.stats.frames += 1;
      this.onFrame(frame);
      return -1;
    }
    if (b === 0xff) {
      this.#state = 'markerCode';
      return start;
    }
    if (b === 0xd8) {
      // A new SOI inside a frame: the previous frame was cut off.
      this.stats.discarded += 1;
      this.#parts = [Buffer.from([0xff, 0xd8])];
      this.#length = 2;
      this.#state = 'marker';
      return i;
    }
    if ((b >= 0xd0 && b <= 0xd7) || b === 0x01) {
      this.#state = 'marker';
      return start;
    }
    this.#afterSkip = b === 0xda ? 'entropy' : 'marker';
    this.#state = 'length1';
    return start;
  }

  #corrupt(): number {
    this.stats.discarded += 1;
    this.#parts = [];
    this.#length = 0;
    this.#state = 'seek';
    return -1;
  }
}
