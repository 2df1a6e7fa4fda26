// What the fault-matrix tests look at on each side: the operator's /metrics and /v1/status, and the
// resident's WebSocket messages counted from a mark, so that a test sees only what its fault caused.
import { z } from 'zod';
import type { DaemonMessage } from '../../device-daemon/src/protocol';
import type { WsTestClient } from '../../device-daemon/src/testing/ws-test-client';
import type { DaemonProcess } from './daemon-process';

const statusSchema = z.object({
  devices: z.record(
    z.string(),
    z.object({
      status: z.looseObject({ common: z.object({ device: z.string() }) }),
      printJobs: z.optional(z.record(z.string(), z.number())),
    }),
  ),
});
export type DeviceReport = z.infer<typeof statusSchema>['devices'][string];

/** One device as GET /v1/status names it (a test failure when it is missing). */
export async function deviceReport(daemon: DaemonProcess, device: string): Promise<DeviceReport> {
  const report = statusSchema.parse(await (await daemon.ops('/v1/status')).json()).devices[device];
  if (!report) throw new Error(`/v1/status does not name ${device}`);
  return report;
}

export async function scrape(daemon: DaemonProcess): Promise<string> {
  return (await daemon.ops('/metrics')).text();
}

/** The sum of every series of `name` whose labels include `labels` (0 when there is none). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

/** The device's state in the kiosk_device_state state set (the one series at 1). */
export function metricDeviceState(text: string, device: string): string | undefined {
  const match = new RegExp(`^kiosk_device_state\\{device="${device}",state="(\\w+)"\\} 1$`, 'm').exec(text);
  return match?.[1];
}

export const commandErrors = (text: string, command: string, completionCode?: string): number =>
  metricValue(text, 'kiosk_command_errors_total', { command, ...(completionCode ? { completion_code: completionCode } : {}) });

/** Waits for an unsolicited event sent after `mark` (an index into client.messages). */
export function unsolicitedAfter(client: WsTestClient, mark: number, name: string, predicate: (payload: Record<string, unknown>) => boolean = () => true, timeoutMs = 20_000): Promise<DaemonMessage> {
  return client.waitFor((m) => client.messages.indexOf(m) >= mark && m.header.type === 'unsolicited' && m.header.name === name && predicate(m.payload ?? {}), timeoutMs, `${name} after message ${mark}`);
}

/** A StatusChangedEvent after `mark` putting `device` into the common state `state`. */
export function deviceStateAfter(client: WsTestClient, mark: number, device: string, state: string, timeoutMs = 20_000): Promise<DaemonMessage> {
  return unsolicitedAfter(client, mark, 'Common.StatusChangedEvent', (p) => p.device === device && z.object({ device: z.string() }).safeParse(p.common).data?.device === state, timeoutMs);
}

/** Completions the daemon sent for one request: a fault must never produce two. */
export const completionsOf = (client: WsTestClient, requestId: number): DaemonMessage[] => client.about(requestId).filter((m) => m.header.type === 'completion');
