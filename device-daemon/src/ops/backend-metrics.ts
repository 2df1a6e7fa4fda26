// Metrics of the backends: messages waiting in the outbox and for how long (a dead network shows
// here before residents notice), payment orders by state, those still being confirmed and how long
// the oldest open one has waited (an order the loop cannot drive to a final state is money in
// doubt), and how old the township's service list is.
import { Gauge, type Registry } from 'prom-client';
import type { Backends } from '../backends/backends';
import { OUTBOX_KINDS } from '../backends/outbox/outbox-store';
import { viewOf } from '../backends/payments/payment-service';
import { ORDER_STATES } from '../backends/payments/payment-store';

export function registerBackendMetrics(registry: Registry, backends: Backends, now: () => number = () => Date.now()): void {
  new Gauge({
    name: 'kiosk_outbox_messages',
    help: 'Outbox messages by kind and state (pending ones wait for the backend; rejected ones need an operator).',
    labelNames: ['kind', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = backends.outbox.counts();
      for (const kind of OUTBOX_KINDS) for (const state of ['pending', 'delivered', 'rejected']) this.set({ kind, state }, counts.find((c) => c.kind === kind && c.state === state)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'kiosk_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message still waiting to be sent (0 when none waits).',
    registers: [registry],
    collect() {
      const oldest = backends.outbox.oldestPending();
      this.set(oldest ? Math.max(0, (now() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'kiosk_payment_orders',
    help: 'Payment orders by state, as stored.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = backends.paymentStore.counts();
      for (const state of ORDER_STATES) this.set({ state }, counts.find((c) => c.state === state)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'kiosk_payment_orders_confirming',
    help: 'Open payment orders whose outcome is still being confirmed with the gateway (the resident was told "confirming").',
    registers: [registry],
    collect() {
      this.set(backends.paymentStore.open().filter((order) => viewOf(order).confirming).length);
    },
  });
  new Gauge({
    name: 'kiosk_payment_oldest_open_seconds',
    help: 'Age of the oldest payment order not yet in a final state (0 when none is open).',
    registers: [registry],
    collect() {
      const oldest = backends.paymentStore.open()[0];
      this.set(oldest ? Math.max(0, (now() - Date.parse(oldest.createdAt)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'kiosk_catalogue_age_seconds',
    help: 'Time since the service list was last synced from the platform (-1: never).',
    registers: [registry],
    collect() {
      const synced = backends.catalogue.state().syncedAt;
      this.set(synced ? (now() - Date.parse(synced)) / 1000 : -1);
    },
  });
  new Gauge({
    name: 'kiosk_catalogue_stale',
    help: '1 when the last sync of the service list failed and the cached list is served.',
    registers: [registry],
    collect() {
      this.set(backends.catalogue.state().stale ? 1 : 0);
    },
  });
}
