// Where the technician PIN's wrong-attempt count and lockout are kept. In SQLite on a kiosk, so
// pulling the plug (or crashing the daemon) does not hand an attacker a fresh set of guesses; in
// memory for tests that do not care.
import { err, ok, type Result } from '../core/result';
import type { KioskDatabase } from '../store/database';

export interface LockoutState {
  readonly failures: number;
  /** Wall-clock ms until which every login is refused; 0 when not locked. */
  readonly lockedUntil: number;
}

export interface LockoutStore {
  load(): LockoutState;
  save(state: LockoutState): Result<void, string>;
}

export const NOT_LOCKED: LockoutState = Object.freeze({ failures: 0, lockedUntil: 0 });

export function memoryLockoutStore(): LockoutStore {
  let state = NOT_LOCKED;
  return {
    load: () => state,
    save: (next) => {
      state = next;
      return ok(undefined);
    },
  };
}

export function sqliteLockoutStore(db: KioskDatabase): LockoutStore {
  const read = db.prepare<[], { failures: number; locked_until: number }>('SELECT failures, locked_until FROM technician_lockout WHERE id = 1');
  const write = db.prepare<[number, number]>(
    'INSERT INTO technician_lockout (id, failures, locked_until) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
  );
  return {
    load: () => {
      const row = read.get();
      return row ? { failures: row.failures, lockedUntil: row.locked_until } : NOT_LOCKED;
    },
    save: (state) => {
      try {
        write.run(state.failures, state.lockedUntil);
        return ok(undefined);
      } catch (cause) {
        // A full or failing disk: the caller keeps the state in memory and says so.
        return err(cause instanceof Error ? cause.message : String(cause));
      }
    },
  };
}
