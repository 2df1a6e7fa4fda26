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

/** What the diagnostics count of a listener set: its name and how many listeners it holds. */
interface Counted {
  readonly label: string;
  readonly size: number;
}

// Every listener set alive, held weakly so that counting them keeps none alive: a leak shows as a
// set whose listener count grows with sessions, and a set that is dropped leaves this registry.
const live = new Set<WeakRef<Counted>>();
const collected = new FinalizationRegistry<WeakRef<Counted>>((ref) => live.delete(ref));

export interface ListenerCount {
  readonly where: string;
  /** Listener sets of this name alive. */
  readonly sets: number;
  readonly listeners: number;
}

/** Listener sets alive and their listeners, by the name each was made with. */
export function listenerCounts(): ListenerCount[] {
  const byName = new Map<string, { sets: number; listeners: number }>();
  for (const ref of live) {
    const target = ref.deref();
    if (!target) continue;
    const entry = byName.get(target.label) ?? { sets: 0, listeners: 0 };
    entry.sets += 1;
    entry.listeners += target.size;
    byName.set(target.label, entry);
  }
  return [...byName].map(([where, c]) => ({ where, ...c })).sort((a, b) => a.where.localeCompare(b.where));
}

export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  constructor(private readonly where: string) {
    const ref = new WeakRef<Counted>(this);
    live.add(ref);
    collected.register(this, ref);
  }

  get label(): string {
    return this.where;
  }

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
