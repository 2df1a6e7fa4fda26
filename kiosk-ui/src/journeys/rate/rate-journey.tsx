// J7: the rating after every completed service (bound to its transaction), and the rating journey
// from the menu (a service of this session not yet rated, or one named by its application number).
import { RATING_REASONS, rateCompletionSchema } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { Keypad } from '../../components/keypad';
import { Screen } from '../../components/screen';
import { useMachine } from '../../flow/use-machine';
import { useKiosk, useText } from '../../session/kiosk-context';
import { unratedTransactions, type Transaction } from '../../session/session-machine';
import { initialRate, LEVELS, rateTransition } from './rate-machine';
import { rateStrings } from './rate-strings';

interface RateFormProps {
  readonly transaction: Pick<Transaction, 'id' | 'label' | 'itemCode'>;
  /** rated: the rating was accepted (sent or queued); false when skipped. */
  readonly onDone: (rated: boolean) => void;
}

function RateForm({ transaction, onDone }: RateFormProps) {
  const kiosk = useKiosk();
  const t = useText(rateStrings);
  const [state, send] = useMachine((s, e: Parameters<typeof rateTransition>[1]) => rateTransition(s, e), () => initialRate, kiosk.clock);
  const service = kiosk.session.language === 'zh-CN' ? transaction.label.zh : transaction.label.en;

  useEffect(() => {
    if (state.kind !== 'sending') return;
    const payload = { transactionId: transaction.id, level: state.level, ...(state.reasons.length > 0 ? { reasons: [...state.reasons] } : {}), ...(transaction.itemCode ? { itemCode: transaction.itemCode } : {}) };
    void kiosk.client.request('Platform.Rate', payload).then((reply) => {
      const parsed = rateCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) send({ type: 'sent', queued: parsed.data.state === 'queued' });
      else send({ type: 'failed' });
    });
  }, [state.kind]);

  const skip = (
    <button type="button" class="secondary" data-action="skip-rating" onClick={() => onDone(false)}>
      {t('skip')}
    </button>
  );

  switch (state.kind) {
    case 'level':
      return (
        <Screen id="rate" title={t('title')} say={`${t('about', { service })} ${t('aboutSay')}`} actions={skip}>
          <p class="lead">{t('about', { service })}</p>
          <ul class="choices rating-levels">
            {LEVELS.map((level) => (
              <li key={level}>
                <button type="button" class="choice" data-level={level} onClick={() => send({ type: 'level', level })}>
                  <span aria-hidden="true" class="rating-stars">
                    {'★'.repeat(level)}
                    {'☆'.repeat(5 - level)}
                  </span>
                  <span>{t(`level.${level}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </Screen>
      );
    case 'reasons':
      return (
        <Screen
          id="rate-reasons"
          title={t('title')}
          say={t('reasonsTitle')}
          onBack={() => send({ type: 'back' })}
          actions={
            <>
              {skip}
              <button type="button" class="primary" data-action="send-rating" aria-disabled={state.reasons.length === 0} onClick={() => send({ type: 'submit' })}>
                {t('send')}
              </button>
            </>
          }
        >
          <p class="lead">
            {t(`level.${state.level}`)} · {t('reasonsTitle')}
          </p>
          <ul class="choices">
            {RATING_REASONS.map((reason) => (
              <li key={reason}>
                <button type="button" class="choice" data-reason={reason} aria-pressed={state.reasons.includes(reason)} onClick={() => send({ type: 'toggleReason', reason })}>
                  {t(`reason.${reason}`)}
                </button>
              </li>
            ))}
          </ul>
        </Screen>
      );
    case 'sending':
      return (
        <Screen id="rate-sending" title={t('title')} say={t('sending')} noHome>
          <p class="lead" role="status">
            {t('sending')}
          </p>
        </Screen>
      );
    case 'thanks':
      return (
        <Screen
          id="rate-thanks"
          title={t('title')}
          say={t(state.queued ? 'queued' : 'thanks')}
          noHome
          actions={
            <button type="button" class="primary" data-action="rating-done" onClick={() => onDone(true)}>
              {kiosk.session.language === 'zh-CN' ? '完成' : 'Done'}
            </button>
          }
        >
          <p class="lead" role="status">
            <span aria-hidden="true">✓ </span>
            {t(state.queued ? 'queued' : 'thanks')}
          </p>
        </Screen>
      );
    case 'failed':
      return (
        <Screen
          id="rate-failed"
          title={t('title')}
          say={t('failed')}
          actions={
            <>
              {skip}
              <button type="button" class="primary" onClick={() => send({ type: 'submit' })}>
                {t('retry')}
              </button>
            </>
          }
        >
          <p class="lead" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t('failed')}
          </p>
        </Screen>
      );
  }
}

/** The rating that follows a completed service. */
export function RateAfterService() {
  const kiosk = useKiosk();
  const route = kiosk.session.route;
  if (route.kind !== 'rate') return null;
  const id = route.transaction.id;
  return <RateForm transaction={route.transaction} onDone={(rated) => kiosk.send(rated ? { type: 'rated', transactionId: id } : { type: 'skipRating' })} />;
}

/** J7 from the menu. */
export function RateJourney() {
  const kiosk = useKiosk();
  const t = useText(rateStrings);
  const [chosen, setChosen] = useState<Pick<Transaction, 'id' | 'label' | 'itemCode'> | undefined>(undefined);
  const [byNumber, setByNumber] = useState(false);
  const [number, setNumber] = useState('');
  const unrated = unratedTransactions(kiosk.session);
  const prefix = kiosk.settings.terminalId.replace(/-/g, '');

  if (chosen) return <RateForm transaction={chosen} onDone={(rated) => (rated ? kiosk.send({ type: 'rated', transactionId: chosen.id }) : kiosk.send({ type: 'home' }))} />;

  if (byNumber) {
    const valid = /^[A-Za-z0-9-]{8,40}$/.test(number);
    return (
      <Screen
        id="rate-by-number"
        title={t('byNumber')}
        say={t('numberLabel')}
        onBack={() => setByNumber(false)}
        actions={
          <button type="button" class="primary" aria-disabled={!valid} onClick={() => valid && setChosen({ id: number, label: { zh: `办件 ${number}`, en: `Application ${number}` } })}>
            {t('rateThis')}
          </button>
        }
      >
        <Keypad value={number} onChange={setNumber} maxLength={40} label={t('numberLabel')} extraKeys={['-']} />
        {prefix ? (
          <button type="button" class="secondary" onClick={() => setNumber(`${prefix}-`)}>
            {prefix}-
          </button>
        ) : null}
      </Screen>
    );
  }

  return (
    <Screen
      id="rate-pick"
      title={t('pickTitle')}
      say={unrated.length === 0 ? t('pickNone') : t('pickTitle')}
      actions={
        <button type="button" class="secondary" onClick={() => setByNumber(true)}>
          {t('byNumber')}
        </button>
      }
    >
      {unrated.length === 0 ? <p class="lead">{t('pickNone')}</p> : null}
      <ul class="pick-list">
        {unrated.map((transaction) => (
          <li key={transaction.id}>
            <button type="button" class="choice" onClick={() => setChosen(transaction)}>
              {kiosk.session.language === 'zh-CN' ? transaction.label.zh : transaction.label.en}
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}
