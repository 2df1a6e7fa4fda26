// What the UI fetches besides its files and the WebSocket: the spoken prompts (/speech) and pictures
// made for the screen (/view/<id>). Both want the per-boot token (?token=), like /ws.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Speech, SpeechLanguage, SpeechRate } from '../voice/speech';
import { SECURITY_HEADERS } from './static-files';
import type { ViewStore } from './view-store';

export interface MediaRoutesOptions {
  readonly speech: Speech | undefined;
  readonly views: ViewStore;
  readonly checkToken: (token: string) => boolean;
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${text}\n`);
}

export function mediaRoutes(options: MediaRoutesOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://ui');
    const view = /^\/view\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
    if (url.pathname !== '/speech' && !view) return false;
    if (request.method !== 'GET') {
      plain(response, 405, 'method not allowed');
      return true;
    }
    const token = url.searchParams.get('token');
    if (token === null || !options.checkToken(token)) {
      plain(response, 401, 'unauthorized');
      return true;
    }
    if (view) {
      const held = options.views.get(view[1] ?? '');
      if (!held) plain(response, 404, 'no such picture');
      else response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': held.type, 'content-length': held.bytes.length, 'cache-control': 'no-store' }).end(held.bytes);
      return true;
    }
    const speech = options.speech;
    if (!speech) {
      plain(response, 503, 'the kiosk has no voice configured');
      return true;
    }
    const lang = url.searchParams.get('lang');
    const rate = url.searchParams.get('rate') ?? 'normal';
    const text = url.searchParams.get('text') ?? '';
    if ((lang !== 'zh-CN' && lang !== 'en') || (rate !== 'normal' && rate !== 'slow')) {
      plain(response, 400, 'lang=zh-CN|en, rate=normal|slow');
      return true;
    }
    const language: SpeechLanguage = lang;
    const speed: SpeechRate = rate;
    void speech.speak(text, language, speed).then((wav) => {
      if (!wav.ok) plain(response, wav.error === 'nothing to say' ? 400 : 503, wav.error);
      else response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'audio/wav', 'content-length': wav.value.length, 'cache-control': 'private, max-age=3600' }).end(wav.value);
    });
    return true;
  };
}
