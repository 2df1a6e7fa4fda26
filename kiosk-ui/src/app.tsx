// The root: no daemon, out of service; otherwise the resident's session (home, a journey, the
// rating after a service) or the technician's screens, under the idle timer. Card removal during a
// journey that needs the card ends the session like the idle timer does.
import { settingsCompletionSchema, type KioskSettings } from '@protocol';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { IdleOverlay } from './components/idle-overlay';
import { Lazy } from './components/lazy';
import type { DaemonClient } from './daemon/daemon-client';
import { useDaemon } from './daemon/use-daemon';
import type { Clock } from './flow/clock';
import { useTicker } from './flow/use-ticker';
import { translate } from './i18n/strings';
import { journeyAvailability } from './journeys/availability';
import { journeyById, type JourneyId } from './journeys/catalogue';
import { JOURNEY_LOADERS, loadRating, loadTechnician } from './journeys/registry';
import { AttractScreen } from './screens/attract-screen';
import { OutOfServiceScreen } from './screens/out-of-service-screen';
import { UnavailableScreen } from './screens/unavailable-screen';
import { idleTransition, initialIdle, shouldAnnounce, type IdleEvent, type IdleState } from './session/idle-machine';
import { DEFAULT_SETTINGS, KioskContext, type Kiosk } from './session/kiosk-context';
import { initialSession, sessionTransition, type SessionEvent } from './session/session-machine';
import type { Speaker } from './voice/speaker';

export interface AppProps {
  readonly client: DaemonClient;
  readonly clock: Clock;
  readonly speaker: Speaker;
  readonly token: string;
}

