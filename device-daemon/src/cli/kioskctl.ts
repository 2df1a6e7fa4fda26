// kioskctl: the technician's tool. Subcommands parse their own flags; output goes to stdout, the
// exit code says whether all is well (0), something is wrong on the terminal (3) or the tool
// could not do its job (1); 2 is a usage error.
import { parseArgs } from 'node:util';
import { idcardDecodeCommand } from './idcard-command';
import { resolveOpsTarget } from './ops-client';
import { statusCommand } from './status-command';

const USAGE = `usage: kioskctl <command> [options]

commands:
  status [--json] [--remote URL] [--token TOKEN]
      The terminal's devices and readiness, from its ops listener (/v1/status).
      Defaults: http://127.0.0.1:$KIOSK_OPS_PORT (9464); the token from --token,
      $KIOSK_OPS_TOKEN, or $KIOSK_DATA_DIR/ops-token on the terminal itself.
  idcard decode FILE
      Decodes one raw 30 01 or 30 10 reply frame (binary, or hex text with any whitespace)
      and prints its fields and checks as JSON. Exit 1: not a valid frame; 3: checks failed.
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
    case 'idcard': {
      const [sub, file, ...extra] = rest;
      if (sub !== 'decode' || file === undefined || extra.length > 0) {
        out(`kioskctl idcard: expected "idcard decode FILE"\n\n${USAGE}`);
        return 2;
      }
      return idcardDecodeCommand(file, out);
    }
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
