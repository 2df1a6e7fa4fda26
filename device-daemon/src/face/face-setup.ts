// From the face section of the config to the service's settings, and the optional passive layer.
import type { FaceConfig } from '../config/schema';
import type { Camera } from '../devices/camera/camera';
import type { Logger } from '../log/logger';
import type { FaceService } from './face-service';
import type { VerificationOptions } from './face-verification';
import { IrPassiveCheck, OnnxPassiveCheck } from './passive-check';

export function verificationOptions(face: FaceConfig): Omit<VerificationOptions, 'passive'> {
  return {
    threshold: face.threshold,
    challenges: face.challenges,
    goodFrames: face.goodFrames,
    positioningTimeoutMs: face.positioningTimeoutMs,
    finalFrameMs: 2_000,
    maxDescriptors: 5,
    quality: face.quality,
    liveness: face.liveness,
  };
}

/**
 * Loads the configured passive check once the models are in. A passive layer that was asked for
 * but cannot work makes the face service unavailable: it must not silently run without it.
 */
export async function setUpPassiveCheck(service: FaceService, passive: FaceConfig['passive'], cameras: ReadonlyMap<string, Camera>, log: Logger): Promise<void> {
  if (passive.kind === 'none' || service.state.kind !== 'ready') return;
  if (passive.kind === 'onnx') {
    const check = await OnnxPassiveCheck.load(passive);
    if (!check.ok) return service.disable(check.error);
    service.setPassiveCheck(check.value);
    log.info({ kind: 'onnx' }, 'passive anti-spoof check on');
    return;
  }
  const camera = cameras.get(passive.camera);
  const analyzer = service.analyzer;
  if (!camera || !analyzer) return service.disable(`the IR camera ${passive.camera} is not configured`);
  const source = {
    latestJpeg: () => {
      const frame = camera.latest();
      return frame ? { jpeg: frame.jpeg, release: () => frame.release() } : undefined;
    },
  };
  service.setPassiveCheck(new IrPassiveCheck(source, analyzer, passive));
  log.info({ kind: 'ir', camera: passive.camera }, 'passive IR check on');
}
