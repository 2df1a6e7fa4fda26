// Logging with pino. Personal data is redacted by key wherever it appears in a log object, as a
// second line of defence: code logs command names, codes and devices, never payloads.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line: names, ID numbers, addresses, images, secrets. */
export const REDACTED_KEYS = [
  'name',
  'fullName',
  'chineseName',
  'englishName',
  'idNumber',
  'passNumber',
  'permitNumber',
  'address',
  'newAddress',
  'birthDate',
  'phone',
  'photo',
  'image',
  'face',
  'faces',
  'embedding',
  'fingerprint',
  'signature',
  'token',
  'authorization',
  'cookie',
  'password',
  'pin',
  'secret',
] as const;

const DEPTHS = ['', '*.', '*.*.', '*.*.*.', '*.*.*.*.'];

export const REDACT_PATHS: string[] = REDACTED_KEYS.flatMap((key) => DEPTHS.map((prefix) => `${prefix}${key}`));

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}

/** A logger that drops everything, for tests and tools that do not log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
