// The camera preview as multipart/x-mixed-replace (an <img> shows it as live video) at
// /camera/<device>/stream, and one-time stills at /camera/<device>/picture/<id>. Both want the
// per-boot UI token (?token=), like /ws. A slow viewer gets fewer frames, never a growing backlog.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Camera } from '../devices/camera/camera';
import type { CameraFrame } from '../devices/camera/camera-frame';
import type { PictureStore } from '../devices/camera/picture-store';
import { SECURITY_HEADERS } from './static-files';

const BOUNDARY = 'kioskframe';
const ROUTE = /^\/camera\/([a-z][A-Za-z0-9]{0,31})\/(stream|picture\/([A-Za-z0-9_-]{16,64}))$/;

export interface CameraRoutesOptions {
  readonly cameras: ReadonlyMap<string, Camera>;
  readonly pictures: PictureStore;
  readonly checkToken: (token: string) => boolean;
  /** Viewers at once, across cameras. */
  readonly maxViewers: number;
}

export interface CameraRoutes {
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  readonly viewers: number;
  /** Ends every stream (daemon stopping). */
  close(): void;
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${text}\n`);
}

export function cameraRoutes(options: CameraRoutesOptions): CameraRoutes {
  const streams = new Set<ServerResponse>();

  function stream(camera: Camera, response: ServerResponse): void {
    if (streams.size >= options.maxViewers) return plain(response, 503, 'too many camera viewers');
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
      'cache-control': 'no-store, no-cache, must-revalidate',
      pragma: 'no-cache',
      connection: 'close',
    });
    streams.add(response);
    // The frame being written, held until the socket has taken it.
    let held: CameraFrame | undefined;
    const written = (): void => {
      held?.release();
      held = undefined;
    };
    const send = (frame: CameraFrame): void => {
      // Still writing the last frame: skip this one rather than queue it.
      if (held || response.destroyed) return;
      held = frame.retain();
      response.write(`--${BOUNDARY}\r\ncontent-type: image/jpeg\r\ncontent-length: ${frame.jpeg.length}\r\n\r\n`);
      response.write(frame.jpeg);
      response.write('\r\n', written);
    };
    const latest = camera.latest();
    if (latest) {
      send(latest);
      latest.release();
    }
    const stop = camera.onFrame(send);
    response.on('close', () => {
      stop();
      written();
      streams.delete(response);
    });
  }

  return {
    handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://ui');
      const match = ROUTE.exec(url.pathname);
      if (!match) return false;
      if (request.method !== 'GET') {
        plain(response, 405, 'method not allowed');
        return true;
      }
      const token = url.searchParams.get('token');
      if (token === null || !options.checkToken(token)) {
        plain(response, 401, 'unauthorized');
        return true;
      }
      const camera = options.cameras.get(match[1] ?? '');
      if (!camera) {
        plain(response, 404, 'no such camera');
        return true;
      }
      if (match[2] === 'stream') {
        stream(camera, response);
        return true;
      }
      const picture = options.pictures.view(camera.name, match[3] ?? '');
      if (!picture) {
        plain(response, 404, 'no such picture (each is served once)');
        return true;
      }
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'image/jpeg', 'content-length': picture.length, 'cache-control': 'no-store' });
      response.end(picture, () => picture.fill(0));
      return true;
    },
    get viewers() {
      return streams.size;
    },
    close() {
      for (const response of streams) response.destroy();
      streams.clear();
    },
  };
}
