// The township's service list, synced from the platform and cached in SQLite: the kiosk keeps
// offering its services (guides, applications) while the platform is down, and says how old its
// list is.
import { deadline } from '../../core/deadline';
import type { Logger } from '../../log/logger';
import type { KioskDatabase } from '../../store/database';
import { catalogueSchema, type Catalogue, type CatalogueItem } from './platform-api';
import type { PlatformClient } from './platform-client';

export interface CatalogueState {
  readonly catalogue: Catalogue | undefined;
  readonly syncedAt: string | undefined;
  /** The last sync attempt failed, or none succeeded yet. */
  readonly stale: boolean;
  readonly lastError: string | undefined;
}

export interface CatalogueOptions {
  readonly region: string;
  readonly syncIntervalMs: number;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export class CatalogueService {
  #catalogue: Catalogue | undefined;
  #syncedAt: string | undefined;
  #stale = true;
  #lastError: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #syncing: Promise<void> | undefined;
  readonly #stop = new AbortController();
  readonly #now: () => number;

  constructor(
    private readonly db: KioskDatabase,
    private readonly client: PlatformClient,
    private readonly options: CatalogueOptions,
  ) {
    this.#now = options.now ?? ((): number => Date.now());
    const row = db.prepare<[string], { body: string; synced_at: string }>('SELECT body, synced_at FROM catalogue_cache WHERE region = ?').get(options.region);
    if (row) {
      const cached = catalogueSchema.safeParse(JSON.parse(row.body));
      if (cached.success) {
        this.#catalogue = cached.data;
        this.#syncedAt = row.synced_at;
      } else options.log.warn('cached catalogue does not fit the schema; waiting for a sync');
    }
  }

  state(): CatalogueState {
    return { catalogue: this.#catalogue, syncedAt: this.#syncedAt, stale: this.#stale, lastError: this.#lastError };
  }

  item(code: string): CatalogueItem | undefined {
    return this.#catalogue?.items.find((i) => i.code === code);
  }

  start(): void {
    void this.sync();
    this.#timer = setInterval(() => void this.sync(), this.options.syncIntervalMs);
  }

  stop(): Promise<void> {
    this.#stop.abort();
    if (this.#timer) clearInterval(this.#timer);
    return this.#syncing ?? Promise.resolve();
  }

  /** One sync; concurrent calls share it. */
  sync(): Promise<void> {
    this.#syncing ??= this.#sync().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    const guard = deadline(this.#stop.signal, this.options.timeoutMs, 'catalogue sync');
    try {
      const fetched = await this.client.catalogue(this.options.region, guard.signal);
      if (!fetched.ok) {
        if (!this.#stale || this.#lastError !== fetched.error.message) this.options.log.warn({ reason: fetched.error.message }, 'catalogue sync failed; serving the cached list');
        this.#stale = true;
        this.#lastError = fetched.error.message;
        return;
      }
      const syncedAt = new Date(this.#now()).toISOString();
      if (fetched.value.version !== this.#catalogue?.version) {
        this.db
          .prepare('INSERT INTO catalogue_cache (region, version, body, synced_at) VALUES (?, ?, ?, ?) ON CONFLICT (region) DO UPDATE SET version = excluded.version, body = excluded.body, synced_at = excluded.synced_at')
          .run(this.options.region, fetched.value.version, JSON.stringify(fetched.value), syncedAt);
        this.options.log.info({ version: fetched.value.version, items: fetched.value.items.length }, 'catalogue updated');
      } else this.db.prepare('UPDATE catalogue_cache SET synced_at = ? WHERE region = ?').run(syncedAt, this.options.region);
      this.#catalogue = fetched.value;
      this.#syncedAt = syncedAt;
      this.#stale = false;
      this.#lastError = undefined;
    } finally {
      guard.dispose();
    }
  }
}
