// sd_notify(3) for the daemon under systemd (Type=notify): READY=1 once the devices are enumerated,
// WATCHDOG=1 from the health loop, STATUS= one line, STOPPING=1. Without $NOTIFY_SOCKET (not run by
// systemd, or in tests) every call is a no-op. The datagram is sent from this process through libc
// (unix-datagram.ts), so the unit keeps NotifyAccess=main.
import { OK_VOID, type Result } from '../core/result';

/** Sends one datagram to a unix socket path ("@name" for the abstract namespace). */
export type DatagramSend = (socketPath: string, message: Buffer) => Result<void, string>;

export interface SystemdNotifier {
  /** $NOTIFY_SOCKET is set: systemd listens. */
  readonly enabled: boolean;
  /** systemd expects WATCHDOG=1 at least this often (WatchdogSec=) for this process; else undefined. */
  readonly watchdogMs: number | undefined;
  ready(status: string): Result<void, string>;
  watchdog(): Result<void, string>;
  status(status: string): Result<void, string>;
  stopping(): Result<void, string>;
}

/** STATUS= is one line: newlines would start new assignments. */
export function statusLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').slice(0, 200);
}

/** WATCHDOG_USEC applies to the process named by WATCHDOG_PID, when that is given. */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = env.WATCHDOG_USEC;
  if (!usec || !/^\d{1,15}$/.test(usec) || Number(usec) === 0) return undefined;
  if (env.WATCHDOG_PID && env.WATCHDOG_PID !== String(pid)) return undefined;
  return Math.max(1, Math.floor(Number(usec) / 1000));
}

export function systemdNotifier(env: NodeJS.ProcessEnv, send: DatagramSend, pid: number = process.pid): SystemdNotifier {
  const socket = env.NOTIFY_SOCKET;
  const enabled = socket !== undefined && socket !== '';
  const notify = (fields: readonly string[]): Result<void, string> => (enabled ? send(socket, Buffer.from(fields.join('\n'), 'utf8')) : OK_VOID);
  return {
    enabled,
    watchdogMs: enabled ? watchdogInterval(env, pid) : undefined,
    ready: (status) => notify(['READY=1', `STATUS=${statusLine(status)}`]),
    watchdog: () => notify(['WATCHDOG=1']),
    status: (status) => notify([`STATUS=${statusLine(status)}`]),
    stopping: () => notify(['STOPPING=1', 'STATUS=stopping']),
  };
}
