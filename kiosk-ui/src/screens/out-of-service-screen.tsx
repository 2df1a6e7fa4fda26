// Shown whenever the daemon connection is down; the app returns by itself when it comes back.
import type { Translate } from '../i18n/use-language';

export function OutOfServiceScreen({ t }: { t: Translate }) {
  return (
    <main class="screen out-of-service" data-screen="out-of-service">
      <span class="oos-mark" aria-hidden="true">
        ⚠
      </span>
      <div role="alert">
        <h1>{t('outOfService.title')}</h1>
        <p>{t('outOfService.body')}</p>
      </div>
      <p class="reconnecting">{t('outOfService.reconnecting')}</p>
    </main>
  );
}
