// A journey whose device (or the terminal's storage) failed: which one, and the way back.
import type { Blocker } from '../journeys/availability';
import type { JourneyDefinition } from '../journeys/catalogue';
import { Screen } from '../components/screen';
import { useCommonText } from '../session/kiosk-context';

export function UnavailableScreen({ journey, blocked, onBack }: { journey: JourneyDefinition; blocked: readonly Blocker[]; onBack: () => void }) {
  const t = useCommonText();
  const devices = blocked.map((b) => t(`device.${b.kind}`)).join('、');
  return (
    <Screen id="unavailable" onBack={onBack} noHome title={`${t(journey.title)} · ${t('unavailable.title')}`} say={`${t('unavailable.title')}。${t('unavailable.body', { devices })}`}>
      <p class="lead">
        <span aria-hidden="true">⚠ </span>
        {t('unavailable.body', { devices })}
      </p>
    </Screen>
  );
}
