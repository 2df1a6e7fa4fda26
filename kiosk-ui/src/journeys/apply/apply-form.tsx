// The application form, one field per screen (big keys, few choices at a time). The fields taken
// from the ID card are shown as the card has them (masked) and filled by the daemon from the read.
import { Fragment } from 'preact';
import { Keypad } from '../../components/keypad';
import { Screen } from '../../components/screen';
import { useKiosk, useText } from '../../session/kiosk-context';
import type { CardIdentity } from '../../session/session-machine';
import { inLanguage, type FormField } from './apply-item';
import type { ApplyEvent, ApplyState } from './apply-machine';
import { cardFields, dateFromDigits, digitsOfDate, editableFields } from './apply-rules';
import { applyStrings } from './apply-strings';

type Send = (event: ApplyEvent) => void;

function cardValue(field: FormField, card: CardIdentity, asOnCard: string): string {
  if (field.prefill === 'name') return card.nameMasked;
  if (field.prefill === 'idNumber') return card.idNumberMasked;
  return asOnCard;
}

function FieldEditor({ field, value, label, onChange }: { field: FormField; value: string; label: string; onChange: (value: string) => void }) {
  const kiosk = useKiosk();
  const lang = kiosk.session.language;
  switch (field.type) {
    case 'phone':
      return <Keypad value={value} onChange={onChange} maxLength={11} label={label} />;
    case 'number':
      return <Keypad value={value} onChange={onChange} maxLength={Math.min(field.maxLength ?? 15, 15)} label={label} extraKeys={['.']} />;
    case 'date':
      return <Keypad value={digitsOfDate(value)} onChange={(digits) => onChange(dateFromDigits(digits))} maxLength={8} label={label} />;
    case 'select':
      return (
        <ul class="choices" aria-label={label}>
          {(field.options ?? []).map((o) => (
            <li key={o.value}>
              <button type="button" class="choice apply-option" data-option={o.value} aria-pressed={value === o.value} onClick={() => onChange(o.value)}>
                {inLanguage(o.label, lang)}
              </button>
            </li>
          ))}
        </ul>
      );
    case 'text':
      // Free text goes through the terminal's own input method (handwriting or pinyin panel).
      return (
        <input
          id={`apply-field-${field.key}`}
          class="apply-input"
          type="text"
          value={value}
          maxLength={Math.min(field.maxLength ?? 500, 500)}
          autoComplete="off"
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

export function FormScreen({ state, send }: { state: Extract<ApplyState, { kind: 'form' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const fields = editableFields(state.draft.item);
  const field = fields[state.field];
  if (!field) return null;
  const label = inLanguage(field.label, lang);
  const value = state.draft.form[field.key] ?? '';
  const hint = t(`hint.${field.type}`, { label });
  const fromCard = cardFields(state.draft.item);
  return (
    <Screen
      id="j5-form"
      title={t('formTitle')}
      say={`${label}。${hint}`}
      onBack={() => send({ type: 'back' })}
      actions={
        <button type="button" class="primary" data-action="next" onClick={() => send({ type: 'next' })}>
          {t('next')}
        </button>
      }
    >
      <div class="apply-form two-columns">
        <div class="apply-form-side">
          <p class="step">{t('fieldStep', { n: state.field + 1, count: fields.length })}</p>
          {fromCard.length > 0 ? (
            <section class="apply-card" aria-labelledby="apply-from-card">
              <h2 class="apply-heading" id="apply-from-card">
                {t('fromCard')}
              </h2>
              <dl class="summary" data-card-fields>
                {fromCard.map((f) => (
                  <Fragment key={f.key}>
                    <dt>{inLanguage(f.label, lang)}</dt>
                    <dd>{cardValue(f, state.draft.card, t('asOnCard'))}</dd>
                  </Fragment>
                ))}
              </dl>
            </section>
          ) : null}
          <h2 class="lead">
            {field.type === 'text' ? <label for={`apply-field-${field.key}`}>{label}</label> : label}{' '}
            <span class="choice-note">（{field.required ? t('required') : t('optional')}）</span>
          </h2>
          <p>{hint}</p>
          {state.problem ? (
            <p class="alert" role="alert" data-problem={state.problem}>
              <span aria-hidden="true">⚠ </span>
              {t(`field.${state.problem}`)}
            </p>
          ) : null}
        </div>
        <div class="apply-form-editor" data-field={field.key}>
          <FieldEditor key={field.key} field={field} value={value} label={label} onChange={(v) => send({ type: 'input', key: field.key, value: v })} />
          {field.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? <p class="apply-readback">{value}</p> : null}
        </div>
      </div>
    </Screen>
  );
}
