// kioskctl status: one terminal as an operator sees it, from its ops listener: /v1/status (identity,
// devices, readiness) and /metrics (outbox, payments, journeys, models, restarts, device models),
// then what needs attention. Works the same on the terminal and remotely (--remote URL --token T).
import { statusReportSchema, type StatusReport } from '../ops/status-report';
import { parseExposition } from './metrics-text';
import { opsGet, opsGetText, type OpsTarget } from './ops-client';
import { attention, duration, summariseMetrics, type MetricsSummary } from './terminal-summary';

// Columns on a terminal: CJK characters (a model such as 高拍仪, a site name) take two cells.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const cells = (text: string): number => [...text].reduce((n, c) => n + (WIDE.test(c) ? 2 : 1), 0);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(cells(h), ...rows.map((r) => cells(r[i] ?? ''))));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - cells(cell))))).join('  '));
}

export function formatStatus(report: StatusReport): string {
  const lines = [
    `terminal ${report.terminal.id}  site ${report.terminal.site}  region ${report.terminal.region}`,
    `daemon ${report.build.version} (${report.build.revision})  up ${duration(report.uptimeSeconds)}  ${report.ready ? 'ready' : 'NOT READY'}  ui connections ${report.uiConnections}`,
    ...(report.face ? [`face service ${report.face.kind}${report.face.reason ? `: ${report.face.reason}` : ''}`] : []),
    '',
  ];
  const rows = Object.entries(report.devices).map(([name, d]) => {
    const detail = d.status.printer
      ? `paper ${d.status.printer.paper}, cover ${d.status.printer.cover}`
      : d.status.idCardReader
        ? `card ${d.status.idCardReader.media}, SAM ${d.status.idCardReader.sam}`
        : d.status.camera
          ? `${d.status.camera.role} camera, stream ${d.status.camera.stream}`
          : d.status.barcodeReader
            ? `scanning ${d.status.barcodeReader.scanning ? 'yes' : 'no'}`
            : d.status.documentPrinter
              ? `queue ${d.status.documentPrinter.queue}${d.status.documentPrinter.reason ? ` (${d.status.documentPrinter.reason})` : ''}`
              : '';
    const health = d.lastHealth ? `last check ${d.lastHealth.level} ${d.lastHealth.ok ? 'ok' : 'FAILED'} at ${d.lastHealth.at}` : '';
    return [name, d.deviceClass, d.status.common.device, d.simulated ? 'simulated' : 'real', [detail, health].filter(Boolean).join('; ')];
  });
  lines.push(...table(['DEVICE', 'CLASS', 'STATE', 'MODE', 'DETAIL'], rows));
  return lines.join('\n');
}

export function formatMetrics(metrics: MetricsSummary, now: number): string {
  const { outbox, payments, journeys, restarts } = metrics;
  const orders = Object.entries(payments.byState).map(([state, n]) => `${state} ${n}`);
  const last = journeys.lastCompleted ? `last completed ${journeys.lastCompleted.journey} at ${journeys.lastCompleted.at} (${duration((now - Date.parse(journeys.lastCompleted.at)) / 1000)} ago)` : 'none completed since the daemon started';
  const models = Object.entries(metrics.models).map(([name, state]) => `${name} ${state}`);
  const lines = [
    `outbox    ${outbox.pending} pending${outbox.pending > 0 ? ` (oldest ${duration(outbox.oldestPendingSeconds)})` : ''}, ${outbox.rejected} rejected, ${outbox.delivered} delivered`,
    `payments  ${orders.length > 0 ? orders.join(', ') : 'no orders'}; ${payments.confirming} confirming${payments.oldestOpenSeconds > 0 ? `; oldest open ${duration(payments.oldestOpenSeconds)}` : ''}`,
    `journeys  ${journeys.started} started, ${journeys.completed} completed, ${journeys.abandoned} abandoned since start; ${last}`,
    `models    ${models.length > 0 ? models.join(', ') : 'not reported'}`,
    `restarts  ${restarts.starts} starts, ${restarts.uncleanStarts} unclean (crash, watchdog, power)`,
  ];
  const info = Object.entries(metrics.deviceInfo).map(([name, i]) => [name, i.model, i.serial || '-', i.firmware || '-']);
  if (info.length > 0) lines.push('', ...table(['DEVICE', 'MODEL', 'SERIAL', 'FIRMWARE'], info));
  return lines.join('\n');
}

export async function statusCommand(target: OpsTarget, asJson: boolean, out: (line: string) => void, now: () => number = () => Date.now()): Promise<number> {
  const [fetched, exposition] = await Promise.all([opsGet(target, '/v1/status'), opsGetText(target, '/metrics')]);
  if (!fetched.ok) {
    out(`kioskctl status: ${fetched.error}`);
    return 1;
  }
  const report = statusReportSchema.safeParse(fetched.value);
  if (!report.success) {
    out(`kioskctl status: ${target.url} answered something that is not a kiosk status report`);
    return 1;
  }
  // Without /metrics the device summary still stands; say why the rest is missing.
  const samples = exposition.ok ? parseExposition(exposition.value) : exposition;
  const metrics = samples.ok ? summariseMetrics(samples.value) : undefined;
  const flagged = attention(report.data, metrics);
  if (asJson) {
    out(JSON.stringify({ ...report.data, metrics: metrics ?? null, attention: flagged }, null, 2));
  } else {
    out(formatStatus(report.data));
    out('');
    out(metrics ? formatMetrics(metrics, now()) : `metrics unavailable: ${samples.ok ? '' : samples.error}`);
    out('');
    out(flagged.length > 0 ? ['attention:', ...flagged.map((item) => `  ! ${item}`)].join('\n') : 'attention: none');
  }
  return flagged.length > 0 ? 3 : 0;
}
