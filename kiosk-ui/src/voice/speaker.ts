// Speaks prompts through the daemon's /speech (espeak-ng, cached there): one voice at a time, the
// newest prompt replacing the one still playing. Volume goes back to the default with every new
// session; elder mode speaks slower. A page that cannot play audio still works: errors are dropped.
import type { Language } from '../i18n/strings';

export const DEFAULT_VOLUME = 0.8;

export interface SpeakOptions {
  readonly language: Language;
  readonly slow: boolean;
}

export class Speaker {
  #audio: HTMLAudioElement | undefined;
  #volume = DEFAULT_VOLUME;
  #enabled = true;
  #last = '';

  constructor(private readonly token: string) {}

  get volume(): number {
    return this.#volume;
  }

  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    if (!enabled) this.stop();
  }

  setVolume(volume: number): void {
    this.#volume = Math.min(1, Math.max(0.2, volume));
    if (this.#audio) this.#audio.volume = this.#volume;
  }

  /** Per session: the last resident's volume is not the next one's. */
  resetSession(): void {
    this.stop();
    this.#volume = DEFAULT_VOLUME;
    this.#last = '';
  }

  say(text: string, options: SpeakOptions): void {
    if (!this.#enabled || text.trim() === '') return;
    this.stop();
    this.#last = text;
    const query = new URLSearchParams({ lang: options.language, rate: options.slow ? 'slow' : 'normal', text: text.slice(0, 500), token: this.token });
    const audio = new Audio(`/speech?${query.toString()}`);
    audio.volume = this.#volume;
    this.#audio = audio;
    void audio.play().catch(() => undefined);
  }

  /** Says the last prompt again (the "repeat" button). */
  repeat(options: SpeakOptions): void {
    if (this.#last) this.say(this.#last, options);
  }

  stop(): void {
    this.#audio?.pause();
    this.#audio = undefined;
  }
}
