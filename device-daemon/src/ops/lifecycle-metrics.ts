// Daemon restarts, for the fleet: the counts live in the database, so they keep rising across
// restarts and increase() over a window counts the restarts in it. An unclean start (the previous
// run never stopped: crashed, killed by the systemd watchdog, power lost) is what operators page on.
import { Counter, type Registry } from 'prom-client';
import type { DaemonStarts } from '../store/daemon-runs';

export function registerLifecycleMetrics(registry: Registry, starts: DaemonStarts): void {
  new Counter({ name: 'kiosk_daemon_starts_total', help: 'Times the daemon started on this terminal (kept in its database).', registers: [registry] }).inc(starts.starts);
  new Counter({
    name: 'kiosk_daemon_unclean_starts_total',
    help: 'Starts after a run that did not stop cleanly: a crash, a watchdog kill, lost power (kept in the database).',
    registers: [registry],
  }).inc(starts.uncleanStarts);
}
