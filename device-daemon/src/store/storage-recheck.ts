// While storage is failing, look again every so often. A full disk counts as back once it has room
// (StorageHealth.state), a failing or read-only one once a probe write goes through. A probe that
// fails is the same fault still there, not a new one: it is not counted. Without this a
// terminal whose UI has closed its journeys would wait for a write that nobody can start.
import type { StorageHealth } from './storage-health';

export interface StorageRecheckOptions {
  readonly intervalMs: number;
  /** A small write (an audit row); on success it calls StorageHealth.wrote, on failure nothing. */
  readonly probe: () => void;
}

/** Starts watching; returns the stop. The timer runs only while storage is failing, and never holds the process open. */
export function watchStorage(storage: StorageHealth, options: StorageRecheckOptions): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const recheck = (): void => {
    const state = storage.state();
    // A full disk is judged by its free space alone, so it does not flap on the last few pages.
    if (state.kind === 'ok' || state.fault === 'full') return;
    options.probe();
  };
  const unsubscribe = storage.subscribe((event) => {
    if (event.kind !== 'changed') return;
    if (event.state.kind === 'ok') stopTimer();
    else if (timer === undefined) {
      timer = setInterval(recheck, options.intervalMs);
      timer.unref();
    }
  });
  return () => {
    unsubscribe();
    stopTimer();
  };
}
