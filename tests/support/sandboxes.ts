// The platform and gateway sandboxes in the test process, so a test can script the gateway, stop
// the platform, and read both ledgers while the daemon (a child process) uses them over HTTP.
import { startSandboxes } from '../../device-daemon/src/testing/backends-harness';
import { GATEWAY_SECRET, PLATFORM_SECRET } from '../../device-daemon/src/testing/backends-harness';
import { TEST_SITE } from './daemon-process';

export type Sandboxes = Awaited<ReturnType<typeof startSandboxes>>;

export { startSandboxes };

/** A card whose holder the tests act for (synthetic). */
export const HOLDER_CARD = {
  id: 'holder',
  type: 'resident',
  name: '林志远',
  sexCode: '1',
  nationCode: '01',
  birth: '19850409',
  address: '浙江省杭州市西湖区文三路示例小区1幢101室',
  idNumber: '330106198504091230',
  authority: '杭州市公安局西湖分局',
  validFrom: '20150601',
  validTo: '20350601',
};

export interface SiteOptions {
  /** Cameras, face check and the scanner left out: a daemon that starts and restarts fast. */
  readonly lean?: boolean;
  readonly payments?: Record<string, unknown>;
  readonly platform?: Record<string, unknown>;
  readonly extra?: Record<string, unknown>;
}

export function siteFor(sandboxes: Sandboxes, options: SiteOptions = {}): Record<string, unknown> {
  const lean = options.lean ?? false;
  return {
    ...TEST_SITE,
    terminal: { id: 'HZ-XH-0042', site: '西湖区转塘街道便民服务中心', region: '330106001' },
    devices: {
      ...TEST_SITE.devices,
      idCardReader: { ...TEST_SITE.devices.idCardReader, simulator: { cards: [HOLDER_CARD] } },
      ...(lean ? { faceCamera: null, scanner: null, documentCamera: { preview: { width: 320, height: 240, fps: 5 }, still: { width: 320, height: 240 }, frameTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } } } : {}),
    },
    ...(lean ? { face: { enabled: false } } : {}),
    backends: {
      platform: { url: sandboxes.platform.url, appId: 'kiosk-test', secret: PLATFORM_SECRET, timeoutMs: 2_000, confirmWaitMs: 2_000, requireFaceCheck: false, ...options.platform },
      payments: { url: sandboxes.gateway.url, merchantId: 'merchant-test', secret: GATEWAY_SECRET, timeoutMs: 1_500, pollIntervalMs: 200, micropayTimeoutMs: 4_000, nativeExpiryMs: 6_000, ...options.payments },
    },
    outbox: { retry: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 }, timeoutMs: 3_000 },
    ...options.extra,
  };
}
