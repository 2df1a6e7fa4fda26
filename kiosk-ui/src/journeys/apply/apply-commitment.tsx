// 容缺受理: the documents that will follow, each with the day it is due, the commitment text and
// the resident's signature drawn on the screen.
import { useState } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useKiosk, useText } from '../../session/kiosk-context';
import { inLanguage } from './apply-item';
import { missingMaterials, type ApplyEvent, type ApplyState } from './apply-machine';
import { supplementDeadline } from './apply-rules';
import { applyStrings } from './apply-strings';
import { SignaturePad } from './signature-pad';

export function CommitmentScreen({ state, send }: { state: Extract<ApplyState, { kind: 'commitment' }>; send: (event: ApplyEvent) => void }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { draft } = state;
  // Clearing starts a new pad: the old strokes go with it.
  const [pad, setPad] = useState(0);
  const deadline = supplementDeadline(draft.item, kiosk.clock.now());
  const signed = draft.signaturePng !== undefined;
  return (
    <Screen
      id="j5-commitment"
      title={t('commitmentTitle')}
      say={t('commitmentSay')}
      onBack={() => send({ type: 'back' })}
      actions={
        <>
          <button
            type="button"
            class="secondary"
            data-action="clear-signature"
            onClick={() => {
              setPad((n) => n + 1);
              send({ type: 'clearSignature' });
            }}
          >
            {t('clearSignature')}
          </button>
          <button type="button" class="primary" data-action="agree" onClick={() => send({ type: 'agree' })}>
            {t('agree')}
          </button>
        </>
      }
    >
      <h2 class="apply-heading">{t('missingTitle')}</h2>
      <ul class="apply-missing">
        {missingMaterials(draft).map((m) => (
          <li key={m.code} data-missing={m.code}>
            <span aria-hidden="true">⚠ </span>
            {inLanguage(m.name, lang)} — <strong data-deadline>{t('deadline', { date: deadline })}</strong>
          </li>
        ))}
      </ul>
      <p class="apply-commitment-text">{t('commitmentText', { item: inLanguage(draft.item.name, lang) })}</p>
      <p class="step">{t('signHere')}</p>
      <SignaturePad key={pad} label={t('signature')} onSigned={(png) => send({ type: 'signed', png })} />
      {signed ? (
        <p class="apply-ok" role="status" data-signed>
          <span aria-hidden="true">✓ </span>
          {t('signed')}
        </p>
      ) : null}
      {state.problem ? (
        <p class="alert" role="alert">
          <span aria-hidden="true">⚠ </span>
          {t('unsigned')}
        </p>
      ) : null}
    </Screen>
  );
}
