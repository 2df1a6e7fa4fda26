// The kiosk's voice: espeak-ng (Debian) speaks Mandarin (cmn) and English into WAV, which the UI
// plays. What is spoken is the UI's own prompt text, never a name or an ID number; recent phrases are
// kept in memory so that a prompt spoken often is made once.
import { execFile } from 'node:child_process';
import { err, ok, type Result } from '../core/result';

export type SpeechLanguage = 'zh-CN' | 'en';
export type SpeechRate = 'normal' | 'slow';

export interface SpeechOptions {
  readonly program: string;
  readonly voices: Readonly<Record<SpeechLanguage, string>>;
  /** Words per minute, at the normal and the slow (elder mode) rate. */
  readonly wpm: Readonly<Record<SpeechRate, number>>;
  readonly timeoutMs: number;
  readonly cacheEntries: number;
}

export const MAX_SPOKEN_CHARS = 400;

export class Speech {
  readonly #cache = new Map<string, Buffer>();
  readonly #making = new Map<string, Promise<Result<Buffer, string>>>();
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly options: SpeechOptions) {}

  /** WAV audio of `text`, from the cache or made now (two at a time). */
  async speak(text: string, language: SpeechLanguage, rate: SpeechRate): Promise<Result<Buffer, string>> {
    const clean = text.replace(/[\u0000-\u001f]/g, ' ').trim().slice(0, MAX_SPOKEN_CHARS);
    if (!clean) return err('nothing to say');
    const key = `${language}|${rate}|${clean}`;
    const cached = this.#cache.get(key);
    if (cached) {
      // Most recently used last: the oldest falls out first.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return ok(cached);
    }
    const inProgress = this.#making.get(key);
    if (inProgress) return inProgress;
    const making = this.#make(clean, language, rate).then((result) => {
      this.#making.delete(key);
      if (result.ok) {
        this.#cache.set(key, result.value);
        while (this.#cache.size > this.options.cacheEntries) this.#cache.delete(this.#cache.keys().next().value ?? '');
      }
      return result;
    });
    this.#making.set(key, making);
    return making;
  }

  async #make(text: string, language: SpeechLanguage, rate: SpeechRate): Promise<Result<Buffer, string>> {
    if (this.#running >= 2) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running += 1;
    try {
      return await new Promise((resolve) => {
        execFile(this.options.program, ['-v', this.options.voices[language], '-s', String(this.options.wpm[rate]), '--stdout', '--', text], { encoding: 'buffer', timeout: this.options.timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
          if (error) resolve(err('code' in error && error.code === 'ENOENT' ? `${this.options.program} not found (install espeak-ng)` : `speech failed: ${error.message.slice(0, 120)}`));
          else if (stdout.subarray(0, 4).toString('latin1') !== 'RIFF') resolve(err('speech did not produce WAV audio'));
          else resolve(ok(stdout));
        });
      });
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
