// Metrics of the ID photo service: its models' state, compositions by outcome (how often residents
// are told to retake, and why) and their time, sheets printed. Nothing about any face.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PhotoService } from '../photo/photo-service';

const PHOTO_STATES = ['loading', 'ready', 'unavailable', 'disabled'] as const;

export function registerPhotoMetrics(registry: Registry, photos: PhotoService | undefined): void {
  new Gauge({
    name: 'kiosk_photo_service_state',
    help: 'ID photo service as a state set (disabled: no photo service on this terminal).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const current = photos?.state.kind ?? 'disabled';
      for (const state of PHOTO_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  if (!photos) return;
  const composed = new Counter({
    name: 'kiosk_photo_compositions_total',
    help: 'Photo.Compose by outcome: ok, issues (composed with compliance issues), or the error.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'kiosk_photo_composition_duration_seconds',
    help: 'Time to compose one ID photo, face analysis and segmentation included.',
    buckets: [0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const printed = new Counter({
    name: 'kiosk_photo_prints_total',
    help: 'Photo.Print by outcome: printed, or the error.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const sheets = new Counter({
    name: 'kiosk_photo_sheets_total',
    help: 'A4 sheets of ID photos handed to the printer.',
    registers: [registry],
  });
  photos.onRecord((record) => {
    if (record.kind === 'compose') {
      composed.inc({ outcome: record.outcome });
      if (record.outcome === 'ok' || record.outcome === 'issues') duration.observe(record.ms / 1000);
    } else {
      printed.inc({ outcome: record.outcome });
      if (record.sheets !== undefined) sheets.inc(record.sheets);
    }
  });
}
