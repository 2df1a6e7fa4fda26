// Payment.* over the WebSocket: look up a bill, create an order (QR on screen or the resident's
// payment code), follow it, cancel it. State changes also go out as Payment.StateChanged.
import { commandError, success, type CommandHandler } from '../../server/command-registry';
import type { GatewayClient } from './gateway-client';
import type { PaymentService } from './payment-service';

type Names = 'Payment.LookupBill' | 'Payment.Create' | 'Payment.Query' | 'Payment.Cancel';

export function paymentCommands(payments: PaymentService, gateway: GatewayClient): { [N in Names]: CommandHandler<N> }[Names][] {
  const lookup: CommandHandler<'Payment.LookupBill'> = {
    name: 'Payment.LookupBill',
    async handle({ payload, signal }) {
      const bill = await gateway.bill(payload, signal);
      if (bill.ok) return success(bill.value);
      if (bill.error.status === 404) return commandError('unknownAccount', 'no such account, or the bill is paid');
      if (bill.error.status === 400) return commandError('accountFormat', bill.error.message);
      return commandError('gatewayUnavailable', bill.error.message);
    },
  };
  const create: CommandHandler<'Payment.Create'> = {
    name: 'Payment.Create',
    async handle({ payload, signal }) {
      const created = await payments.create({ utility: payload.utility, account: payload.account, amountFen: payload.amount, method: payload.method, code: payload.code }, signal);
      if (created.ok) return success(created.value);
      const failed = commandError(created.error.code, created.error.message);
      return created.error.orderId ? { ...failed, details: { orderId: created.error.orderId } } : failed;
    },
  };
  const query: CommandHandler<'Payment.Query'> = {
    name: 'Payment.Query',
    async handle({ payload }) {
      const view = payments.view(payload.orderId);
      return view ? success(view) : commandError('unknownOrder', 'no such order on this terminal');
    },
  };
  const cancel: CommandHandler<'Payment.Cancel'> = {
    name: 'Payment.Cancel',
    async handle({ payload }) {
      const view = payments.cancel(payload.orderId);
      return view ? success(view) : commandError('unknownOrder', 'no such order on this terminal');
    },
  };
  return [lookup, create, query, cancel];
}
