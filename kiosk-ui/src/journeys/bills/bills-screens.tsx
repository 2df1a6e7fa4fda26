// J4's screens before an order exists: the utility, the account (keypad or barcode), the bill, the
// prepayment amount and the way to pay. One decision per screen.
import { Screen } from '../../components/screen';
import { Keypad } from '../../components/keypad';
import { useKiosk, useText } from '../../session/kiosk-context';
import { billMonthText, formatYuan, MAX_AMOUNT_FEN, yuanToFen } from './bills-format';
import type { BillsEvent, BillsState, Utility } from './bills-machine';
import { billsStrings } from './bills-strings';

type Send = (event: BillsEvent) => void;
type Of<K extends BillsState['kind']> = Extract<BillsState, { kind: K }>;

const UTILITIES: readonly Utility[] = ['water', 'electricity', 'gas', 'heating'];
const MARKS: Readonly<Record<Utility, string>> = { water: '💧', electricity: '⚡', gas: '🔥', heating: '♨' };

export function UtilityScreen({ send }: { send: Send }) {
  const t = useText(billsStrings);
  return (
    <Screen id="j4-utility" title={t('title')} say={t('pickUtility')}>
      <p class="lead">{t('pickUtility')}</p>
      <ul class="choices bills-utilities">
        {UTILITIES.map((utility) => (
          <li key={utility}>
            <button type="button" class="choice" data-utility={utility} onClick={() => send({ type: 'pickUtility', utility })}>
              <span class="bills-choice-title">
                <span aria-hidden="true">{MARKS[utility]} </span>
                {t(`utility.${utility}`)}
              </span>
              <span class="choice-note">{t(`utilityNote.${utility}`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

export function AccountScreen({ state, send, scanner }: { state: Of<'account'>; send: Send; scanner: boolean }) {
  const t = useText(billsStrings);
  const lead = scanner ? t('accountLead') : t('accountLeadNoScanner');
  const ready = /^[0-9A-Z]{6,16}$/.test(state.entry);
  const problem = state.problem ? t(`problem.${state.problem}`) : undefined;
  return (
    <Screen
      id="j4-account"
      title={t('accountTitle', { utility: t(`utility.${state.utility}`) })}
      say={problem ?? lead}
      onBack={() => send({ type: 'back' })}
      actions={
        <button type="button" class="primary" data-action="look-up" aria-disabled={!ready} onClick={() => send({ type: 'submitAccount' })}>
          {t('lookUp')}
        </button>
      }
    >
      <p class="lead">{lead}</p>
      {problem ? (
        <p class="alert" role="alert" data-problem={state.problem}>
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      ) : (
        <p class="step">
          {t('accountHint')} {scanner ? t('scanHint') : ''}
        </p>
      )}
      <Keypad value={state.entry} onChange={(entry) => send({ type: 'entry', entry })} maxLength={16} label={t('accountLabel')} />
    </Screen>
  );
}

export function BillScreen({ state, send }: { state: Of<'bill'>; send: Send }) {
  const t = useText(billsStrings);
  const { session } = useKiosk();
  const { bill } = state;
  const utility = t(`utility.${bill.utility}`);
  const month = bill.billMonth ? billMonthText(bill.billMonth) : undefined;
  const say =
    bill.arrearsFen > 0
      ? t('billSay', { holder: bill.holderMasked, utility, arrears: formatYuan(bill.arrearsFen) })
      : t('billSayNoArrears', { holder: bill.holderMasked, utility, balance: formatYuan(bill.balanceFen) });
  return (
    <Screen
      id="j4-bill"
      title={t('billTitle')}
      say={say}
      onBack={() => send({ type: 'back' })}
      actions={
        bill.arrearsFen > 0 ? (
          <>
            <button type="button" class="secondary" data-action="prepay" onClick={() => send({ type: 'prepay' })}>
              {t('prepay')}
            </button>
            <button type="button" class="primary" data-action="pay-arrears" onClick={() => send({ type: 'payArrears' })}>
              {t('payArrears', { amount: formatYuan(bill.arrearsFen) })}
            </button>
          </>
        ) : (
          <button type="button" class="primary" data-action="prepay" onClick={() => send({ type: 'prepay' })}>
            {t('prepay')}
          </button>
        )
      }
    >
      <dl class="summary" data-bill-account={bill.account}>
        <dt>{t('bill.utility')}</dt>
        <dd>{utility}</dd>
        <dt>{t('bill.account')}</dt>
        <dd>{bill.account}</dd>
        <dt>{t('bill.holder')}</dt>
        <dd data-holder>{bill.holderMasked}</dd>
        <dt>{t('bill.arrears')}</dt>
        <dd class="bills-amount" data-arrears={bill.arrearsFen}>
          ¥{formatYuan(bill.arrearsFen)}
        </dd>
        <dt>{t('bill.balance')}</dt>
        <dd>¥{formatYuan(bill.balanceFen)}</dd>
        <dt>{t('bill.month')}</dt>
        <dd>{month ? (session.language === 'zh-CN' ? month.zh : month.en) : t('bill.none')}</dd>
        <dt>{t('bill.due')}</dt>
        <dd>{bill.dueDate ?? t('bill.none')}</dd>
      </dl>
      <p class="step">{t('holderNote')}</p>
    </Screen>
  );
}

export function AmountScreen({ state, send }: { state: Of<'amount'>; send: Send }) {
  const t = useText(billsStrings);
  const problem = state.problem ? t(`amountProblem.${state.problem}`, { max: formatYuan(MAX_AMOUNT_FEN) }) : undefined;
  const ready = (yuanToFen(state.amount) ?? 0) > 0;
  return (
    <Screen
      id="j4-amount"
      title={t('amountTitle')}
      say={problem ?? t('amountLead')}
      onBack={() => send({ type: 'back' })}
      actions={
        <button type="button" class="primary" data-action="amount-next" aria-disabled={!ready} onClick={() => send({ type: 'submitAmount' })}>
          {t('amountNext')}
        </button>
      }
    >
      <p class="lead">{t('amountLead')}</p>
      <p class="step">{t('amountFor', { utility: t(`utility.${state.bill.utility}`), account: state.bill.account, holder: state.bill.holderMasked })}</p>
      {problem ? (
        <p class="alert" role="alert" data-problem={state.problem}>
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      ) : null}
      <Keypad value={state.amount} onChange={(entry) => send({ type: 'entry', entry })} maxLength={9} label={t('amountLabel')} extraKeys={['.']} />
    </Screen>
  );
}

export function MethodScreen({ state, send, scanner }: { state: Of<'method'>; send: Send; scanner: boolean }) {
  const t = useText(billsStrings);
  const lead = t('methodLead', { amount: formatYuan(state.payment.amountFen) });
  return (
    <Screen id="j4-method" title={t('methodTitle')} say={lead} onBack={() => send({ type: 'back' })}>
      <p class="lead">{lead}</p>
      <ul class="choices bills-methods">
        <li>
          <button type="button" class="choice" data-method="native" onClick={() => send({ type: 'chooseMethod', method: 'native' })}>
            <span class="bills-choice-title">
              <span aria-hidden="true">▦ </span>
              {t('method.native')}
            </span>
            <span class="choice-note">{t('method.nativeNote')}</span>
          </button>
        </li>
        <li>
          <button type="button" class="choice" data-method="micropay" aria-disabled={!scanner} onClick={() => (scanner ? send({ type: 'chooseMethod', method: 'micropay' }) : undefined)}>
            <span class="bills-choice-title">
              <span aria-hidden="true">▤ </span>
              {t('method.micropay')}
            </span>
            <span class="choice-note">{scanner ? t('method.micropayNote') : `✕ ${t('method.micropayOff')}`}</span>
          </button>
        </li>
      </ul>
    </Screen>
  );
}

export function PresentCodeScreen({ state, send }: { state: Of<'presentCode'>; send: Send }) {
  const t = useText(billsStrings);
  const amount = formatYuan(state.payment.amountFen);
  const problem = state.problem ? t(`codeProblem.${state.problem}`) : undefined;
  return (
    <Screen id="j4-present-code" title={t('presentTitle')} say={problem ?? t('presentSay', { amount })} onBack={() => send({ type: 'back' })}>
      <p class="big-number">¥{amount}</p>
      <p class="lead">{t('presentLead')}</p>
      {problem ? (
        <p class="alert" role="alert" data-problem={state.problem}>
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      ) : null}
      <div class="slot-guide" aria-hidden="true">
        <span>▯</span>
        <span class="slot-arrow">↓</span>
      </div>
    </Screen>
  );
}

/** A screen while the daemon works (looking up, creating, cancelling): words, no choices. */
export function BusyScreen({ id, title, text }: { id: string; title: string; text: string }) {
  return (
    <Screen id={id} title={title} say={text} noHome>
      <p class="lead" role="status">
        {text}
      </p>
    </Screen>
  );
}
