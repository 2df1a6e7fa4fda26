// What a sandbox backend remembers (applications, ledgers, idempotency replies): a small key-value
// store in SQLite, in memory for tests or in a file so `npm start` keeps its sandbox across restarts.
import Database from 'better-sqlite3';
import type { z } from 'zod';

export class SandboxStore {
  readonly #db: Database.Database;
  readonly #get;
  readonly #put;
  readonly #list;

  constructor(path = ':memory:') {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ns, key)) STRICT');
    this.#get = this.#db.prepare<[string, string], { value: string }>('SELECT value FROM kv WHERE ns = ? AND key = ?');
    this.#put = this.#db.prepare(`INSERT INTO kv (ns, key, value, seq) VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM kv))
      ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value`);
    this.#list = this.#db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM kv WHERE ns = ? ORDER BY seq');
  }

  get<S extends z.ZodType>(ns: string, key: string, schema: S): z.infer<S> | undefined {
    const row = this.#get.get(ns, key);
    if (!row) return undefined;
    const parsed = schema.safeParse(JSON.parse(row.value));
    if (!parsed.success) throw new Error(`sandbox store ${ns}/${key} does not fit its schema`);
    return parsed.data;
  }

  put(ns: string, key: string, value: unknown): void {
    this.#put.run(ns, key, JSON.stringify(value));
  }

  /** In insertion order. */
  list<S extends z.ZodType>(ns: string, schema: S): Array<{ key: string; value: z.infer<S> }> {
    return this.#list.all(ns).map((row) => {
      const parsed = schema.safeParse(JSON.parse(row.value));
      if (!parsed.success) throw new Error(`sandbox store ${ns}/${row.key} does not fit its schema`);
      return { key: row.key, value: parsed.data };
    });
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  close(): void {
    this.#db.close();
  }
}
