// The frame of every journey screen: a title, the content, and a footer that always holds the
// primary action (nothing to scroll to). The prompt is spoken when the screen appears and again on
// "repeat". data-screen names the screen for tests and screenshots.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useCommonText, useKiosk } from '../session/kiosk-context';

export interface ScreenProps {
  readonly id: string;
  readonly title: string;
  /** Spoken on arrival; the title when absent. */
  readonly say?: string | undefined;
  readonly children?: ComponentChildren;
  /** The footer's buttons, primary last. */
  readonly actions?: ComponentChildren;
  readonly onBack?: (() => void) | undefined;
  /** Hide "home" where leaving would strand something (a payment being confirmed). */
  readonly noHome?: boolean;
}

export function Screen({ id, title, say, children, actions, onBack, noHome }: ScreenProps) {
  const kiosk = useKiosk();
  const t = useCommonText();
  const spoken = say ?? title;
  useEffect(() => {
    kiosk.say(spoken);
    // Speak again when the text changes (a new prompt, or the language switched).
  }, [spoken]);
  return (
    <main class="screen journey-screen" data-screen={id}>
      <header class="bar">
        <h1 class="screen-title">{title}</h1>
        <nav class="bar-tools" aria-label={t('common.help')}>
          <button type="button" class="tool" onClick={() => kiosk.speaker.repeat({ language: kiosk.session.language, slow: kiosk.session.elder })}>
            <span aria-hidden="true">↻ </span>
            {t('common.repeat')}
          </button>
          <button type="button" class="tool" onClick={() => kiosk.speaker.setVolume(kiosk.speaker.volume + 0.2)}>
            {t('common.louder')}
          </button>
          <button type="button" class="tool" onClick={() => kiosk.speaker.setVolume(kiosk.speaker.volume - 0.2)}>
            {t('common.quieter')}
          </button>
          <button type="button" class="tool" data-action="call-staff" onClick={() => void callStaff(kiosk.client).then(() => kiosk.say(t('common.staffCalled')))}>
            {t('common.help')}
          </button>
        </nav>
      </header>
      <section class="content">{children}</section>
      <footer class="actions">
        {onBack ? (
          <button type="button" class="secondary" onClick={onBack}>
            <span aria-hidden="true">‹ </span>
            {t('common.back')}
          </button>
        ) : null}
        {noHome ? null : (
          <button type="button" class="secondary" data-action="home" onClick={() => kiosk.send({ type: 'home' })}>
            {t('common.home')}
          </button>
        )}
        <span class="spacer" />
        {actions}
      </footer>
    </main>
  );
}

async function callStaff(client: ReturnType<typeof useKiosk>['client']): Promise<void> {
  await client.request('Help.CallStaff', { reason: 'general' });
}
