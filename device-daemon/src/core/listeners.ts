// A small typed listener set. A listener that throws is a bug: it is reported, and the others
// still run, so one faulty subscriber cannot silence device events for everyone.

export type Unsubscribe = () => void;

export type BugReporter = (error: unknown, where: string) => void;

let reportBug: BugReporter = (error, where) => {
  console.error(`bug in ${where}:`, error);
};

export function setBugReporter(reporter: BugReporter): void {
  reportBug = reporter;
}

export function bug(error: unknown, where: string): void {
  reportBug(error, where);
}

export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  constructor(private readonly where: string) {}

  subscribe(listener: (value: T) => void): Unsubscribe {
    this.#set.add(listener);
    return () => {
      this.#set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#set]) {
      try {
        listener(value);
      } catch (error) {
        reportBug(error, this.where);
      }
    }
  }

  get size(): number {
    return this.#set.size;
  }

  clear(): void {
    this.#set.clear();
  }
}
