// The root guard: no daemon, no service; otherwise the attract screen.
import type { DaemonClient } from './daemon/daemon-client';
import { useDaemon } from './daemon/use-daemon';
import { useLanguage } from './i18n/use-language';
import { AttractScreen } from './screens/attract-screen';
import { OutOfServiceScreen } from './screens/out-of-service-screen';

export function App({ client }: { client: DaemonClient }) {
  const snapshot = useDaemon(client);
  const { language, t, toggle } = useLanguage();
  document.documentElement.lang = language;
  if (snapshot.connection !== 'connected') return <OutOfServiceScreen t={t} />;
  return <AttractScreen devices={snapshot.devices} t={t} onToggleLanguage={toggle} />;
}
