// Request ids a connection has used recently. XFS4IoT wants them unique per connection; holding
// every id of a connection that lives for months would grow without bound, so uniqueness is kept
// against the ids in flight plus the last `capacity` completed ones.
export class RecentIds {
  readonly #ids = new Set<number>();

  constructor(private readonly capacity: number) {}

  has(id: number): boolean {
    return this.#ids.has(id);
  }

  add(id: number): void {
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next();
      if (!oldest.done) this.#ids.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#ids.size;
  }
}
