// J1 on its own: prove who you are (the card and the face), which later card journeys reuse for
// as long as the card stays on the reader.
import { useKiosk, useText } from '../../session/kiosk-context';
import { IdentityGate } from './identity-gate';
import { identifyStrings } from './identify-strings';

export function IdentifyJourney() {
  const kiosk = useKiosk();
  const t = useText(identifyStrings);
  return (
    <IdentityGate
      title={t('title')}
      passVerified={false}
      onVerified={(card) => kiosk.send({ type: 'completed', transaction: { id: `ID-${card.readId.slice(0, 24)}`, journey: 'J1', label: { zh: '身份核验', en: 'Identity check' } } })}
    />
  );
}
