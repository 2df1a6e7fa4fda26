// Technician.SelfTest, Technician.Counters and Technician.Logout: for a technician logged in with
// Technician.Login on the same connection (authorisationRequired otherwise).
import type { PrintJobStore } from '../devices/receipt-printer/print-job-store';
import { commandError, failure, success, type CommandHandler, type Failure } from '../server/command-registry';
import type { TechnicianAuth } from '../server/technician-auth';
import type { SelfTestService } from './selftest-service';

export interface TechnicianCommandsOptions {
  readonly auth: TechnicianAuth;
  readonly selfTests: SelfTestService;
  readonly jobs: PrintJobStore;
  readonly printers: readonly string[];
}

const notLoggedIn = (): Failure => ({ completionCode: 'authorisationRequired', errorCode: 'technicianRequired', errorDescription: 'log in with the technician PIN on this connection first' });

export function technicianCommands(options: TechnicianCommandsOptions): [CommandHandler<'Technician.SelfTest'>, CommandHandler<'Technician.Counters'>, CommandHandler<'Technician.Logout'>] {
  const { auth } = options;
  const selfTest: CommandHandler<'Technician.SelfTest'> = {
    name: 'Technician.SelfTest',
    device: (payload) => payload.device,
    async handle({ payload, signal, connectionId }) {
      if (!auth.isLoggedIn(connectionId)) return notLoggedIn();
      const ran = await options.selfTests.run(payload, signal);
      if (!ran.ok) return commandError('unknownDevice', ran.error);
      if (signal.aborted) return failure('canceled', `self-test stopped after ${ran.value.length} result(s)`);
      return success({ results: ran.value });
    },
  };
  const counters: CommandHandler<'Technician.Counters'> = {
    name: 'Technician.Counters',
    async handle({ connectionId }) {
      if (!auth.isLoggedIn(connectionId)) return notLoggedIn();
      return success({
        printers: options.printers.map((device) => {
          const counts = options.jobs.counts(device);
          const open = (counts.queued ?? 0) + (counts.printing ?? 0) + (counts.pending ?? 0);
          // No driver here reads a printer's own maintenance counter (Epson's GS g 2 is model-specific).
          return { device, printed: counts.printed ?? 0, pending: open, failed: counts.failed ?? 0, printerCounter: null };
        }),
      });
    },
  };
  const logout: CommandHandler<'Technician.Logout'> = {
    name: 'Technician.Logout',
    async handle({ connectionId }) {
      auth.logout(connectionId);
      return success({});
    },
  };
  return [selfTest, counters, logout];
}
