// A JPEG frame from a camera, shared by whoever needs it (the preview stream, the face check, the
// code scanner) and wiped when the last of them lets go: camera pictures are personal data and are
// not left in memory for the garbage collector to get round to.
export class CameraFrame {
  #refs = 1;

  constructor(
    readonly jpeg: Buffer,
    /** Counts frames since the camera started. */
    readonly seq: number,
    /** Arrival time, ms on a monotonic clock. */
    readonly at: number,
  ) {}

  /** Keeps the frame beyond the listener call that handed it over; pair with release(). */
  retain(): this {
    if (this.#refs === 0) throw new Error('frame retained after it was wiped');
    this.#refs += 1;
    return this;
  }

  release(): void {
    if (this.#refs === 0) return;
    this.#refs -= 1;
    if (this.#refs === 0) this.jpeg.fill(0);
  }

  get wiped(): boolean {
    return this.#refs === 0;
  }
}
