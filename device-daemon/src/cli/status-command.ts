// kioskctl status: one terminal's state, from its ops listener's /v1/status.
import { statusReportSchema, type StatusReport } from '../ops/status-report';
import { opsGet, type OpsTarget } from './ops-client';

export function formatStatus(report: StatusReport): string {
  const lines = [
    `terminal ${report.terminal.id}  site ${report.terminal.site}  region ${report.terminal.region}`,
    `daemon ${report.build.version} (${report.build.revision})  up ${report.uptimeSeconds} s  ${report.ready ? 'ready' : 'NOT READY'}  ui connections ${report.uiConnections}`,
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
  const header = ['DEVICE', 'CLASS', 'STATE', 'MODE', 'DETAIL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
  return lines.join('\n');
}

export async function statusCommand(target: OpsTarget, asJson: boolean, out: (line: string) => void): Promise<number> {
  const fetched = await opsGet(target, '/v1/status');
  if (!fetched.ok) {
    out(`kioskctl status: ${fetched.error}`);
    return 1;
  }
  const report = statusReportSchema.safeParse(fetched.value);
  if (!report.success) {
    out(`kioskctl status: ${target.url} answered something that is not a kiosk status report`);
    return 1;
  }
  out(asJson ? JSON.stringify(report.data, null, 2) : formatStatus(report.data));
  const allOnline = Object.values(report.data.devices).every((d) => d.status.common.device === 'online');
  const faceOk = report.data.face === undefined || report.data.face.kind === 'ready' || report.data.face.kind === 'disabled';
  return report.data.ready && allOnline && faceOk ? 0 : 3;
}