export function App({ client, clock, speaker, token }: AppProps) {
  const snapshot = useDaemon(client);
  const [settings, setSettings] = useState<KioskSettings>(DEFAULT_SETTINGS);
  /** A closed journey the resident tapped: its reason is shown until they go back. */
  const [closed, setClosed] = useState<JourneyId | undefined>(undefined);
  const [session, send] = useReducer((state: ReturnType<typeof initialSession>, event: SessionEvent) => sessionTransition(state, event, clock.now()), undefined, () => initialSession());
  const idleMs = session.elder ? settings.elderIdleMs : settings.idleMs;
  const idleConfig = useMemo(() => ({ idleMs, countdownMs: settings.countdownSeconds * 1000 }), [idleMs, settings.countdownSeconds]);
  const [idle, sendIdle] = useReducer((state: IdleState, event: IdleEvent) => idleTransition(state, event, clock.now(), idleConfig), undefined, () => initialIdle(clock.now()));
  const connected = snapshot.connection === 'connected';
  const t = useCallback((key: Parameters<typeof translate>[1], values?: Record<string, string>) => translate(session.language, key, values), [session.language]);

  document.documentElement.lang = session.language;
  document.documentElement.classList.toggle('elder', session.elder);

  useEffect(() => {
    if (!connected) return;
    void client.request('Kiosk.Settings', {}).then((reply) => {
      const parsed = settingsCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) {
        setSettings(parsed.data);
        speaker.setEnabled(parsed.data.voice);
      }
    });
  }, [connected, client, speaker]);

  // Touch targets of at least 12.7 mm on this panel (and at least 60 px in elder mode).
  useEffect(() => {
    const mm127 = (0.5 * settings.panelPpi) / (window.devicePixelRatio || 1);
    document.documentElement.style.setProperty('--touch-min', `${Math.max(72, Math.ceil(mm127))}px`);
    document.documentElement.style.setProperty('--touch-elder', `${Math.max(96, Math.ceil(mm127 * 1.3))}px`);
  }, [settings.panelPpi]);

  // Every touch is activity; the first one starts a session.
  useEffect(() => {
    const onTouch = (): void => {
      sendIdle({ type: 'activity' });
    };
    document.addEventListener('pointerdown', onTouch, true);
    document.addEventListener('keydown', onTouch, true);
    return () => {
      document.removeEventListener('pointerdown', onTouch, true);
      document.removeEventListener('keydown', onTouch, true);
    };
  }, []);

  const journeyNeedsCard = session.route.kind === 'journey' && journeyById(session.route.journey).needsCard;
  useEffect(
    () =>
      client.onUnsolicited((name, payload) => {
        if (name !== 'IdCard.CardRemoved') return;
        const readId = typeof payload === 'object' && payload !== null && 'readId' in payload && typeof payload.readId === 'string' ? payload.readId : undefined;
        send({ type: 'cardRemoved', readId, journeyNeedsCard });
      }),
    [client, journeyNeedsCard],
  );

  // A new session starts clean: voice volume back to the default, the idle timer from now.
  useEffect(() => {
    setClosed(undefined);
    speaker.resetSession();
    sendIdle({ type: 'reset' });
  }, [session.generation, speaker]);

  // Journeys for the operators' metrics: started on entry; completed when it ends in its rating;
  // abandoned when the resident leaves it otherwise (home, idle, card taken).
  const lastJourney = useRef<JourneyId | undefined>(undefined);
  const ratedCount = useRef(0);
  useEffect(() => {
    // J7 from the menu completes with the rating itself.
    const justRated = session.rated.length > ratedCount.current;
    ratedCount.current = session.rated.length;
    const route = session.route;
    const current = route.kind === 'journey' ? route.journey : undefined;
    const previous = lastJourney.current;
    if (previous && previous !== current) {
      const completed = (route.kind === 'rate' && route.transaction.journey === previous) || (previous === 'J7' && justRated);
      void client.request('Kiosk.Journey', { journey: previous, event: completed ? 'completed' : 'abandoned' });
    }
    if (current && current !== previous) void client.request('Kiosk.Journey', { journey: current, event: 'started' });
    lastJourney.current = current;
  }, [session.route, client]);

  const tick = useCallback(() => sendIdle({ type: 'tick' }), []);
  useTicker(session.active && connected, tick);

  const warned = useRef(false);
  useEffect(() => {
    if (idle.kind === 'expired') send({ type: 'end', reason: 'idle' });
    if (idle.kind !== 'warning') {
      warned.current = false;
      return;
    }
    // The whole question when the warning appears, then the seconds as they run out.
    const first = !warned.current;
    warned.current = true;
    if (first || shouldAnnounce(idle.secondsLeft, settings.countdownSeconds)) {
      speaker.say(first ? t('idle.spoken', { seconds: String(idle.secondsLeft) }) : String(idle.secondsLeft), { language: session.language, slow: session.elder });
    }
  }, [idle]);

  useEffect(() => {
    if (!connected && session.active) send({ type: 'end', reason: 'disconnected' });
  }, [connected]);

  const kiosk = useMemo<Kiosk>(
    () => ({
      client,
      devices: snapshot.devices,
      settings,
      clock,
      session,
      send,
      speaker,
      say: (text) => speaker.say(text, { language: session.language, slow: session.elder }),
      media: (path) => `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`,
    }),
    [client, snapshot.devices, settings, clock, session, speaker, token],
  );

  // The first connection after the page loads is "starting", not a fault: no out-of-service flash.
  if (snapshot.connection === 'connecting') {
    return (
      <main class="screen loading" data-screen="starting">
        <p class="prompt" role="status">
          {t('common.loading')}
        </p>
      </main>
    );
  }
  if (!connected) return <OutOfServiceScreen t={t} />;

  let body;
  const route = session.route;
  if (route.kind === 'journey') {
    // Availability is checked when a journey is opened, not while it runs: a printer running out of
    // paper must not tear down a payment in progress; the journey handles its devices' errors.
    body = <Lazy key={`${session.generation}-${route.journey}`} load={JOURNEY_LOADERS[route.journey]} fallback={t('common.loading')} />;
  } else if (closed) {
    const definition = journeyById(closed);
    body = <UnavailableScreen journey={definition} blocked={journeyAvailability(definition, snapshot.devices, snapshot.health).blocked} onBack={() => setClosed(undefined)} />;
  } else if (route.kind === 'rate') {
    body = <Lazy key={`${session.generation}-rate-${route.transaction.id}`} load={loadRating} fallback={t('common.loading')} />;
  } else if (route.kind === 'technician') {
    body = <Lazy key={`${session.generation}-technician`} load={loadTechnician} fallback={t('common.loading')} />;
  } else {
    body = (
      <AttractScreen
        devices={snapshot.devices}
        health={snapshot.health}
        t={t}
        session={session}
        now={() => clock.now()}
        onToggleLanguage={() => send({ type: 'language', language: session.language === 'zh-CN' ? 'en' : 'zh-CN' })}
        onToggleElder={() => send({ type: 'elder', on: !session.elder })}
        onOpen={(journey, open) => (open ? send({ type: 'open', journey }) : setClosed(journey))}
        onEnd={() => send({ type: 'end', reason: 'resident' })}
        onTechnician={() => send({ type: 'technician' })}
      />
    );
  }
  return (
    <KioskContext.Provider value={kiosk}>
      <div class="root" onPointerDown={() => send({ type: 'touch' })}>
        {body}
        {idle.kind === 'warning' && session.active ? <IdleOverlay secondsLeft={idle.secondsLeft} onContinue={() => sendIdle({ type: 'continue' })} /> : null}
      </div>
    </KioskContext.Provider>
  );
}
