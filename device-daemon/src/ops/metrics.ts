// Prometheus metrics (prom-client), following the exporter conventions: state sets export every
// state with exactly one at 1, build information as an info metric, counters with _total, base
// units. Device values are read on scrape; terminal and site come from the scrape configuration.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeviceRegistry } from '../devices/device-registry';
import { commands, DEVICE_STATES, PAPER_STATES, PRINT_JOB_STATES } from '../protocol';

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
}

export interface KioskMetrics {
  readonly registry: Registry;
  /** errorCode: the command's own error code when it completed commandErrorCode. */
  commandCompleted(command: string, completionCode: string, durationSeconds: number, errorCode?: string): void;
  refused(reason: string): void;
  auditWriteFailed(): void;
  /** A resident asked for staff on site. */
  staffCalled(reason: string): void;
}

export interface MetricsSources {
  readonly devices: DeviceRegistry;
  readonly build: BuildInfo;
  readonly uiConnections: () => number;
  /** Print jobs of a printer by state, from the database. */
  readonly printJobs?: (device: string) => Partial<Record<(typeof PRINT_JOB_STATES)[number], number>>;
}

const knownCommand = (name: string): string => (Object.hasOwn(commands, name) ? name : 'unknown');
// Error codes come from the commands' own enums; anything else is folded so labels stay bounded.
const boundedCode = (code: string | undefined): string => (code === undefined ? '' : /^[A-Za-z]{1,40}$/.test(code) ? code : 'other');

// Default metrics that are gauges named _total (prom-client's), which `promtool check metrics`
// rejects; nodejs_active_handles, _requests and _resources carry the same counts by type.
const NONCONFORMING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(sources: MetricsSources): KioskMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of NONCONFORMING_DEFAULTS) registry.removeSingleMetric(name);
  const { devices } = sources;

  new Gauge({
    name: 'kiosk_build_info',
    help: 'Build of the kiosk daemon (always 1).',
    labelNames: ['version', 'revision', 'nodejs'],
    registers: [registry],
  }).set({ version: sources.build.version, revision: sources.build.revision, nodejs: process.versions.node }, 1);

  new Gauge({
    name: 'kiosk_device_state',
    help: 'Device state as a state set: one series per state, exactly one of them 1.',
    labelNames: ['device', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const device of devices.all()) {
        const current = device.status().common.device;
        for (const state of DEVICE_STATES) this.set({ device: device.name, state }, state === current ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'kiosk_device_info',
    help: 'Device model, serial number and firmware from Common.Capabilities (always 1).',
    labelNames: ['device', 'model', 'serial', 'firmware', 'simulated'],
    registers: [registry],
    collect() {
      this.reset();
      for (const device of devices.all()) {
        for (const info of device.capabilities().common.deviceInformation) {
          this.set({ device: device.name, model: info.modelName, serial: info.serialNumber, firmware: info.revisionNumber, simulated: String(info.simulated) }, 1);
        }
      }
    },
  });

  new Gauge({
    name: 'kiosk_printer_paper_state',
    help: 'Receipt paper as a state set: one series per state, exactly one of them 1.',
    labelNames: ['device', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const device of devices.ofClass('printer')) {
        const current = device.status().printer?.paper ?? 'unknown';
        for (const state of PAPER_STATES) this.set({ device: device.name, state }, state === current ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'kiosk_print_jobs',
    help: 'Print jobs by state, as stored (open ones wait for the printer; printed and failed are kept).',
    labelNames: ['device', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = sources.printJobs;
      if (!counts) return;
      for (const device of devices.ofClass('printer')) {
        const byState = counts(device.name);
        for (const state of PRINT_JOB_STATES) this.set({ device: device.name, state }, byState[state] ?? 0);
      }
    },
  });

  new Gauge({
    name: 'kiosk_ui_connections',
    help: 'Authenticated UI WebSocket connections.',
    registers: [registry],
    collect() {
      this.set(sources.uiConnections());
    },
  });

  const disconnects = new Counter({
    name: 'kiosk_device_disconnects_total',
    help: 'Times a device was lost (its transport dropped or would not open).',
    labelNames: ['device'],
    registers: [registry],
  });
  const deviceErrors = new Counter({
    name: 'kiosk_device_errors_total',
    help: 'Device error events, by the action they call for.',
    labelNames: ['device', 'action'],
    registers: [registry],
  });
  for (const device of devices.all()) {
    disconnects.inc({ device: device.name }, 0);
  }
  devices.subscribe((notification) => {
    if (notification.kind === 'statusChanged' && notification.event.common?.device === 'noDevice') {
      disconnects.inc({ device: notification.event.device });
    } else if (notification.kind === 'error') {
      deviceErrors.inc({ device: notification.event.device, action: notification.event.action });
    }
  });

  const commandCounter = new Counter({
    name: 'kiosk_commands_total',
    help: 'WebSocket commands completed, by completion code.',
    labelNames: ['command', 'completion_code'],
    registers: [registry],
  });
  const commandErrors = new Counter({
    name: 'kiosk_command_errors_total',
    help: 'WebSocket commands that completed other than success, by completion code and the command\'s own error code.',
    labelNames: ['command', 'completion_code', 'error_code'],
    registers: [registry],
  });
  const commandDuration = new Histogram({
    name: 'kiosk_command_duration_seconds',
    help: 'Time from a command being accepted to its completion.',
    labelNames: ['command'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'kiosk_protocol_refusals_total',
    help: 'UI messages refused: invalid message, reused request id, unknown command, invalid data, no token.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const auditFailures = new Counter({
    name: 'kiosk_audit_write_failures_total',
    help: 'Audit log rows that could not be written (disk full, database error).',
    registers: [registry],
  });

  const staffCalls = new Counter({
    name: 'kiosk_staff_calls_total',
    help: 'Residents who asked for staff on site, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });

  return {
    registry,
    staffCalled(reason) {
      staffCalls.inc({ reason });
    },
    commandCompleted(command, completionCode, durationSeconds, errorCode) {
      const label = knownCommand(command);
      commandCounter.inc({ command: label, completion_code: completionCode });
      if (completionCode !== 'success') commandErrors.inc({ command: label, completion_code: completionCode, error_code: boundedCode(errorCode) });
      commandDuration.observe({ command: label }, durationSeconds);
    },
    refused(reason) {
      refusals.inc({ reason });
    },
    auditWriteFailed() {
      auditFailures.inc();
    },
  };
}
