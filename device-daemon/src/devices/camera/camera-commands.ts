// Camera.TakePicture: a still from a camera (the document camera, by default). The picture stays
// in the daemon's memory; the completion gives a one-time URL for the UI to show it.
import sharp from 'sharp';
import { commandError, failure, success, type CommandHandler } from '../../server/command-registry';
import type { Camera } from './camera';
import type { PictureStore } from './picture-store';

export function cameraCommands(cameras: ReadonlyMap<string, Camera>, pictures: PictureStore): [CommandHandler<'Camera.TakePicture'>] {
  const pick = (name: string | undefined): Camera | undefined => (name === undefined ? [...cameras.values()].find((c) => c.role === 'document') : cameras.get(name));
  return [
    {
      name: 'Camera.TakePicture',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload, signal }) {
        const camera = pick(payload.device);
        if (!camera) return failure('invalidData', payload.device === undefined ? 'this terminal has no document camera' : `there is no camera named ${payload.device}`);
        const picture = await camera.takePicture(signal);
        if (!picture.ok) {
          if (picture.error.code === 'timeout') return failure('timeOut', picture.error.message);
          if (picture.error.code === 'canceled') return failure('canceled', picture.error.message);
          return commandError(picture.error.code, picture.error.message);
        }
        let size: { width: number; height: number };
        try {
          const meta = await sharp(picture.value).metadata();
          size = { width: meta.width ?? 0, height: meta.height ?? 0 };
        } catch {
          picture.value.fill(0);
          return commandError('captureFailed', 'the camera returned a picture that is not a JPEG');
        }
        const id = pictures.put(camera.name, picture.value);
        return success({ pictureId: id, ...size, url: `/camera/${camera.name}/picture/${id}` });
      },
    },
  ];
}
