// What a fleet operator wants to know of one terminal, read from its /metrics beside /v1/status:
// outbox, payments, journeys, models, restarts, device models; and the conditions worth acting on,
// judged by the same thresholds as config/ops/kiosk-alerts.yml.
import { JOURNEYS } from '../protocol';
import type { StatusReport } from '../ops/status-report';
import { select, sumOf, type Sample } from './metrics-text';

/** Keep in step with config/ops/kiosk-alerts.yml. */
export const THRESHOLDS = {
  outboxOldestPendingSeconds: 30 * 60,
  paymentOldestOpenSeconds: 15 * 60,
  noCompletedJourneySeconds: 4 * 3600,
  recentStartSeconds: 15 * 60,
} as const;

export interface MetricsSummary {
  readonly outbox: { readonly pending: number; readonly rejected: number; readonly delivered: number; readonly oldestPendingSeconds: number };
  readonly payments: { readonly byState: Readonly<Record<string, number>>; readonly confirming: number; readonly oldestOpenSeconds: number };
  readonly journeys: {
    readonly started: number;
    readonly completed: number;
    readonly abandoned: number;
    readonly lastCompleted: { readonly journey: string; readonly at: string } | null;
  };
  readonly models: Readonly<Record<string, string>>;
  readonly restarts: { readonly starts: number; readonly uncleanStarts: number };
  readonly paper: Readonly<Record<string, string>>;
  readonly deviceInfo: Readonly<Record<string, { readonly model: string; readonly serial: string; readonly firmware: string }>>;
  readonly catalogueStale: boolean;
}

/** The state a state set says is current (the one series at 1), by the given label. */
function currentStates(samples: readonly Sample[], name: string, key: string): Record<string, string> {
  const states: Record<string, string> = {};
  for (const s of select(samples, name)) {
    const owner = s.labels[key] ?? '';
    const state = s.labels.state;
    if (s.value === 1 && state !== undefined) states[owner] = state;
  }
  return states;
}

export function summariseMetrics(samples: readonly Sample[]): MetricsSummary {
  const byState: Record<string, number> = {};
  for (const s of select(samples, 'kiosk_payment_orders')) if (s.labels.state !== undefined && s.value > 0) byState[s.labels.state] = s.value;
  let lastCompleted: MetricsSummary['journeys']['lastCompleted'] = null;
  let lastAt = 0;
  for (const s of select(samples, 'kiosk_journey_last_completed_timestamp_seconds')) {
    const journey = s.labels.journey ?? '';
    if ((JOURNEYS as readonly string[]).includes(journey) && Number.isFinite(s.value) && s.value > lastAt) {
      lastAt = s.value;
      lastCompleted = { journey, at: new Date(s.value * 1000).toISOString() };
    }
  }
  const models: Record<string, string> = {};
  for (const [model, metric] of [['face', 'kiosk_face_service_state'], ['photo', 'kiosk_photo_service_state']] as const) {
    const state = select(samples, metric).find((s) => s.value === 1)?.labels.state;
    if (state !== undefined) models[model] = state;
  }
  const deviceInfo: Record<string, { model: string; serial: string; firmware: string }> = {};
  for (const s of select(samples, 'kiosk_device_info')) {
    if (s.labels.device) deviceInfo[s.labels.device] = { model: s.labels.model ?? '', serial: s.labels.serial ?? '', firmware: s.labels.firmware ?? '' };
  }
  return {
    outbox: {
      pending: sumOf(samples, 'kiosk_outbox_messages', { state: 'pending' }),
      rejected: sumOf(samples, 'kiosk_outbox_messages', { state: 'rejected' }),
      delivered: sumOf(samples, 'kiosk_outbox_messages', { state: 'delivered' }),
      oldestPendingSeconds: sumOf(samples, 'kiosk_outbox_oldest_pending_seconds'),
    },
    payments: { byState, confirming: sumOf(samples, 'kiosk_payment_orders_confirming'), oldestOpenSeconds: sumOf(samples, 'kiosk_payment_oldest_open_seconds') },
    journeys: {
      started: sumOf(samples, 'kiosk_journeys_started_total'),
      completed: sumOf(samples, 'kiosk_journeys_completed_total'),
      abandoned: sumOf(samples, 'kiosk_journeys_abandoned_total'),
      lastCompleted,
    },
    models,
    restarts: { starts: sumOf(samples, 'kiosk_daemon_starts_total'), uncleanStarts: sumOf(samples, 'kiosk_daemon_unclean_starts_total') },
    paper: currentStates(samples, 'kiosk_printer_paper_state', 'device'),
    deviceInfo,
    catalogueStale: sumOf(samples, 'kiosk_catalogue_stale') > 0,
  };
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.round((s % 86_400) / 3600)} h`;
}

/** Conditions an operator should act on, one line each; empty when all is well. */
export function attention(report: StatusReport, metrics: MetricsSummary | undefined): string[] {
  const items: string[] = [];
  const storage = report.storage?.state;
  if (storage?.kind === 'failing') items.push(`storage ${storage.fault === 'full' ? 'full' : storage.fault === 'io' ? 'failing (I/O errors)' : 'read-only'} since ${storage.since}: payments and submissions refused${report.storage?.freeBytes !== undefined ? ` (${Math.floor(report.storage.freeBytes / 1024)} KiB free)` : ''}`);
  else if (!report.ready) items.push('not ready: devices still starting or models loading');
  for (const [name, device] of Object.entries(report.devices)) {
    const state = device.status.common.device;
    if (state !== 'online' && state !== 'deviceBusy') items.push(`${name} is ${state}`);
    const paper = device.status.printer?.paper;
    if (paper === 'low' || paper === 'out' || paper === 'jammed') items.push(`${name} paper ${paper}`);
    if (device.lastHealth && !device.lastHealth.ok) items.push(`${name} failed its last ${device.lastHealth.level} check: ${device.lastHealth.text}`);
  }
  if (report.face?.kind === 'unavailable') items.push(`face service unavailable${report.face.reason ? `: ${report.face.reason}` : ''}`);
  if (report.uiConnections === 0) items.push('no screen connected: the kiosk UI is not running or cannot reach the daemon');
  if (!metrics) return items;
  if (metrics.models.photo === 'unavailable') items.push('photo service unavailable (its models did not load)');
  const { outbox, payments, journeys, restarts } = metrics;
  if (outbox.pending > 0 && outbox.oldestPendingSeconds > THRESHOLDS.outboxOldestPendingSeconds) {
    items.push(`outbox backing up: ${outbox.pending} waiting, the oldest for ${duration(outbox.oldestPendingSeconds)}`);
  }
  if (outbox.rejected > 0) items.push(`outbox: ${outbox.rejected} refused by the backend, need an operator`);
  if (payments.oldestOpenSeconds > THRESHOLDS.paymentOldestOpenSeconds) {
    items.push(`payments stuck: an order open for ${duration(payments.oldestOpenSeconds)} (${payments.confirming} confirming)`);
  }
  if (report.uptimeSeconds < THRESHOLDS.recentStartSeconds && restarts.starts > 1) {
    items.push(`daemon restarted ${duration(report.uptimeSeconds)} ago (${restarts.starts} starts, ${restarts.uncleanStarts} unclean)`);
  }
  if (report.uptimeSeconds > THRESHOLDS.noCompletedJourneySeconds && journeys.completed === 0) {
    items.push(`no journey completed in the ${duration(report.uptimeSeconds)} since the daemon started`);
  }
  if (metrics.catalogueStale) items.push('service list stale: the platform could not be reached at the last sync');
  return items;
}
