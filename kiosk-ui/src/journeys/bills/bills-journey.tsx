// J4 Utility bills: no ID card needed. The screens send the machine what happened; the effects here
// talk to the daemon on entering a state: the bill, the order, following it (Payment.StateChanged
// and Payment.Query), cancelling it, and the receipt.
import { billCompletionSchema, catalogueCompletionSchema, paymentStateChangedEventSchema, paymentViewSchema, printFormCompletionSchema } from '@protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useCodeScan } from '../../flow/use-code-scan';
import { useMachine } from '../../flow/use-machine';
import { useTicker } from '../../flow/use-ticker';
import { textFor } from '../../i18n/catalogue';
import type { DaemonClient } from '../../daemon/daemon-client';
import { useCommonText, useKiosk, useText } from '../../session/kiosk-context';
import { deviceProblem } from '../availability';
import { chinaIso, shouldSpeakCountdown, walletOfCode, walletOfQr } from './bills-format';
import { billsTransition, followedOrder, initialBills, type BillsEvent, type BillsState, type Order, type OrderReport, type Payment, type Utility } from './bills-machine';
import { AccountScreen, AmountScreen, BillScreen, BusyScreen, MethodScreen, PresentCodeScreen, UtilityScreen } from './bills-screens';
import { billsStrings } from './bills-strings';
import { ConfirmingScreen, NotPaidScreen, OutcomeUnknownScreen, PaidScreen, QrScreen, timeText, UserPayingScreen } from './payment-screens';
import './bills.css';

/** Between queries of an open order, besides the daemon's events. */
const QUERY_EVERY_MS = 3_000;

