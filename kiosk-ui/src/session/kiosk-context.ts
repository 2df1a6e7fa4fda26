// What every screen may use: the daemon, the live devices, the terminal's settings, the clock, the
// resident's session and the voice. Journeys reach it through useKiosk(), never through globals.
import type { DeviceStatus, KioskSettings } from '@protocol';
import { createContext } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
import type { DaemonClient } from '../daemon/daemon-client';
import type { Clock } from '../flow/clock';
import { textFor, type Catalogue, type Text } from '../i18n/catalogue';
import { translate, type StringKey } from '../i18n/strings';
import type { Speaker } from '../voice/speaker';
import type { SessionEvent, SessionState } from './session-machine';

export interface Kiosk {
  readonly client: DaemonClient;
  readonly devices: Readonly<Record<string, DeviceStatus>>;
  readonly settings: KioskSettings;
  readonly clock: Clock;
  readonly session: SessionState;
  readonly send: (event: SessionEvent) => void;
  readonly speaker: Speaker;
  /** Speaks in the session's language, slower in elder mode. */
  readonly say: (text: string) => void;
  /** A daemon URL for the screen (/view/..., /camera/...) with the page's token. */
  readonly media: (path: string) => string;
}

export const DEFAULT_SETTINGS: KioskSettings = {
  terminalId: '',
  site: '',
  hotline: '12345',
  idleMs: 60_000,
  elderIdleMs: 120_000,
  countdownSeconds: 30,
  voice: true,
  queue: false,
  panelPpi: 96,
};

export const KioskContext = createContext<Kiosk | undefined>(undefined);

export function useKiosk(): Kiosk {
  const kiosk = useContext(KioskContext);
  if (!kiosk) throw new Error('useKiosk outside KioskContext');
  return kiosk;
}

/** A module's catalogue in the session's language. */
export function useText<K extends string>(catalogue: Catalogue<K>): Text<K> {
  const { session } = useKiosk();
  return useMemo(() => textFor(catalogue, session.language), [catalogue, session.language]);
}

/** The shared strings (buttons, idle, unavailable) in the session's language. */
export function useCommonText(): (key: StringKey, values?: Record<string, string>) => string {
  const { session } = useKiosk();
  return useMemo(() => (key: StringKey, values?: Record<string, string>) => translate(session.language, key, values), [session.language]);
}
