// The home screen: the journeys this terminal offers, each open or closed with the reason, the
// language and elder-mode switches, and the live device strip. Five quick taps on the title open
// the technician's PIN screen.
import type { DeviceStatus, KioskHealth } from '@protocol';
import { useRef } from 'preact/hooks';
import { DeviceStatusStrip } from '../components/device-status-strip';
import type { Translate } from '../i18n/use-language';
import { journeyAvailability } from '../journeys/availability';
import { JOURNEYS, type JourneyId } from '../journeys/catalogue';
import type { SessionState } from '../session/session-machine';

export interface AttractScreenProps {
  readonly devices: Readonly<Record<string, DeviceStatus>>;
  readonly health: KioskHealth;
  readonly t: Translate;
  readonly session: SessionState;
  readonly now: () => number;
  readonly onToggleLanguage: () => void;
  readonly onToggleElder: () => void;
  readonly onOpen: (journey: JourneyId, open: boolean) => void;
  readonly onEnd: () => void;
  readonly onTechnician: () => void;
}

const TECHNICIAN_TAPS = 5;
const TECHNICIAN_WINDOW_MS = 3_000;

export function AttractScreen({ devices, health, t, session, now, onToggleLanguage, onToggleElder, onOpen, onEnd, onTechnician }: AttractScreenProps) {
  const taps = useRef<number[]>([]);
  const onTitleTap = (): void => {
    const at = now();
    taps.current = [...taps.current.filter((x) => at - x < TECHNICIAN_WINDOW_MS), at];
    if (taps.current.length >= TECHNICIAN_TAPS) {
      taps.current = [];
      onTechnician();
    }
  };
  return (
    <main class="screen attract" data-screen={session.active ? 'home' : 'attract'}>
      <header class="masthead">
        {/* The hidden technician gesture: not announced, not focusable, and harmless to residents. */}
        <div onPointerDown={onTitleTap} data-technician-gesture>
          <h1>{t('app.title')}</h1>
          <p class="subtitle">{t('app.subtitle')}</p>
        </div>
        <div class="masthead-tools">
          <button type="button" class="language" onClick={onToggleElder} aria-pressed={session.elder}>
            {session.elder ? t('home.elderOff') : t('home.elderOn')}
          </button>
          <button type="button" class="language" onClick={onToggleLanguage}>
            {t('app.language')}
          </button>
        </div>
      </header>
      {session.ended ? (
        <p class="notice" role="status" data-ended={session.ended}>
          <span aria-hidden="true">ⓘ </span>
          {t(`ended.${session.ended}`)}
        </p>
      ) : null}
      {session.card ? (
        <p class="notice" data-session-card>
          {t('home.card', { name: session.card.nameMasked })}
          {session.verified ? ` · ✓ ${t('home.verified')}` : ''}
        </p>
      ) : null}
      <p class="prompt">{session.active ? t('attract.prompt') : `${t('attract.prompt')} · ${t('attract.touch')}`}</p>
      <ul class="journeys">
        {JOURNEYS.map((journey) => {
          const availability = journeyAvailability(journey, devices, health);
          const needs = availability.blocked.map((b) => t(`device.${b.kind}`)).join('、');
          const reason = availability.open ? '' : t('journey.needs', { devices: needs });
          return (
            <li key={journey.id} class={`journey ${availability.open ? 'journey-open' : 'journey-closed'}`} data-journey={journey.id}>
              <button type="button" class="journey-button" aria-disabled={!availability.open} onClick={() => onOpen(journey.id, availability.open)}>
                <span class="journey-title">{t(journey.title)}</span>
                <span class="journey-note">{t(journey.note)}</span>
                <span class="journey-availability">
                  <span aria-hidden="true">{availability.open ? '✓ ' : '✕ '}</span>
                  {availability.open ? t('attract.available') : `${t('attract.unavailable')} · ${reason}`}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {session.active ? (
        <div class="home-actions">
          <button type="button" class="primary" data-action="end-session" onClick={onEnd}>
            {t('home.end')}
          </button>
        </div>
      ) : null}
      <DeviceStatusStrip devices={devices} t={t} />
    </main>
  );
}
