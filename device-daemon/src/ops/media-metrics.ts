// Metrics of the cameras and the face service: frames flowing (a frozen camera is seen before a
// resident notices), the face models' state, and face checks by outcome. Nothing biometric.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Camera } from '../devices/camera/camera';
import type { FaceService } from '../face/face-service';

export interface MediaMetricsSources {
  readonly registry: Registry;
  readonly cameras: ReadonlyMap<string, Camera>;
  readonly face: FaceService | undefined;
  readonly viewers: () => number;
}

const FACE_STATES = ['loading', 'ready', 'unavailable', 'disabled'] as const;

export function registerMediaMetrics(sources: MediaMetricsSources): void {
  const { registry, cameras, face } = sources;

  new Counter({
    name: 'kiosk_camera_frames_total',
    help: 'Frames received from each camera since the daemon started.',
    labelNames: ['device'],
    registers: [registry],
    collect() {
      this.reset();
      for (const camera of cameras.values()) this.inc({ device: camera.name }, camera.counters.frames);
    },
  });
  new Counter({
    name: 'kiosk_camera_frames_discarded_total',
    help: 'Corrupt or oversized frames thrown away, per camera.',
    labelNames: ['device'],
    registers: [registry],
    collect() {
      this.reset();
      for (const camera of cameras.values()) this.inc({ device: camera.name }, camera.counters.discarded);
    },
  });
  new Gauge({
    name: 'kiosk_camera_viewers',
    help: 'Camera preview streams open.',
    registers: [registry],
    collect() {
      this.set(sources.viewers());
    },
  });
  new Gauge({
    name: 'kiosk_face_service_state',
    help: 'Face service as a state set (disabled: switched off in config).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const current = face?.state.kind ?? 'disabled';
      for (const state of FACE_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  if (!face) return;
  const checks = new Counter({
    name: 'kiosk_face_checks_total',
    help: 'Face checks by outcome (verified, notVerified, or the error), and the liveness failure if any.',
    labelNames: ['outcome', 'liveness_failure'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'kiosk_face_check_duration_seconds',
    help: 'Time a face check took, positioning and challenges included.',
    buckets: [1, 2, 3, 5, 8, 12, 20, 30, 60],
    registers: [registry],
  });
  face.onCheck((record) => {
    checks.inc({ outcome: record.outcome, liveness_failure: record.livenessFailure ?? '' });
    duration.observe(record.ms / 1000);
  });
}
