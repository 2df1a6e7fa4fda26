// kioskctl: the technician's tool. Subcommands parse their own flags; output goes to stdout, the
// exit code says whether all is well (0), something is wrong on the terminal (3) or the tool
// could not do its job (1); 2 is a usage error.
import { parseArgs } from 'node:util';
import { findProjectRoot } from '../paths';
import { catalogListCommand, reconcileCommand } from './backend-commands';
import { faceCompareCommand, faceEvalCommand } from './face-command';
import { idcardDecodeCommand } from './idcard-command';
import { printCommand } from './print-command';
import { virtualPrinterCommand } from './virtual-printer-command';
import { resolveOpsTarget } from './ops-client';
import { statusCommand } from './status-command';
import { technicianCommand, TECHNICIAN_USAGE } from './technician-cli';

const USAGE = `usage: kioskctl <command> [options]

commands:
  status [--json] [--remote URL] [--token TOKEN]
      One terminal as a fleet operator sees it, from its ops listener (/v1/status and
      /metrics): identity, uptime, version, devices with paper and models, outbox, payments
      by state, journeys, face and photo models, restarts, and what needs attention (exit 3).
      Defaults: http://127.0.0.1:$KIOSK_OPS_PORT (9464); the token from --token,
      $KIOSK_OPS_TOKEN, or $KIOSK_DATA_DIR/ops-token on the terminal itself.
  catalog list [--json] [--remote URL] [--token TOKEN]
      The township's service list as the terminal has it cached (exit 3: stale or never synced).
  payments reconcile --date YYYY-MM-DD [--json] [--remote URL] [--token TOKEN]
      The day's orders against the gateway's statement: long, short and mismatched items
      (exit 3 when there are any).
  idcard decode FILE
      Decodes one raw 30 01 or 30 10 reply frame (binary, or hex text with any whitespace)
      and prints its fields and checks as JSON. Exit 1: not a valid frame; 3: checks failed.
  print TEMPLATE (--sample | --data FILE.json) [--out FILE.png] [--bytes FILE.bin] [--printer tcp://HOST:9100]
      Renders a receipt (payment-receipt, acceptance-slip, queue-ticket, self-test) through the
      encoder: to a PNG from the virtual printer, to raw ESC/POS bytes, or onto a network printer.
  face compare A B [--threshold T]
      Compares the faces in two pictures (JPEG or PNG, any size) with the daemon's models and
      the configured threshold; prints {"faces":[n,n],"score":...,"threshold":...,"match":...}.
      Exit 1: a picture is unreadable or has no face, or more than one.
  face eval DIR [--threshold T]
      Every pair of the pictures listed in DIR/identities.csv (file,identity): ROC AUC, TAR at
      FAR 1% and accuracy at the threshold, as JSON. Exit 3: some pictures had no usable face.
  virtual-printer [--port 9100] [--out-dir DIR]
      Serves a virtual ESC/POS printer on tcp://127.0.0.1:PORT until interrupted, saving every
      receipt it cuts as a PNG (default DIR: ./virtual-printer).
${TECHNICIAN_USAGE}
  help
      This text.`;

export async function runKioskctl(argv: readonly string[], out: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'status': {
      let parsed;
      try {
        parsed = parseArgs({
          args: [...rest],
          options: { json: { type: 'boolean', default: false }, remote: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
          strict: true,
        });
      } catch (error) {
        out(`kioskctl status: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
      }
      const target = resolveOpsTarget({ url: parsed.values.remote ?? parsed.values.url, token: parsed.values.token }, process.env);
      return statusCommand(target, parsed.values.json ?? false, out);
    }
    case 'catalog':
    case 'payments': {
      let parsed;
      try {
        parsed = parseArgs({ args: [...rest], allowPositionals: true, options: { json: { type: 'boolean', default: false }, date: { type: 'string' }, remote: { type: 'string' }, token: { type: 'string' } }, strict: true });
      } catch (error) {
        out(`kioskctl ${command}: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
      }
      const target = resolveOpsTarget({ url: parsed.values.remote, token: parsed.values.token }, process.env);
      const [sub, ...extra] = parsed.positionals;
      if (command === 'catalog' && sub === 'list' && extra.length === 0) return catalogListCommand(target, parsed.values.json ?? false, out);
      if (command === 'payments' && sub === 'reconcile' && extra.length === 0 && parsed.values.date) return reconcileCommand(target, parsed.values.date, parsed.values.json ?? false, out);
      out(`kioskctl: expected "catalog list" or "payments reconcile --date YYYY-MM-DD"\n\n${USAGE}`);
      return 2;
    }
    case 'idcard': {
      const [sub, file, ...extra] = rest;
      if (sub !== 'decode' || file === undefined || extra.length > 0) {
        out(`kioskctl idcard: expected "idcard decode FILE"\n\n${USAGE}`);
        return 2;
      }
      return idcardDecodeCommand(file, out);
    }
    case 'print': {
      let parsed;
      try {
        parsed = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { sample: { type: 'boolean', default: false }, data: { type: 'string' }, out: { type: 'string' }, bytes: { type: 'string' }, printer: { type: 'string' } },
          strict: true,
        });
      } catch (error) {
        out(`kioskctl print: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
      }
      const [template, ...extra] = parsed.positionals;
      if (template === undefined || extra.length > 0) {
        out(`kioskctl print: name one template\n\n${USAGE}`);
        return 2;
      }
      return printCommand(
        { template, sample: parsed.values.sample ?? false, dataFile: parsed.values.data, out: parsed.values.out, bytesFile: parsed.values.bytes, printer: parsed.values.printer, projectRoot: findProjectRoot(import.meta.dirname) },
        out,
      );
    }
    case 'face': {
      let parsed;
      try {
        parsed = parseArgs({ args: [...rest], allowPositionals: true, options: { threshold: { type: 'string' } }, strict: true });
      } catch (error) {
        out(`kioskctl face: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
      }
      const threshold = parsed.values.threshold === undefined ? undefined : Number(parsed.values.threshold);
      if (threshold !== undefined && !(threshold > 0 && threshold < 2)) {
        out('kioskctl face: --threshold takes a distance such as 0.6');
        return 2;
      }
      const context = { projectRoot: findProjectRoot(import.meta.dirname), env: process.env, threshold };
      const [sub, ...args] = parsed.positionals;
      if (sub === 'compare' && args.length === 2) return faceCompareCommand(args[0]!, args[1]!, context, out);
      if (sub === 'eval' && args.length === 1) return faceEvalCommand(args[0]!, context, out);
      out(`kioskctl face: expected "face compare A B" or "face eval DIR"\n\n${USAGE}`);
      return 2;
    }
    case 'virtual-printer': {
      let parsed;
      try {
        parsed = parseArgs({ args: [...rest], options: { port: { type: 'string', default: '9100' }, 'out-dir': { type: 'string', default: 'virtual-printer' } }, strict: true });
      } catch (error) {
        out(`kioskctl virtual-printer: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
      }
      const port = Number(parsed.values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        out('kioskctl virtual-printer: --port takes a port number');
        return 2;
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      return virtualPrinterCommand(port, parsed.values['out-dir'] ?? 'virtual-printer', out, stop.signal);
    }
    case 'devices':
    case 'provision':
    case 'selftest':
    case 'kiosk':
      return technicianCommand(command, rest, out);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      out(`kioskctl: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