function report(payload: unknown): OrderReport | undefined {
  const view = paymentViewSchema.safeParse(payload);
  if (!view.success) return undefined;
  const expiresAt = view.data.expiresAt === undefined ? undefined : Date.parse(view.data.expiresAt);
  return { ...view.data, qrContent: view.data.qrContent, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}

/** Prints the payment receipt; false when it could not be printed now (out of paper, a fault). */
async function printReceipt(client: DaemonClient, payment: Payment, order: Order, status: 'success' | 'confirming', at: number): Promise<boolean> {
  const wallet = order.method === 'micropay' ? walletOfCode(order.code ?? '') : walletOfQr(order.qrContent ?? '');
  const reply = await client.request(
    'Printer.PrintForm',
    {
      template: 'payment-receipt',
      data: {
        utility: payment.bill.utility,
        account: payment.bill.account,
        holderMasked: payment.bill.holderMasked,
        ...(payment.bill.billMonth ? { billPeriod: payment.bill.billMonth } : {}),
        kind: payment.kind,
        amountFen: order.amountFen,
        method: wallet ?? 'unionpay',
        orderId: order.orderId,
        receiptNumber: order.receiptNumber,
        status,
        paidAt: chinaIso(at),
      },
    },
    { timeoutMs: 30_000 },
  );
  return reply.completionCode === 'success' && printFormCompletionSchema.safeParse(reply.payload).success;
}

export function BillsJourney() {
  const kiosk = useKiosk();
  const { client } = kiosk;
  const t = useText(billsStrings);
  const [state, send] = useMachine(billsTransition, () => initialBills, kiosk.clock);
  const scanner = Object.values(kiosk.devices).some((d) => d.deviceClass === 'barcodeReader' && deviceProblem(d) === undefined);
  const [item, setItem] = useState<{ code: string; name: { zh: string; en: string } } | undefined>(undefined);
  const utility: Utility | undefined = 'payment' in state ? state.payment.bill.utility : undefined;

  // The catalogue item of the utility, so the rating is bound to it (一事一评).
  useEffect(() => {
    if (!utility) return;
    void client.request('Platform.Catalogue', { journey: 'bill' }).then((reply) => {
      const list = catalogueCompletionSchema.safeParse(reply.payload);
      const found = list.success ? list.data.items.find((i) => i.utility === utility) : undefined;
      setItem(found ? { code: found.code, name: found.name } : undefined);
    });
  }, [utility]);

  useCodeScan(state.kind === 'account' || state.kind === 'presentCode', (text) => send({ type: 'scanned', text }));

  useEffect(() => {
    if (state.kind !== 'lookingUp') return;
    void client.request('Payment.LookupBill', state.query, { timeoutMs: 30_000 }).then((reply) => {
      const bill = billCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && bill.success) send({ type: 'billFound', bill: bill.data });
      else send({ type: 'billFailed', code: reply.errorCode ?? reply.completionCode });
    });
  }, [state.kind]);

  useEffect(() => {
    if (state.kind !== 'creating') return;
    const { payment, method, code } = state;
    const payload = { utility: payment.bill.utility, account: payment.bill.account, amount: payment.amountFen, method, ...(code ? { code } : {}) };
    void client.request('Payment.Create', payload, { timeoutMs: 60_000 }).then((reply) => {
      const order = report(reply.payload);
      if (reply.completionCode === 'success' && order) send({ type: 'created', order });
      else send({ type: 'createFailed', code: reply.errorCode ?? reply.completionCode, orderId: typeof reply.payload.orderId === 'string' ? reply.payload.orderId : undefined });
    });
  }, [state.kind]);

  // Follow the open order: the daemon's events, and a query now and every few seconds in case one
  // was missed (it may have been sent before the order's number reached this page).
  const followed = followedOrder(state)?.orderId;
  useEffect(() => {
    if (!followed) return undefined;
    const update = (payload: unknown): void => {
      const view = paymentStateChangedEventSchema.safeParse(payload);
      if (view.success) send({ type: 'orderUpdate', orderId: view.data.orderId, state: view.data.state, confirming: view.data.confirming });
    };
    const stop = client.onUnsolicited((name, payload) => {
      if (name === 'Payment.StateChanged') update(payload);
    });
    const query = (): void => {
      void client.request('Payment.Query', { orderId: followed }).then((reply) => {
        if (reply.completionCode === 'success') update(reply.payload);
      });
    };
    query();
    const timer = setInterval(query, QUERY_EVERY_MS);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, [followed]);

  useEffect(() => {
    if (state.kind !== 'cancelling') return;
    void client.request('Payment.Cancel', { orderId: state.order.orderId }).then((reply) => {
      const order = report(reply.payload);
      if (reply.completionCode === 'success' && order) send({ type: 'orderUpdate', orderId: order.orderId, state: order.state, confirming: order.confirming });
    });
  }, [state.kind]);

  const printing = (state.kind === 'paid' || state.kind === 'confirming') && state.receipt === 'printing';
  useEffect(() => {
    if (!printing || (state.kind !== 'paid' && state.kind !== 'confirming')) return;
    const status = state.kind === 'paid' ? 'success' : 'confirming';
    const at = state.kind === 'paid' ? state.paidAt : kiosk.clock.now();
    void printReceipt(client, state.payment, state.order, status, at).then((printed) => send({ type: 'receipt', status, printed }));
  }, [printing, state.kind]);

  // The QR code's countdown: a tick a second, spoken at its milestones.
  const tick = useCallback(() => send({ type: 'tick' }), [send]);
  useTicker(state.kind === 'qr' && state.secondsLeft > 0, tick);
  const secondsLeft = state.kind === 'qr' ? state.secondsLeft : undefined;
  useEffect(() => {
    if (secondsLeft !== undefined && shouldSpeakCountdown(secondsLeft)) kiosk.say(t('qrLeftSay', { time: timeText(t, secondsLeft) }));
  }, [secondsLeft]);

  // Leaving while a QR code can still be paid (home, the idle timer): close the order.
  const current = useRef<BillsState>(state);
  current.current = state;
  useEffect(
    () => () => {
      const last = current.current;
      if (last.kind === 'qr') void client.request('Payment.Cancel', { orderId: last.order.orderId });
    },
    [],
  );

  const finish = (payment: Payment, order: Order): void => {
    const zh = textFor(billsStrings, 'zh-CN');
    const en = textFor(billsStrings, 'en');
    const kind = payment.bill.utility;
    const label = item?.name ?? { zh: zh('label', { utility: zh(`utility.${kind}`) }), en: en('label', { utility: en(`utility.${kind}`) }) };
    kiosk.send({ type: 'completed', transaction: { id: order.orderId, journey: 'J4', label, itemCode: item?.code } });
  };

  return <BillsScreens state={state} send={send} scanner={scanner} onFinish={finish} />;
}

function BillsScreens({ state, send, scanner, onFinish }: { state: BillsState; send: (event: BillsEvent) => void; scanner: boolean; onFinish: (payment: Payment, order: Order) => void }) {
  const kiosk = useKiosk();
  const t = useText(billsStrings);
  const common = useCommonText();
  const home = (): void => kiosk.send({ type: 'home' });
  switch (state.kind) {
    case 'pickUtility':
      return <UtilityScreen send={send} />;
    case 'account':
      return <AccountScreen state={state} send={send} scanner={scanner} />;
    case 'lookingUp':
      return <BusyScreen id="j4-looking-up" title={t('title')} text={t('lookingUp')} />;
    case 'bill':
      return <BillScreen state={state} send={send} />;
    case 'amount':
      return <AmountScreen state={state} send={send} />;
    case 'method':
      return <MethodScreen state={state} send={send} scanner={scanner} />;
    case 'presentCode':
      return <PresentCodeScreen state={state} send={send} />;
    case 'creating':
      return <BusyScreen id="j4-creating" title={t('title')} text={state.method === 'native' ? t('creating') : t('paying')} />;
    case 'qr':
      return <QrScreen state={state} send={send} />;
    case 'cancelling':
      return <BusyScreen id="j4-cancelling" title={t('qrTitle')} text={t('cancelling')} />;
    case 'userPaying':
      return <UserPayingScreen state={state} />;
    case 'confirming':
      return <ConfirmingScreen state={state} send={send} onDone={home} />;
    case 'outcomeUnknown':
      return <OutcomeUnknownScreen onCallStaff={() => void kiosk.client.request('Help.CallStaff', { reason: 'payment' }).then(() => kiosk.say(common('common.staffCalled')))} onDone={home} />;
    case 'paid':
      return <PaidScreen state={state} onDone={() => onFinish(state.payment, state.order)} />;
    case 'notPaid':
      return <NotPaidScreen state={state} send={send} />;
  }
}
