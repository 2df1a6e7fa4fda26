// Scanner.Read: the next code from any configured source (the HID scanners, and the cameras named in
// config.codes), whichever reads one first; the others stop.
import { reasonOf } from '../../core/deadline';
import type { Result } from '../../core/result';
import { SYMBOLOGIES, type ScannerReadCompletion, type Symbology } from '../../protocol';
import { failure, success, type CommandHandler } from '../../server/command-registry';
import type { Camera } from '../camera/camera';
import { readCodeFromCamera } from './camera-code-reader';
import type { HidScanner } from './hid-scanner';

export interface ScannerSources {
  readonly scanners: ReadonlyMap<string, HidScanner>;
  /** Cameras whose frames are searched for codes. */
  readonly cameras: ReadonlyMap<string, Camera>;
  readonly symbologies: readonly Symbology[];
}

/** The first result that is a success; when none is, the first failure once all have settled. */
function firstSuccess<T, E>(results: ReadonlyArray<Promise<Result<T, E>>>): Promise<Result<T, E>> {
  return new Promise((resolve) => {
    let pending = results.length;
    let firstError: Result<T, E> | undefined;
    for (const result of results) {
      void result.then((r) => {
        pending -= 1;
        if (r.ok) resolve(r);
        else firstError ??= r;
        if (pending === 0 && firstError) resolve(firstError);
      });
    }
  });
}

export function scannerCommands(sources: ScannerSources): [CommandHandler<'Scanner.Read'>] {
  return [
    {
      name: 'Scanner.Read',
      device: (payload) => payload.devices?.join(','),
      async handle({ payload, signal }) {
        const names = payload.devices ?? [...sources.scanners.keys(), ...sources.cameras.keys()];
        const unknown = names.filter((n) => !sources.scanners.has(n) && !sources.cameras.has(n));
        if (unknown.length > 0) return failure('invalidData', `not a code source: ${unknown.join(', ')}`);
        if (names.length === 0) return failure('unsupportedCommand', 'this terminal has no scanner and reads codes with no camera');
        const wanted = payload.symbologies ?? sources.symbologies;
        const symbologies = SYMBOLOGIES.filter((s) => wanted.includes(s));
        const race = new AbortController();
        const stop = (): void => race.abort(signal.reason);
        signal.addEventListener('abort', stop, { once: true });
        const reads = names.map(async (name): Promise<Result<ScannerReadCompletion, string>> => {
          const scanner = sources.scanners.get(name);
          if (scanner) {
            for (;;) {
              const scan = await scanner.read(race.signal);
              if (!scan.ok) return scan;
              // A HID scan of unknown symbology is taken: the scanner cannot say what it read.
              if (scan.value.symbology === 'unknown' || symbologies.includes(scan.value.symbology)) return { ok: true, value: { ...scan.value, source: 'hid', device: name } };
            }
          }
          const camera = sources.cameras.get(name);
          if (!camera) return { ok: false, error: `no source ${name}` };
          const code = await readCodeFromCamera(camera, symbologies, race.signal);
          return code.ok ? { ok: true, value: { ...code.value, source: 'camera', device: name } } : code;
        });
        try {
          const first = await firstSuccess(reads);
          if (first.ok) return success(first.value);
          if (signal.aborted) return reasonOf(signal).kind === 'timeout' ? failure('timeOut', 'no code was read in time') : failure('canceled', 'code reading canceled');
          return failure('deviceNotReady', first.error);
        } finally {
          race.abort();
          signal.removeEventListener('abort', stop);
          await Promise.allSettled(reads);
        }
      },
    },
  ];
}
