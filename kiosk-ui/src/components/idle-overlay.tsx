// "Are you still there?": a dialog over the screen with the seconds left and one large button.
import { useCommonText } from '../session/kiosk-context';

export function IdleOverlay({ secondsLeft, onContinue }: { secondsLeft: number; onContinue: () => void }) {
  const t = useCommonText();
  return (
    <div class="overlay" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body" data-screen="idle-warning">
      <div class="dialog">
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p id="idle-body">{t('idle.body', { seconds: String(secondsLeft) })}</p>
        <p class="countdown" aria-hidden="true" data-seconds-left={secondsLeft}>
          {t('idle.count', { seconds: String(secondsLeft) })}
        </p>
        <button type="button" class="primary huge" data-action="idle-continue" onClick={onContinue}>
          {t('idle.continue')}
        </button>
      </div>
    </div>
  );
}
