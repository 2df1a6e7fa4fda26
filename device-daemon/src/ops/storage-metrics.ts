// The data directory's health for the fleet: operators page on kiosk_storage_ok == 0 (the terminal
// is refusing payments and submissions it cannot record) and warn on free bytes falling.
import { Counter, Gauge, type Registry } from 'prom-client';
import { STORAGE_FAULTS, type StorageHealth } from '../store/storage-health';

export function registerStorageMetrics(registry: Registry, storage: StorageHealth): void {
  new Gauge({
    name: 'kiosk_storage_ok',
    help: '1 while the data directory takes writes; 0 since a write failed (disk full, I/O error, read-only) until space is back or a write succeeds.',
    registers: [registry],
    collect() {
      this.set(storage.ready() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kiosk_storage_free_bytes',
    help: 'Bytes free to the daemon on the file system of its data directory.',
    registers: [registry],
    collect() {
      const free = storage.freeBytes();
      if (free !== undefined) this.set(free);
    },
  });
  const faults = new Counter({
    name: 'kiosk_storage_faults_total',
    help: 'Writes to the data directory that failed, by fault (full, io, readOnly).',
    labelNames: ['fault'],
    registers: [registry],
  });
  for (const fault of STORAGE_FAULTS) faults.inc({ fault }, 0);
  storage.subscribe((event) => {
    if (event.kind === 'fault') faults.inc({ fault: event.fault });
  });
}
