// Metrics of the backends: messages waiting in the outbox and for how long (a dead network shows
// here before residents notice), payment orders by state, those still being confirmed and how long
// the oldest open one has waited (an order the loop cannot drive to a final state is money in
// doubt), how old the township's service list is, and every request to the platform and the
// gateway by outcome and duration (a backend that refuses, times out, answers 500 or is slow).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Backends } from '../backends/backends';
import type { HttpErrorKind } from '../backends/http/json-client';
import { OUTBOX_KINDS } from '../backends/outbox/outbox-store';
import { viewOf } from '../backends/payments/payment-service';
import { ORDER_STATES } from '../backends/payments/payment-store';

const REQUEST_OUTCOMES: ReadonlyArray<'ok' | HttpErrorKind> = ['ok', 'unreachable', 'unknown', 'canceled', 'status', 'malformed'];

export function registerBackendMetrics(registry: Registry, backends: Backends, now: () => number = () => Date.now()): void {
  const requests = new Counter({
    name: 'kiosk_backend_requests_total',
    help: 'HTTP requests to the platform and the gateway by outcome: ok, unreachable (nothing sent), unknown (timeout or connection lost: may have been acted on), canceled, status (an error status), malformed (bad reply or signature).',
    labelNames: ['backend', 'outcome'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'kiosk_backend_request_duration_seconds',
    help: 'Time from sending a request to the platform or the gateway to its outcome.',
    labelNames: ['backend'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  for (const backend of ['platform', 'gateway']) for (const outcome of REQUEST_OUTCOMES) requests.inc({ backend, outcome }, 0);
  backends.onRequest(({ backend, outcome, seconds }) => {
    requests.inc({ backend, outcome });
    durations.observe({ backend }, seconds);
  });
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
