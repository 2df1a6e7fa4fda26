// Named monotonic counters (tracking numbers, order numbers): call inside the transaction that
// uses the value, so a number is never issued twice, even across a crash.
import type { KioskDatabase } from './database';

export function nextCounter(db: KioskDatabase, name: string): number {
  const row = db.prepare<[string], { value: number }>('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value').get(name);
  if (!row) throw new Error(`counter ${name} returned nothing`);
  return row.value;
}
