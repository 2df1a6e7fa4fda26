// The embedded sandboxes `npm start` runs when the configuration names no platform or gateway: the
// same HTTP servers the tests use, on loopback ports of their own, keeping their state in the data
// directory so that restarts of the daemon keep the sandbox ledger.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { KioskConfig } from '../config/schema';
import { err, ok, type Result } from '../core/result';
import { GatewaySandbox, utilityAccountsFileSchema } from './payments/sandbox/gateway-sandbox';
import { loadSandboxCatalogue, PlatformSandbox } from './platform/sandbox/platform-sandbox';

export interface EmbeddedSandboxes {
  readonly platform: PlatformSandbox | undefined;
  readonly gateway: GatewaySandbox | undefined;
  readonly platformUrl: string;
  readonly gatewayUrl: string;
  close(): Promise<void>;
}

export async function startEmbeddedSandboxes(config: KioskConfig, projectRoot: string, dataDir: string): Promise<Result<EmbeddedSandboxes, string>> {
  const { platform: p, payments: g, sandbox } = config.backends;
  const resolvePath = (path: string): string => (isAbsolute(path) ? path : join(projectRoot, path));
  let platform: PlatformSandbox | undefined;
  let gateway: GatewaySandbox | undefined;
  let platformUrl = p.url ?? '';
  let gatewayUrl = g.url ?? '';
  if (!p.url) {
    const catalogue = await loadSandboxCatalogue(resolvePath(sandbox.catalogue));
    if (!catalogue.ok) return catalogue;
    platform = new PlatformSandbox({ catalogue: catalogue.value, apps: { [p.appId]: p.secret }, dataFile: join(dataDir, 'sandbox-platform.sqlite'), identityPhotos: Object.fromEntries(Object.entries(sandbox.identityPhotos).map(([id, path]) => [id, resolvePath(path)])) });
    const started = await platform.start();
    if (!started.ok) return err(`platform sandbox: ${started.error}`);
    platformUrl = started.value;
  }
  if (!g.url) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(resolvePath(sandbox.accounts), 'utf8'));
    } catch (cause) {
      await platform?.close();
      return err(`utility accounts ${sandbox.accounts} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const accounts = utilityAccountsFileSchema.safeParse(parsed);
    if (!accounts.success) {
      await platform?.close();
      return err(`utility accounts ${sandbox.accounts} do not fit their schema`);
    }
    gateway = new GatewaySandbox({ merchants: { [g.merchantId]: g.secret }, accounts: accounts.data, dataFile: join(dataDir, 'sandbox-gateway.sqlite'), nativeDefault: { kind: 'success', afterMs: sandbox.nativePayAfterMs, notifyDelayMs: 0 } });
    const started = await gateway.start();
    if (!started.ok) {
      await platform?.close();
      return err(`gateway sandbox: ${started.error}`);
    }
    gatewayUrl = started.value;
  }
  return ok({
    platform,
    gateway,
    platformUrl,
    gatewayUrl,
    async close() {
      await platform?.close();
      await gateway?.close();
    },
  });
}
