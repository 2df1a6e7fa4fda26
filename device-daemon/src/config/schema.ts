// The configuration schema: config/default.json, merged with the site file named by KIOSK_CONFIG
// and the KIOSK_* environment overrides, must pass this before anything starts.
import { z } from 'zod';
import { simulatedCardSchema } from '../devices/id-card-reader/simulated-card';

const port = z.int().min(0).max(65_535);

/** USB ids as numbers or hex strings ("0x0400", "c35a"). */
const usbId = z.union([
  z.int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'expected a 16-bit hex id such as "0x0400"')
    .transform((s) => Number.parseInt(s.replace(/^0x/, ''), 16)),
]);

const endpointAddress = z.int().min(0).max(0xff);

export const transportSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('memory') }),
  z.strictObject({ kind: z.literal('tcp'), host: z.string().min(1), port: port.min(1) }),
  /** A printer-class device file of the usblp driver, e.g. /dev/usb/lp0. */
  z.strictObject({ kind: z.literal('deviceFile'), path: z.string().regex(/^\/dev\/[A-Za-z0-9/_.-]+$/, 'a device path such as /dev/usb/lp0') }),
  z.strictObject({
    kind: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.int().positive().default(115_200),
  }),
  z.strictObject({
    kind: z.literal('usb'),
    vendorId: usbId,
    productId: usbId,
    serialNumber: z.string().optional(),
    interfaceNumber: z.int().min(0).max(255).optional(),
    inEndpoint: endpointAddress.optional(),
    outEndpoint: endpointAddress.optional(),
  }),
  z.strictObject({
    kind: z.literal('hid'),
    vendorId: usbId,
    productId: usbId,
    path: z.string().optional(),
    reportId: z.int().min(0).max(255).optional(),
  }),
]);
export type TransportConfig = z.infer<typeof transportSchema>;

const backoffSchema = z.strictObject({
  initialMs: z.int().min(10).max(60_000).default(250),
  maxMs: z.int().min(100).max(600_000).default(30_000),
  factor: z.number().min(1).max(10).default(2),
  jitter: z.number().min(0).max(1).default(0.5),
});

const deviceCommon = {
  simulated: z.boolean(),
  transport: transportSchema,
  openTimeoutMs: z.int().min(100).max(60_000).default(5_000),
  reconnect: backoffSchema.prefault({}),
};

export const escposPrinterSchema = z.strictObject({
  driver: z.literal('escpos'),
  ...deviceCommon,
  model: z.string().min(1).max(64).default('ESC/POS 80 mm receipt printer'),
  statusPollMs: z.int().min(100).max(60_000).default(2_000),
  statusTimeoutMs: z.int().min(50).max(30_000).default(1_000),
  jobTimeoutMs: z.int().min(1_000).max(600_000).default(120_000),
  autoStatusBack: z.boolean().default(false),
  /** The longest QR payload the printer's GS ( k takes; longer ones are refused before printing. */
  qrMaxBytes: z.int().min(16).max(7_089).default(512),
  jobs: z
    .strictObject({
      /** Waiting for a job's confirmation while the printer looks fine. */
      confirmTimeoutMs: z.int().min(1_000).max(600_000).default(60_000),
      /** After a fault clears, time for the printer to finish the job from its buffer. */
      graceMs: z.int().min(500).max(120_000).default(10_000),
      maxAttempts: z.int().min(1).max(10).default(3),
    })
    .prefault({}),
});

const decoderOutput = z.enum(['bmp', 'bgr', 'rgb']);

export const photoDecoderSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('simulated') }),
  z.strictObject({
    kind: z.literal('library'),
    path: z.string().min(1),
    functionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).default('unpack'),
    code: z.int().default(602),
    output: decoderOutput.default('bgr'),
    successValue: z.int().default(1),
  }),
  z.strictObject({
    kind: z.literal('command'),
    path: z.string().min(1),
    args: z.array(z.string().max(256)).max(16).default([]),
    output: decoderOutput.default('bmp'),
  }),
]);

