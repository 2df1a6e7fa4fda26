// Photo.Compose, Photo.Print and Photo.Discard over the WebSocket (J2). The UI gets a preview URL,
// the compliance issues to speak, and the print's pickup code; the face itself stays in the daemon.
import { commandError, failure, success, type CommandHandler, type Failure } from '../server/command-registry';
import type { PhotoFailure, PhotoService } from './photo-service';

type Names = 'Photo.Compose' | 'Photo.Print' | 'Photo.Discard';

function photoFailure(f: PhotoFailure): Failure {
  switch (f.code) {
    case 'canceled':
      return failure('canceled', f.message);
    case 'timeout':
      return failure('timeOut', f.message);
    case 'unreadable':
      return failure('hardwareError', f.message);
    default: {
      const details = { ...(f.faces !== undefined ? { faces: f.faces } : {}), ...(f.photoId !== undefined ? { photoId: f.photoId } : {}) };
      const failed = commandError(f.code, f.message);
      return Object.keys(details).length > 0 ? { ...failed, details } : failed;
    }
  }
}

export function photoCommands(service: PhotoService): { [N in Names]: CommandHandler<N> }[Names][] {
  const compose: CommandHandler<'Photo.Compose'> = {
    name: 'Photo.Compose',
    async handle({ payload, signal }) {
      const composed = await service.compose(payload, signal);
      return composed.ok ? success(composed.value) : photoFailure(composed.error);
    },
  };
  const print: CommandHandler<'Photo.Print'> = {
    name: 'Photo.Print',
    device: () => service.documentPrinter()?.name,
    async handle({ payload, signal }) {
      const printed = await service.print(payload.photoId, payload.copies ?? 1, signal);
      return printed.ok ? success(printed.value) : photoFailure(printed.error);
    },
  };
  const discard: CommandHandler<'Photo.Discard'> = {
    name: 'Photo.Discard',
    async handle({ payload }) {
      return success({ discarded: service.discard(payload.photoId) });
    },
  };
  return [compose, print, discard];
}
