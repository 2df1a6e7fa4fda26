// The daemon process: configuration, logging, start, and orderly stop on SIGTERM/SIGINT. A bad
// configuration stops start-up with the key at fault; an unexpected throw is a bug: it is logged
// and the process exits so that its supervisor (systemd) restarts it from durable state.
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config';
import { setBugReporter } from '../core/listeners';
import { createLogger } from '../log/logger';
import { readBuildInfo } from '../build-info';
import { startKiosk } from '../kiosk';
import { findProjectRoot } from '../paths';
import { DAEMON_ENV, missingDaemonEnv } from './node-flags';

const EXIT_CONFIG = 78;

async function run(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const projectRoot = findProjectRoot(here);
  const loaded = loadConfig({
    defaultPath: join(projectRoot, 'config', 'default.json'),
    overridePath: process.env.KIOSK_CONFIG,
    env: process.env,
  });
  if (!loaded.ok) {
    process.stderr.write(`kiosk daemon: ${loaded.error}\n`);
    process.exit(EXIT_CONFIG);
  }
  const config = loaded.value;
  const log = createLogger({ level: config.log.level });
  setBugReporter((error, where) => log.error({ err: error, where }, 'bug: unexpected exception'));
  // libvips keeps up to 50 MB of finished operations by default; the daemon never repeats one (each
  // still and preview is new), so the cache only holds memory.
  sharp.cache(false);
  const missing = missingDaemonEnv(process.env);
  if (missing.length > 0) log.warn({ missing, expected: DAEMON_ENV }, 'started without the daemon environment: resident memory will read about 90 MB higher (see entry/node-flags.ts)');
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'bug: uncaught exception; exiting');
    process.exit(70);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'bug: unhandled rejection; exiting');
    process.exit(70);
  });

  const started = await startKiosk({ config, log, projectRoot, build: readBuildInfo(join(here, 'build-info.json')) });
  if (!started.ok) {
    log.fatal({ reason: started.error }, 'kiosk daemon could not start');
    process.exit(1);
  }
  const kiosk = started.value;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const forced = setTimeout(() => {
      log.error({}, 'stop took longer than 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    forced.unref();
    void kiosk.stop().then(() => {
      log.info({}, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void run();