const endpointAddressIn = z.int().min(0x81).max(0x8f);
const endpointAddressOut = z.int().min(0x01).max(0x0f);

export const samReaderSchema = z.strictObject({
  driver: z.literal('sam'),
  ...deviceCommon,
  model: z.string().min(1).max(64).default('GA 467 SAM ID card reader'),
  /** How often to look for a card; the SAM modules want 300 ms or more between polls. */
  pollIntervalMs: z.int().min(300).max(10_000).default(500),
  fingerprint: z.boolean().default(false),
  photoDecoder: photoDecoderSchema.default({ kind: 'none' }),
  photoTimeoutMs: z.int().min(100).max(30_000).default(3_000),
  /** USB readers that split frames across endpoint pairs (iDR200 family: 02/06 out, 81/85 in). */
  usbEndpoints: z
    .strictObject({
      headerOut: endpointAddressOut.default(0x02),
      bodyOut: endpointAddressOut.default(0x06),
      headerIn: endpointAddressIn.default(0x81),
      bodyIn: endpointAddressIn.default(0x85),
    })
    .prefault({}),
  /** HID readers: an ES module exporting createFraming(), since their report format is not public. */
  hidFraming: z.string().min(1).optional(),
  simulator: z
    .strictObject({
      cards: z.array(simulatedCardSchema).max(64).default([]),
      /** A card on the reader at start. */
      initialCard: z.string().optional(),
    })
    .prefault({}),
});

export const deviceSchema = z
  .discriminatedUnion('driver', [escposPrinterSchema, samReaderSchema])
  .refine((d) => d.simulated || d.transport.kind !== 'memory', {
    message: 'the memory transport connects simulators only: set simulated to true or choose a real transport',
    path: ['transport'],
  })
  .refine((d) => d.driver !== 'sam' || d.photoDecoder.kind !== 'simulated' || d.simulated, {
    message: 'the simulated photo decoder works with the simulated reader only',
    path: ['photoDecoder'],
  })
  .refine((d) => d.driver !== 'sam' || d.transport.kind !== 'hid' || d.hidFraming !== undefined, {
    message: "HID readers use a vendor report format that is not public: name a framing module in hidFraming",
    path: ['hidFraming'],
  });
export type DeviceConfig = z.infer<typeof deviceSchema>;

const loopbackHost = z.enum(['127.0.0.1', '::1', 'localhost'], {
  error: 'the UI API listens on loopback only: use 127.0.0.1, ::1 or localhost',
});

export const configSchema = z.strictObject({
  terminal: z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore'),
    site: z.string().min(1).max(128),
    region: z.string().regex(/^\d{6}(\d{3})?$/, 'a 6-digit county or 9-digit township code'),
    /** Printed at the foot of every slip. */
    hotline: z.string().regex(/^[0-9-]{3,20}$/).default('12345'),
  }),
  ui: z.strictObject({
    host: loopbackHost.default('127.0.0.1'),
    port: port.default(8080),
    /** Extra origins allowed to open /ws (a Vite dev server); the UI's own origin is always allowed. */
    allowedOrigins: z.array(z.url()).max(16).default([]),
    staticDir: z.string().optional(),
    authTimeoutMs: z.int().min(100).max(60_000).default(5_000),
    maxInFlight: z.int().min(1).max(1_024).default(64),
  }),
  ops: z.strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(9464),
    /** Bearer token for /metrics and /v1/status; KIOSK_OPS_TOKEN overrides it. */
    token: z.string().min(16).max(256).optional(),
    /** The token's sha256 (hex), as provisioning stores it. */
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  }),
  data: z.strictObject({ dir: z.string().min(1) }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }),
  commands: z.strictObject({
    /** Bound on a command that names no timeout of its own. */
    defaultTimeoutMs: z.int().min(100).max(3_600_000).default(60_000),
  }),
  devices: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, 'device names are camelCase letters and digits'), deviceSchema),
});

export type KioskConfig = z.infer<typeof configSchema>;
