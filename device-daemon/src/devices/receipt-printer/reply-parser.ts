// Sorts the bytes a receipt printer sends back into replies: DLE EOT replies (0xx1xx10), the 4-byte
// Automatic Status Back (0xx1xx00 then three 0xx0xxxx), and GS r replies (0xx0xxxx). Anything else
// is noise and is counted, not trusted.

export type PrinterReply =
  | { readonly kind: 'dleEot'; readonly byte: number }
  | { readonly kind: 'asb'; readonly bytes: readonly [number, number, number, number] }
  | { readonly kind: 'processed'; readonly byte: number }
  | { readonly kind: 'noise'; readonly byte: number };

export class PrinterReplyParser {
  #asb: number[] | undefined;

  /** Without Automatic Status Back a 0xx1xx00 byte is noise, not the start of a 4-byte block. */
  constructor(private readonly autoStatusBack: boolean) {}

  /** Feeds bytes in arrival order; returns the replies they complete. */
  feed(bytes: Uint8Array): PrinterReply[] {
    const replies: PrinterReply[] = [];
    for (const byte of bytes) {
      if (this.#asb) {
        if ((byte & 0x90) !== 0) {
          // Not an ASB continuation: the header was noise, the 0xx0xxxx bytes held after it are GS r
          // replies after all (a lost one would leave a job waiting), and this byte is reconsidered.
          const [header, ...held] = this.#asb;
          replies.push({ kind: 'noise', byte: header ?? 0 });
          for (const b of held) replies.push({ kind: 'processed', byte: b });
          this.#asb = undefined;
        } else {
          this.#asb.push(byte);
          if (this.#asb.length === 4) {
            const [a, b, c, d] = this.#asb as [number, number, number, number];
            replies.push({ kind: 'asb', bytes: [a, b, c, d] });
            this.#asb = undefined;
          }
          continue;
        }
      }
      if ((byte & 0x93) === 0x12) replies.push({ kind: 'dleEot', byte });
      else if ((byte & 0x93) === 0x10 && this.autoStatusBack) this.#asb = [byte];
      else if ((byte & 0x90) === 0) replies.push({ kind: 'processed', byte });
      else replies.push({ kind: 'noise', byte });
    }
    return replies;
  }

  reset(): void {
    this.#asb = undefined;
  }
}
