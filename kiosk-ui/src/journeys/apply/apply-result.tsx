// The last screens of J5: the summary to confirm, the result with the tracking number and the
// acceptance slip, and a refusal with the way back to the step that fixes it.
import { Fragment } from 'preact';
import { Screen } from '../../components/screen';
import { useKiosk, useText } from '../../session/kiosk-context';
import { inLanguage } from './apply-item';
import { missingMaterials, pagesOf, type ApplyEvent, type ApplyState } from './apply-machine';
import { editableFields, promisedBy, supplementDeadline } from './apply-rules';
import { applyStrings } from './apply-strings';

type Send = (event: ApplyEvent) => void;

export function ConfirmScreen({ state, send }: { state: Extract<ApplyState, { kind: 'confirm' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { draft, submitting } = state;
  const { item } = draft;
  const now = kiosk.clock.now();
  const captured = item.guide.materials.filter((m) => pagesOf(draft.materials[m.code]).length > 0);
  const missing = missingMaterials(draft);
  return (
    <Screen
      id="j5-confirm"
      title={t('confirmTitle')}
      say={submitting ? t('submitting') : t('confirmSay')}
      onBack={submitting ? undefined : () => send({ type: 'back' })}
      noHome={submitting}
      actions={
        <button type="button" class="primary" data-action="submit" disabled={submitting} onClick={() => send({ type: 'submit' })}>
          {t('submit')}
        </button>
      }
    >
      <div class="apply-scroll" role="region" tabIndex={0} aria-label={t('confirmTitle')}>
        <dl class="summary" data-summary>
          <dt>{t('item')}</dt>
          <dd>{inLanguage(item.name, lang)}</dd>
          <dt>{t('applicant')}</dt>
          <dd>{draft.card.nameMasked}</dd>
          <dt>{t('idNumber')}</dt>
          <dd>{draft.card.idNumberMasked}</dd>
          {editableFields(item).map((f) => {
            const value = draft.form[f.key] ?? '';
            const option = f.options?.find((o) => o.value === value);
            return (
              <Fragment key={f.key}>
                <dt>{inLanguage(f.label, lang)}</dt>
                <dd data-field={f.key}>{option ? inLanguage(option.label, lang) : value || '—'}</dd>
              </Fragment>
            );
          })}
          {captured.map((m) => (
            <Fragment key={m.code}>
              <dt>{inLanguage(m.name, lang)}</dt>
              <dd data-captured={m.code}>
                <span aria-hidden="true">✓ </span>
                {t('pages', { count: pagesOf(draft.materials[m.code]).length })}
              </dd>
            </Fragment>
          ))}
          {missing.map((m) => (
            <Fragment key={m.code}>
              <dt>{inLanguage(m.name, lang)}</dt>
              <dd class="apply-warn" data-missing={m.code}>
                <span aria-hidden="true">⚠ </span>
                {t('missing')} · {t('deadline', { date: supplementDeadline(item, now) })}
              </dd>
            </Fragment>
          ))}
          <dt>{t('promisedBy')}</dt>
          <dd>{promisedBy(item, now)}</dd>
          <dt>{t('fees')}</dt>
          <dd>{inLanguage(item.guide.fees.description, lang)}</dd>
        </dl>
      </div>
      {submitting ? (
        <p class="lead" role="status">
          {t('submitting')}
        </p>
      ) : null}
    </Screen>
  );
}

export function ResultScreen({ state }: { state: Extract<ApplyState, { kind: 'done' | 'queued' }> }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { draft, result, slip } = state;
  const delivered = state.kind === 'done';
  const slipText = slip.status === 'pending' ? (slip.reason === 'paperOut' ? t('slip.paperOut') : t('slip.pending')) : t(`slip.${slip.status}`);
  const slipMark = slip.status === 'printed' ? '✓ ' : slip.status === 'printing' ? '… ' : '⚠ ';
  const finish = (): void =>
    kiosk.send({ type: 'completed', transaction: { id: result.trackingNumber, journey: 'J5', label: { zh: draft.item.name.zh, en: draft.item.name.en }, itemCode: draft.item.code } });
  return (
    <Screen
      id={delivered ? 'j5-done' : 'j5-queued'}
      title={delivered ? t('doneTitle') : t('queuedTitle')}
      say={delivered ? t('doneSay', { number: result.trackingNumber }) : t('queuedSay', { number: result.trackingNumber })}
      noHome
      actions={
        <button type="button" class="primary" data-action="done" onClick={finish}>
          {t('done')}
        </button>
      }
    >
      <p class="lead" role="status" data-delivery={result.state}>
        <span aria-hidden="true">{delivered ? '✓ ' : 'ℹ '}</span>
        {delivered ? t('doneLead') : t('queuedLead')}
      </p>
      <div class="apply-scroll" role="region" tabIndex={0} aria-label={t('trackingNumber')}>
        <p class="step">{t('trackingNumber')}</p>
        <p class="big-number" data-tracking-number>
          {result.trackingNumber}
        </p>
        <dl class="summary">
          <dt>{t('item')}</dt>
          <dd>{inLanguage(draft.item.name, lang)}</dd>
          <dt>{t('promisedBy')}</dt>
          <dd data-promised-by>{result.promisedBy}</dd>
        </dl>
        {result.missing.length > 0 ? (
          <section aria-labelledby="apply-tolerated">
            <h2 class="apply-heading" id="apply-tolerated">
              {t('tolerated')}
            </h2>
            <ul class="apply-missing">
              {result.missing.map((m) => (
                <li key={m.code} data-missing={m.code}>
                  <span aria-hidden="true">⚠ </span>
                  {inLanguage(m.name, lang)} — <strong data-deadline>{t('deadline', { date: m.deadline })}</strong>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
      <p class={slip.status === 'printed' || slip.status === 'printing' ? 'apply-slip' : 'apply-slip apply-warn'} role="status" data-slip={slip.status}>
        <span aria-hidden="true">{slipMark}</span>
        {slipText}
      </p>
    </Screen>
  );
}

export function RefusedScreen({ state, send }: { state: Extract<ApplyState, { kind: 'refused' }>; send: Send }) {
  const t = useText(applyStrings);
  const message = t(`refused.${state.code}`);
  return (
    <Screen
      id="j5-refused"
      title={t('refusedTitle')}
      say={message}
      actions={
        state.fix === 'staff' ? null : (
          <button type="button" class="primary" data-action="fix" onClick={() => send({ type: 'fix' })}>
            {t(`fix.${state.fix}`)}
          </button>
        )
      }
    >
      <p class="lead" role="alert" data-refusal={state.code}>
        <span aria-hidden="true">⚠ </span>
        {message}
      </p>
    </Screen>
  );
}
