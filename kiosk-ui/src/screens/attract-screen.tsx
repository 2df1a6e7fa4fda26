// The attract screen: the journeys this terminal offers, each open or closed with the reason, and
// the live device strip.
import type { DeviceStatus } from '@protocol';
import { DeviceStatusStrip } from '../components/device-status-strip';
import type { Translate } from '../i18n/use-language';
import { journeyAvailability } from '../journeys/availability';
import { JOURNEYS } from '../journeys/catalogue';

export interface AttractScreenProps {
  readonly devices: Readonly<Record<string, DeviceStatus>>;
  readonly t: Translate;
  readonly onToggleLanguage: () => void;
}

export function AttractScreen({ devices, t, onToggleLanguage }: AttractScreenProps) {
  return (
    <main class="screen attract" data-screen="attract">
      <header class="masthead">
        <div>
          <h1>{t('app.title')}</h1>
          <p class="subtitle">{t('app.subtitle')}</p>
        </div>
        <button type="button" class="language" onClick={onToggleLanguage}>
          {t('app.language')}
        </button>
      </header>
      <p class="prompt">{t('attract.prompt')}</p>
      <ul class="journeys">
        {JOURNEYS.map((journey) => {
          const availability = journeyAvailability(journey, devices);
          const needs = availability.blocked.map((b) => t(`device.${b.kind}`)).join('、');
          return (
            <li key={journey.id} class={`journey ${availability.open ? 'journey-open' : 'journey-closed'}`} data-journey={journey.id}>
              <span class="journey-title">{t(journey.title)}</span>
              <span class="journey-note">{t(journey.note)}</span>
              <span class="journey-availability">
                {availability.open ? t('attract.available') : `${t('attract.unavailable')} · ${t('journey.needs', { devices: needs })}`}
              </span>
            </li>
          );
        })}
      </ul>
      <DeviceStatusStrip devices={devices} t={t} />
    </main>
  );
}
