// Whether the data directory can take writes. A full disk (or a failing or read-only one) is an
// expected fault of a terminal left alone for months, not a bug: the write that met it becomes a value
// at the command boundary, the terminal says it is not ready, and it clears by itself once space is
// back, without a restart.
import { statfsSync } from 'node:fs';
import { Listeners, type Unsubscribe } from '../core/listeners';

export const STORAGE_FAULTS = ['full', 'io', 'readOnly'] as const;
export type StorageFault = (typeof STORAGE_FAULTS)[number];

export type StorageEvent = { readonly kind: 'fault'; readonly fault: StorageFault; readonly where: string } | { readonly kind: 'changed'; readonly state: StorageState };

export type StorageState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'failing'; readonly fault: StorageFault; readonly since: string; readonly where: string };

const SQLITE_CODES: ReadonlyArray<readonly [RegExp, StorageFault]> = [
  [/^SQLITE_FULL$/, 'full'],
  [/^SQLITE_IOERR/, 'io'],
  [/^SQLITE_READONLY/, 'readOnly'],
  [/^(ENOSPC|EDQUOT)$/, 'full'],
  [/^EIO$/, 'io'],
  [/^EROFS$/, 'readOnly'],
];

/** The storage fault an error stands for (better-sqlite3's SqliteError, or a Node file system errno). */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  if (typeof code !== 'string') return undefined;
  return SQLITE_CODES.find(([pattern]) => pattern.test(code))?.[1];
}

export interface StorageHealthOptions {
  readonly dataDir: string;
  /** Free bytes at which a failing disk counts as usable again. */
  readonly minFreeBytes: number;
  readonly now?: () => number;
  /** Free bytes of the data directory's file system; statfs unless a test gives its own. */
  readonly freeBytes?: (dir: string) => number | undefined;
}

const statfsFree = (dir: string): number | undefined => {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
};

export class StorageHealth {
  readonly #options: StorageHealthOptions;
  #state: StorageState = { kind: 'ok' };
  readonly #faults = new Map<StorageFault, number>();
  readonly #events = new Listeners<StorageEvent>('storage');

  constructor(options: StorageHealthOptions) {
    this.#options = options;
  }

  /** Every fault met, and each change between ok and failing (metrics and the log hang here). */
  subscribe(listener: (event: StorageEvent) => void): Unsubscribe {
    return this.#events.subscribe(listener);
  }

  /** A write failed; true when the error was a storage fault (and so not a bug). */
  failed(error: unknown, where: string): boolean {
    const fault = storageFaultOf(error);
    if (fault === undefined) return false;
    this.#faults.set(fault, (this.#faults.get(fault) ?? 0) + 1);
    this.#events.emit({ kind: 'fault', fault, where });
    if (this.#state.kind === 'ok') this.#set({ kind: 'failing', fault, since: new Date((this.#options.now ?? Date.now)()).toISOString(), where });
    return true;
  }

  /** A write went through: whatever was failing is past. */
  wrote(): void {
    if (this.#state.kind !== 'ok') this.#set({ kind: 'ok' });
  }

  freeBytes(): number | undefined {
    return (this.#options.freeBytes ?? statfsFree)(this.#options.dataDir);
  }

  /**
   * The state now. A full disk with room again is ok even before the next write tries, so a terminal
   * nobody uses while it is not ready still comes back.
   */
  state(): StorageState {
    if (this.#state.kind === 'failing' && this.#state.fault === 'full') {
      const free = this.freeBytes();
      if (free !== undefined && free >= this.#options.minFreeBytes) this.#set({ kind: 'ok' });
    }
    return this.#state;
  }

  ready(): boolean {
    return this.state().kind === 'ok';
  }

  /** Storage faults met since start, by kind. */
  faults(): ReadonlyMap<StorageFault, number> {
    return this.#faults;
  }

  #set(state: StorageState): void {
    this.#state = state;
    this.#events.emit({ kind: 'changed', state });
  }
}
