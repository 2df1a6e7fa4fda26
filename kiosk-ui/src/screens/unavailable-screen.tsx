// A journey whose device failed: which device and what is wrong, and the way back.
import type { DeviceProblem } from '../journeys/availability';
import type { DeviceKind, JourneyDefinition } from '../journeys/catalogue';
import { Screen } from '../components/screen';
import { useCommonText } from '../session/kiosk-context';

export function UnavailableScreen({ journey, blocked, onBack }: { journey: JourneyDefinition; blocked: readonly { kind: DeviceKind; problem: DeviceProblem }[]; onBack: () => void }) {
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
