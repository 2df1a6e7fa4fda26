// J4's screens once an order exists: the QR code with its countdown, the wallet asking the resident,
// "confirming" (never "failed" while money may have moved), paid with the receipt, and nothing
// charged. The receipt number is on every screen where the resident may need it.
import { useState } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useText } from '../../session/kiosk-context';
import { clockText, formatYuan } from './bills-format';
import type { BillsEvent, BillsState } from './bills-machine';
import { billsStrings, type BillsText } from './bills-strings';
import { QrCode } from './qr-code';

type Send = (event: BillsEvent) => void;
type Of<K extends BillsState['kind']> = Extract<BillsState, { kind: K }>;

/** "1分45秒" / "45秒", for speech and the QR code's validity. */
export function timeText(t: BillsText, seconds: number): string {
  return seconds >= 60 ? t('time.minutes', { m: Math.floor(seconds / 60), s: seconds % 60 }) : t('time.seconds', { s: seconds });
}

function ReceiptNumber({ number }: { number: string }) {
  const t = useText(billsStrings);
  return (
    <dl class="summary">
      <dt>{t('receiptNumber')}</dt>
      <dd class="bills-receipt-number" data-receipt-number={number}>
        {number}
      </dd>
    </dl>
  );
}

export function QrScreen({ state, send }: { state: Of<'qr'>; send: Send }) {
  const t = useText(billsStrings);
  const amount = formatYuan(state.order.amountFen);
  // Said once on arrival; the countdown is then spoken at its milestones by the journey.
  const [arrival] = useState(() => t('qrSay', { amount, time: timeText(t, state.secondsLeft) }));
  if (state.secondsLeft === 0) {
    return (
      <Screen id="j4-qr-expired" title={t('qrExpiredTitle')} say={t('qrExpired')} noHome>
        <p class="lead" role="status">
          <span aria-hidden="true">◷ </span>
          {t('qrExpired')}
        </p>
        <ReceiptNumber number={state.order.receiptNumber} />
      </Screen>
    );
  }
  return (
    <Screen
      id="j4-qr"
      title={t('qrTitle')}
      say={arrival}
      noHome
      actions={
        <button type="button" class="secondary" data-action="cancel-payment" onClick={() => send({ type: 'cancel' })}>
          {t('cancelPayment')}
        </button>
      }
    >
      <div class="bills-pay two-columns">
        <div class="qr bills-qr-frame">
          <QrCode text={state.order.qrContent ?? ''} label={t('qrLabel', { amount })} />
        </div>
        <div class="bills-pay-info">
          <p class="lead">{t('qrLead', { amount })}</p>
          <p class="step">{t('qrWallets')}</p>
          <p class="bills-countdown" role="timer" aria-label={t('qrLeft')} data-seconds-left={state.secondsLeft}>
            <span class="bills-countdown-label">
              <span aria-hidden="true">◷ </span>
              {t('qrLeft')}
            </span>{' '}
            <span class="countdown">{clockText(state.secondsLeft)}</span>
          </p>
          <ReceiptNumber number={state.order.receiptNumber} />
        </div>
      </div>
    </Screen>
  );
}

export function UserPayingScreen({ state }: { state: Of<'userPaying'> }) {
  const t = useText(billsStrings);
  return (
    <Screen id="j4-user-paying" title={t('userPayingTitle')} say={t('userPaying')} noHome>
      <p class="big-number">¥{formatYuan(state.order.amountFen)}</p>
      <p class="lead" role="status">
        <span aria-hidden="true">▯ </span>
        {t('userPaying')}
      </p>
      <ReceiptNumber number={state.order.receiptNumber} />
    </Screen>
  );
}

