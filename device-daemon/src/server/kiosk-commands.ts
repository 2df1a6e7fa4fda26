// Kiosk.Settings, Kiosk.Health, Technician.Login, Help.CallStaff, Help.QueueTicket and Kiosk.Journey:
// the terminal's settings and health for the UI, the technician's PIN (with lockout), the resident's ways to get
// help, and the journeys the UI reports (counted for operators; nothing about the resident).
import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../config/schema';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import { renderTemplate } from '../devices/receipt-printer/templates/registry';
import type { Logger } from '../log/logger';
import type { Journey, JourneyEvent, KioskHealth } from '../protocol';
import { nextCounter } from '../store/counters';
import type { KioskDatabase } from '../store/database';
import { commandError, failure, success, type CommandHandler } from './command-registry';
import type { TechnicianAuth } from './technician-auth';

export interface KioskCommandsOptions {
  readonly config: KioskConfig;
  readonly db: KioskDatabase;
  readonly printers: ReadonlyMap<string, PrinterServices>;
  readonly voice: boolean;
  readonly log: Logger;
  readonly onStaffCall: (reason: string) => void;
  readonly technician: TechnicianAuth;
  readonly onJourney: (journey: Journey, event: JourneyEvent) => void;
  /** The terminal's health now (storage, from StorageHealth). */
  readonly health: () => KioskHealth;
  readonly now?: () => number;
}

type Names = 'Kiosk.Settings' | 'Kiosk.Health' | 'Technician.Login' | 'Help.CallStaff' | 'Help.QueueTicket' | 'Kiosk.Journey';

export function kioskCommands(options: KioskCommandsOptions): { [N in Names]: CommandHandler<N> }[Names][] {
  const { config } = options;
  const now = options.now ?? ((): number => Date.now());

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
  const health: CommandHandler<'Kiosk.Health'> = {
    name: 'Kiosk.Health',
    async handle() {
      return success(options.health());
    },
  };
  const login: CommandHandler<'Technician.Login'> = {
    name: 'Technician.Login',
    async handle({ payload, connectionId }) {
      // scrypt (or the development sha256), compared in constant time, with the lockout: technician-auth.ts.
      const result = await options.technician.login(payload.pin, connectionId);
      if (!result.ok) return commandError(result.error.code, result.error.message);
      return success({ expiresAt: new Date(result.value.expiresAt).toISOString() });
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
  return [settings, health, login, callStaff, queueTicket, journey];
}
