// The body of GET /v1/status: what an operator or kioskctl needs to know about one terminal.
import { z } from 'zod';
import type { Device } from '../devices/device';
import type { FaceServiceState } from '../face/face-service';
import { CAMERA_ROLES, CAMERA_STREAM_STATES, COVER_STATES, DEVICE_CLASSES, DEVICE_STATES, MEDIA_STATES, PAPER_STATES, SAM_STATES, SELF_TEST_LEVELS, SELF_TEST_OUTCOMES, type SelfTestResult } from '../protocol';
import type { BuildInfo } from './metrics';
import { STORAGE_FAULTS, type StorageState } from '../store/storage-health';

export const healthReportSchema = z.object({
  level: z.enum(['internal', 'external', 'interactive']),
  ok: z.boolean(),
  text: z.string(),
  at: z.string(),
});

/** A technician's self-test (kioskctl selftest, the UI's technician mode), the last of its device and level. */
export const selfTestReportSchema = z.object({
  device: z.string(),
  level: z.enum(SELF_TEST_LEVELS),
  outcome: z.enum(SELF_TEST_OUTCOMES),
  text: z.string(),
  at: z.string(),
  durationMs: z.number(),
});

export const statusReportSchema = z.object({
  terminal: z.object({ id: z.string(), site: z.string(), region: z.string() }),
  build: z.object({ version: z.string(), revision: z.string() }),
  uptimeSeconds: z.number(),
  ready: z.boolean(),
  uiConnections: z.number(),
  face: z.optional(z.object({ kind: z.enum(['loading', 'ready', 'unavailable', 'disabled']), reason: z.optional(z.string()) })),
  devices: z.record(
    z.string(),
    z.object({
      deviceClass: z.enum(DEVICE_CLASSES),
      simulated: z.boolean(),
      status: z.object({
        common: z.object({ device: z.enum(DEVICE_STATES) }),
        printer: z.optional(z.object({ paper: z.enum(PAPER_STATES), cover: z.enum(COVER_STATES) })),
        idCardReader: z.optional(z.object({ media: z.enum(MEDIA_STATES), sam: z.enum(SAM_STATES) })),
        camera: z.optional(z.object({ role: z.enum(CAMERA_ROLES), stream: z.enum(CAMERA_STREAM_STATES) })),
        barcodeReader: z.optional(z.object({ scanning: z.boolean() })),
        documentPrinter: z.optional(z.object({ queue: z.string(), reason: z.string() })),
      }),
      lastHealth: healthReportSchema.nullable(),
      printJobs: z.optional(z.record(z.string(), z.number())),
    }),
  ),
  selfTests: z.optional(z.array(selfTestReportSchema)),
  storage: z.optional(
    z.object({
      state: z.union([z.object({ kind: z.literal('ok') }), z.object({ kind: z.literal('failing'), fault: z.enum(STORAGE_FAULTS), since: z.string(), where: z.string() })]),
      freeBytes: z.optional(z.number()),
    }),
  ),
});
export type StatusReport = z.infer<typeof statusReportSchema>;

export interface StatusSources {
  readonly terminal: { readonly id: string; readonly site: string; readonly region: string };
  readonly build: BuildInfo;
  readonly startedAt: number;
  readonly uiConnections: number;
  readonly face: FaceServiceState | { readonly kind: 'disabled' };
  readonly devices: readonly Device[];
  readonly printJobs: (device: string) => Record<string, number> | undefined;
  /** The last self-test of each device and level. */
  readonly selfTests?: () => readonly SelfTestResult[];
  /** Whether the data directory takes writes, and its free bytes. */
  readonly storage?: { readonly state: StorageState; readonly freeBytes: number | undefined };
}

export function statusReport(sources: StatusSources): unknown {
  const { terminal, build, devices } = sources;
  return {
    terminal: { id: terminal.id, site: terminal.site, region: terminal.region },
    build,
    uptimeSeconds: Math.round((Date.now() - sources.startedAt) / 1000),
    ready: devices.every((d) => d.status().common.device !== 'starting') && sources.storage?.state.kind !== 'failing',
    uiConnections: sources.uiConnections,
    face: sources.face,
    devices: Object.fromEntries(
      devices.map((d) => {
        const jobs = sources.printJobs(d.name);
        return [d.name, { deviceClass: d.deviceClass, simulated: d.simulated, status: d.status(), lastHealth: d.lastHealth() ?? null, ...(jobs ? { printJobs: jobs } : {}) }];
      }),
    ),
    ...(sources.selfTests ? { selfTests: sources.selfTests() } : {}),
    ...(sources.storage ? { storage: { state: sources.storage.state, ...(sources.storage.freeBytes !== undefined ? { freeBytes: sources.storage.freeBytes } : {}) } } : {}),
  };
}
