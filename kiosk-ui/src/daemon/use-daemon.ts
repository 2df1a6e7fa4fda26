// Preact binding of the daemon client's snapshot.
import { useEffect, useState } from 'preact/hooks';
import type { DaemonClient, DaemonSnapshot } from './daemon-client';

export function useDaemon(client: DaemonClient): DaemonSnapshot {
  const [snapshot, setSnapshot] = useState(client.snapshot);
  useEffect(() => {
    setSnapshot(client.snapshot);
    return client.subscribe(setSnapshot);
  }, [client]);
  return snapshot;
}
