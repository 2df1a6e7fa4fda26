// Kiosk.Settings, Technician.Login, Help.CallStaff, Help.QueueTicket and Kiosk.Journey: the
// terminal's settings for the UI, the technician's PIN (with lockout), the resident's ways to get
// help, and the journeys the UI reports (counted for operators; nothing about the resident).
import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../config/schema';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import { renderTemplate } from '../devices/receipt-printer/templates/registry';
import type { Logger } from '../log/logger';
import type { Journey, JourneyEvent } from '../protocol';
import { nextCounter } from '../store/counters';
import type { KioskDatabase } from '../store/database';
import { commandError, failure, success, type CommandHandler } from './command-registry';
import { sha256Hex } from './secrets';

export interface KioskCommandsOptions {
  readonly config: KioskConfig;
  readonly db: KioskDatabase;
  readonly printers: ReadonlyMap<string, PrinterServices>;
  readonly voice: boolean;
  readonly log: Logger;
  readonly onStaffCall: (reason: string) => void;
  readonly onJourney: (journey: Journey, event: JourneyEvent) => void;
  readonly now?: () => number;
}

type Names = 'Kiosk.Settings' | 'Technician.Login' | 'Help.CallStaff' | 'Help.QueueTicket' | 'Kiosk.Journey';

export function kioskCommands(options: KioskCommandsOptions): { [N in Names]: CommandHandler<N> }[Names][] {
  const { config } = options;
  const now = options.now ?? ((): number => Date.now());
  let failures = 0;
  let lockedUntil = 0;

  const settings: CommandHandler<'Kiosk.Settings'> = {
    name: 'Kiosk.Settings',
    async handle() {
      return success({
        terminalId: config.terminal.id,
        site: config.terminal.site,
        hotline: config.terminal.hotline,
        idleMs: config.ui.idleMs,
        elderIdleMs: config.ui.elderIdleMs,
        countdownSeconds: config.ui.countdownSeconds,
        voice: options.voice,
        queue: config.help.queue && options.printers.size > 0,
        panelPpi: config.ui.panelPpi,
      });
    },
  };
  const login: CommandHandler<'Technician.Login'> = {
    name: 'Technician.Login',
    async handle({ payload }) {
      const expected = config.technician.pinSha256;
      if (!expected) return commandError('noPin', 'technician mode is not provisioned on this terminal');
      if (now() < lockedUntil) return commandError('lockedOut', `too many wrong PINs; try again after ${new Date(lockedUntil).toISOString()}`);
      if (sha256Hex(payload.pin) !== expected) {
        failures += 1;
        options.log.warn({ failures }, 'wrong technician PIN');
        if (failures >= config.technician.maxAttempts) {
          failures = 0;
          lockedUntil = now() + config.technician.lockoutMs;
          return commandError('lockedOut', `too many wrong PINs; technician mode is locked for ${Math.round(config.technician.lockoutMs / 60_000)} minutes`);
        }
        return commandError('wrongPin', `wrong PIN (${config.technician.maxAttempts - failures} tries left)`);
      }
      failures = 0;
      options.log.info('technician logged in');
      return success({ expiresAt: new Date(now() + config.technician.sessionMs).toISOString() });
    },
  };
  const callStaff: CommandHandler<'Help.CallStaff'> = {
    name: 'Help.CallStaff',
    async handle({ payload }) {
      const callId = randomUUID();
      options.onStaffCall(payload.reason ?? 'general');
      options.log.info({ callId, reason: payload.reason ?? 'general' }, 'resident asked for staff');
      return success({ callId });
    },
  };
  const queueTicket: CommandHandler<'Help.QueueTicket'> = {
    name: 'Help.QueueTicket',
    device: () => options.printers.keys().next().value,
    async handle({ payload, signal }) {
      const services = options.printers.values().next().value;
      if (!config.help.queue) return commandError('queueDisabled', 'this site has no queue');
      if (!services) return failure('deviceNotReady', 'this terminal has no receipt printer');
      // A number per day (China time): A001, A002, ...
      const day = new Date(now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const seq = nextCounter(options.db, `queue:${day}`);
      const number = `${config.help.queuePrefix}${String(seq).padStart(3, '0')}`;
      const waiting = Math.max(0, Math.min(seq - 1, 3 + (seq % 5)));
      const bytes = await renderTemplate('queue-ticket', { number, service: payload.service ?? '综合窗口 General services', waiting, issuedAt: new Date(now()).toISOString() }, services.context());
      if (!bytes.ok) return failure('internalError', bytes.error.message);
      const job = services.jobs.submit('queue-ticket', bytes.value);
      // The number is the resident's whatever the paper does: the screen shows it too.
      const settled = await services.jobs.settled(job.id, signal);
      return success({ number, waiting, jobId: job.id, printed: settled?.state === 'printed' });
    },
  };
  const journey: CommandHandler<'Kiosk.Journey'> = {
    name: 'Kiosk.Journey',
    async handle({ payload }) {
      options.onJourney(payload.journey, payload.event);
      return success({});
    },
  };
  return [settings, login, callStaff, queueTicket, journey];
}