export function ConfirmingScreen({ state, send, onDone }: { state: Of<'confirming'>; send: Send; onDone: () => void }) {
  const t = useText(billsStrings);
  const number = state.order.receiptNumber;
  if (state.receipt === 'printed' || state.receipt === 'notPrinted') {
    const text = state.receipt === 'printed' ? t('confirmingPrinted') : t('confirmingNotPrinted', { number });
    return (
      <Screen
        id="j4-confirming-receipt"
        title={t('confirmingTitle')}
        say={text}
        noHome
        actions={
          <button type="button" class="primary" data-action="done" onClick={onDone}>
            {t('done')}
          </button>
        }
      >
        <p class="lead" role="status" data-receipt={state.receipt}>
          <span aria-hidden="true">{state.receipt === 'printed' ? '✓ ' : '⚠ '}</span>
          {text}
        </p>
        <ReceiptNumber number={number} />
      </Screen>
    );
  }
  return (
    <Screen
      id="j4-confirming"
      title={t('confirmingTitle')}
      say={`${t('confirming')} ${t('receiptNumber')} ${number}`}
      noHome
      actions={
        <button type="button" class="primary" data-action="leave-with-receipt" aria-disabled={state.receipt === 'printing'} onClick={() => send({ type: 'leave' })}>
          {state.receipt === 'printing' ? t('printingReceipt') : t('leaveWithReceipt')}
        </button>
      }
    >
      <p class="big-number">¥{formatYuan(state.order.amountFen)}</p>
      <p class="lead" role="status">
        <span aria-hidden="true">◔ </span>
        {t('confirming')}
      </p>
      <ReceiptNumber number={number} />
      <p>{t('confirmingNote')}</p>
    </Screen>
  );
}

export function OutcomeUnknownScreen({ onCallStaff, onDone }: { onCallStaff: () => void; onDone: () => void }) {
  const t = useText(billsStrings);
  return (
    <Screen
      id="j4-outcome-unknown"
      title={t('unknownTitle')}
      say={t('unknown')}
      noHome
      actions={
        <>
          <button type="button" class="secondary" data-action="call-staff-payment" onClick={onCallStaff}>
            {t('callStaff')}
          </button>
          <button type="button" class="primary" data-action="done" onClick={onDone}>
            {t('done')}
          </button>
        </>
      }
    >
      <p class="lead" role="status">
        <span aria-hidden="true">◔ </span>
        {t('unknown')}
      </p>
    </Screen>
  );
}

export function PaidScreen({ state, onDone }: { state: Of<'paid'>; onDone: () => void }) {
  const t = useText(billsStrings);
  const number = state.order.receiptNumber;
  const amount = formatYuan(state.order.amountFen);
  const receipt = state.receipt === 'printing' ? t('receiptPrinting') : state.receipt === 'printed' ? t('receiptPrinted') : t('receiptNotPrinted', { number });
  return (
    <Screen
      id="j4-paid"
      title={t('paidTitle')}
      say={`${t('paid', { amount })} ${receipt}`}
      noHome
      actions={
        <button type="button" class="primary" data-action="done" aria-disabled={state.receipt === 'printing'} onClick={() => (state.receipt === 'printing' ? undefined : onDone())}>
          {t('done')}
        </button>
      }
    >
      <p class="lead bills-paid" role="status">
        <span aria-hidden="true">✓ </span>
        {t('paid', { amount })}
      </p>
      <ReceiptNumber number={number} />
      <p class={state.receipt === 'notPrinted' ? 'alert' : 'step'} role={state.receipt === 'notPrinted' ? 'alert' : undefined} data-receipt={state.receipt}>
        <span aria-hidden="true">{state.receipt === 'notPrinted' ? '⚠ ' : state.receipt === 'printed' ? '✓ ' : '… '}</span>
        {receipt}
      </p>
    </Screen>
  );
}

export function NotPaidScreen({ state, send }: { state: Of<'notPaid'>; send: Send }) {
  const t = useText(billsStrings);
  const text = t(`notPaid.${state.why}`);
  return (
    <Screen
      id="j4-not-paid"
      title={state.why === 'refunded' ? t('title') : t('notPaidTitle')}
      say={text}
      onBack={state.why === 'refunded' ? undefined : () => send({ type: 'back' })}
      actions={
        state.why === 'refunded' ? null : (
          <button type="button" class="primary" data-action="pay-again" onClick={() => send({ type: 'again' })}>
            {t('payAgain')}
          </button>
        )
      }
    >
      <p class="lead" role="status" data-why={state.why}>
        <span aria-hidden="true">✕ </span>
        {text}
      </p>
      {state.receiptNumber ? <ReceiptNumber number={state.receiptNumber} /> : null}
    </Screen>
  );
}
