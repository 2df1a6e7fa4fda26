// The configuration schema: config/default.json, merged with the site file named by KIOSK_CONFIG
// and the KIOSK_* environment overrides, must pass this before anything starts.
import { z } from 'zod';
import { simulatedCardSchema } from '../devices/id-card-reader/simulated-card';
import { pinScryptSchema } from './pin-scrypt';

export { pinScryptSchema, type PinScrypt } from './pin-scrypt';

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

const frameSize = { width: z.int().min(16).max(8192), height: z.int().min(16).max(8192) };

/** A UVC camera through ffmpeg: the face camera, or the document camera (高拍仪). */
export const uvcCameraSchema = z.strictObject({
  driver: z.literal('uvc'),
  simulated: z.boolean(),
  role: z.enum(['face', 'document']),
  /** The V4L2 device; /dev/v4l/by-id/... names survive replugging. */
  device: z.string().regex(/^\/dev\/[A-Za-z0-9/_.:-]+$/, 'a V4L2 device such as /dev/video0').optional(),
  model: z.string().min(1).max(64).default('UVC camera'),
  preview: z.strictObject({ ...frameSize, fps: z.number().min(1).max(60) }).prefault({ width: 640, height: 480, fps: 15 }),
  /** A still larger than the preview pauses the preview while the camera is opened at this size. */
  still: z.strictObject(frameSize).optional(),
  settleFrames: z.int().min(0).max(30).default(5),
  frameTimeoutMs: z.int().min(200).max(60_000).default(3_000),
  openTimeoutMs: z.int().min(100).max(60_000).default(5_000),
  captureTimeoutMs: z.int().min(500).max(60_000).default(10_000),
  reconnect: backoffSchema.prefault({}),
  simulator: z
    .strictObject({
      source: z
        .discriminatedUnion('kind', [
          /** A scripted scene (a person, gestures, code cards), driven through the ops API. */
          z.strictObject({ kind: z.literal('scene') }),
          /** A fixture video or still picture, looped. */
          z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
        ])
        .default({ kind: 'scene' }),
    })
    .prefault({}),
});

/** A USB HID barcode scanner in keyboard mode. */
export const hidScannerSchema = z.strictObject({
  driver: z.literal('hidKeyboard'),
  ...deviceCommon,
  model: z.string().min(1).max(64).default('USB HID barcode scanner'),
});

/** The A4 printer: a CUPS queue, driven with lp and lpstat. */
export const cupsPrinterSchema = z.strictObject({
  driver: z.literal('cups'),
  simulated: z.boolean(),
  queue: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a CUPS queue name'),
  model: z.string().min(1).max(64).default('A4 printer (CUPS)'),
  statusPollMs: z.int().min(50).max(600_000).default(5_000),
  commandTimeoutMs: z.int().min(500).max(120_000).default(15_000),
  lp: z.string().min(1).default('lp'),
  lpstat: z.string().min(1).default('lpstat'),
});

export const deviceSchema = z
  .discriminatedUnion('driver', [escposPrinterSchema, samReaderSchema, uvcCameraSchema, hidScannerSchema, cupsPrinterSchema])
  .refine((d) => d.driver !== 'uvc' || d.simulated || d.device !== undefined, {
    message: 'a real camera needs its V4L2 device, e.g. /dev/video0',
    path: ['device'],
  })
  .refine((d) => d.driver === 'uvc' || d.driver === 'cups' || d.simulated || d.transport.kind !== 'memory', {
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
  })
  .refine((d) => d.driver !== 'hidKeyboard' || d.transport.kind === 'hid' || d.transport.kind === 'memory', {
    message: 'a keyboard-mode scanner is a HID device: use the hid transport',
    path: ['transport'],
  });
export type DeviceConfig = z.infer<typeof deviceSchema>;

const loopbackHost = z.enum(['127.0.0.1', '::1', 'localhost'], {
  error: 'the UI API listens on loopback only: use 127.0.0.1, ::1 or localhost',
});

const unit = z.number().min(0).max(1);

export const passiveCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** An operator-supplied anti-spoof model, pinned by its sha256. */
  z.strictObject({
    kind: z.literal('onnx'),
    path: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inputSize: z.int().min(16).max(1024),
    scale: z.number().default(1 / 255),
    offset: z.number().default(0),
    cropScale: z.number().min(0.5).max(4).default(1.5),
    liveIndex: z.int().min(0).max(1024).default(0),
    threshold: unit.default(0.5),
  }),
  /** A binocular module's IR camera: a face on a screen or on paper shows none in infrared. */
  z.strictObject({
    kind: z.literal('ir'),
    camera: z.string().min(1),
    scale: z.number().positive().default(1),
    dx: z.number().default(0),
    dy: z.number().default(0),
    tolerance: z.number().positive().max(2).default(0.3),
  }),
]);

export const faceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Where models/manifest.json and the converted models are; the project's models/ when absent. */
  modelsDir: z.string().min(1).optional(),
  threads: z.int().min(1).max(8).default(2),
  /** dlib descriptor distance at or under which two faces are one person (dlib's own: 0.6). */
  threshold: z.number().min(0.2).max(1.2).default(0.6),
  /** The face camera; the first camera with the face role when absent. */
  camera: z.string().optional(),
  challenges: z.int().min(1).max(3).default(2),
  goodFrames: z.int().min(1).max(30).default(3),
  positioningTimeoutMs: z.int().min(1_000).max(120_000).default(20_000),
  liveness: z
    .strictObject({
      turnDegrees: z.number().min(10).max(80).default(25),
      frontalDegrees: z.number().min(3).max(30).default(15),
      closedRatio: unit.default(0.6),
      openRatio: unit.default(0.85),
      minReactionMs: z.int().min(0).max(2_000).default(200),
      challengeTimeoutMs: z.int().min(1_000).max(60_000).default(8_000),
      maxGapMs: z.int().min(100).max(5_000).default(700),
      maxJump: z.number().min(0.1).max(2).default(0.5),
      maxScaleChange: z.number().min(1.05).max(3).default(1.4),
      swapDistance: z.number().min(0.1).max(1.2).default(0.45),
    })
    .prefault({}),
  quality: z
    .strictObject({
      minEyeDistance: unit.default(0.08),
      maxEyeDistance: unit.default(0.4),
      maxOffCentre: unit.default(0.2),
      maxYaw: z.number().min(5).max(90).default(20),
      maxPitch: z.number().min(5).max(90).default(20),
      minEyeOpen: unit.default(0.17),
      minBrightness: z.number().min(0).max(255).default(50),
      maxBrightness: z.number().min(0).max(255).default(215),
      minSharpness: z.number().min(0).default(40),
      otherFaceRatio: unit.default(0.5),
    })
    .prefault({}),
  passive: passiveCheckSchema.default({ kind: 'none' }),
});
export type FaceConfig = z.infer<typeof faceSchema>;

const secret = z.string().min(16, 'at least 16 characters').max(256);

export const backendsSchema = z.strictObject({
  platform: z
    .strictObject({
      /** The platform's base URL; absent: the daemon starts the platform sandbox on loopback. */
      url: z.url().optional(),
      appId: z.string().min(1).max(64).default('kiosk-dev'),
      secret: secret.default('platform-sandbox-secret-for-development'),
      timeoutMs: z.int().min(200).max(120_000).default(10_000),
      syncIntervalMs: z.int().min(1_000).max(86_400_000).default(3_600_000),
      /** How long Platform.Submit waits for the platform's confirmation before answering "queued". */
      confirmWaitMs: z.int().min(0).max(30_000).default(3_000),
      /** Certificates and applications need the card holder to have passed a face check. */
      requireFaceCheck: z.boolean().default(true),
    })
    .prefault({}),
  payments: z
    .strictObject({
      url: z.url().optional(),
      merchantId: z.string().min(1).max(64).default('merchant-dev'),
      secret: secret.default('gateway-sandbox-secret-for-development'),
      timeoutMs: z.int().min(200).max(120_000).default(10_000),
      /** Between queries of an open order; production: 3 s (plus up to 1 s of jitter). */
      pollIntervalMs: z.int().min(50).max(60_000).default(3_000),
      micropayTimeoutMs: z.int().min(500).max(300_000).default(30_000),
      nativeExpiryMs: z.int().min(500).max(7_200_000).default(120_000),
      maxAmountFen: z.int().min(100).max(100_000_000).default(5_000_000),
      accounts: z
        .strictObject({
          water: z.string().default('^\\d{8}$'),
          electricity: z.string().default('^\\d{10}$'),
          gas: z.string().default('^\\d{9}$'),
          heating: z.string().default('^\\d{12}$'),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The embedded sandboxes, used when a backend has no url. */
  sandbox: z
    .strictObject({
      catalogue: z.string().default('config/catalogue.json'),
      accounts: z.string().default('config/utility-accounts.json'),
      /** A native order is paid this long after it is shown, as if a resident scanned it (0: never). */
      nativePayAfterMs: z.int().min(0).max(600_000).default(8_000),
      identityPhotos: z.record(z.string().regex(/^[0-9X]{18}$/), z.string()).default({}),
    })
    .prefault({}),
});

export const outboxSchema = z.strictObject({
  /** AES-256 key (32 bytes, base64) sealing personal data in the outbox; provisioning sets it. */
  key: z.base64().refine((k) => Buffer.from(k, 'base64').length === 32, 'the outbox key must be 32 bytes in base64').default('ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItdGVybWluYWw='),
  retry: backoffSchema.prefault({ initialMs: 1_000, maxMs: 300_000, factor: 2, jitter: 0.5 }),
  timeoutMs: z.int().min(200).max(300_000).default(20_000),
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
    /** Inactivity before the UI warns (VVSG and WCAG: warn, give at least 20 s to continue). */
    idleMs: z.int().min(10_000).max(600_000).default(60_000),
    elderIdleMs: z.int().min(10_000).max(900_000).default(120_000),
    countdownSeconds: z.int().min(20).max(120).default(30),
    /** The panel's pixels per inch: 1080p at 21.5 inches is 102.5. Touch targets are sized in mm from it. */
    panelPpi: z.number().min(40).max(400).default(102.5),
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
  media: z.strictObject({ ffmpeg: z.string().min(1).default('ffmpeg') }).prefault({}),
  face: faceSchema.prefault({}),
  backends: backendsSchema.prefault({}),
  voice: z
    .strictObject({
      enabled: z.boolean().default(true),
      program: z.string().min(1).default('espeak-ng'),
      voices: z.strictObject({ zhCN: z.string().default('cmn'), en: z.string().default('en') }).prefault({}),
      normalWpm: z.int().min(80).max(300).default(165),
      slowWpm: z.int().min(60).max(250).default(115),
    })
    .prefault({}),
  technician: z
    .strictObject({
      /** sha256 (hex) of the technician PIN: the development default only; provisioning writes pinScrypt. */
      pinSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      /** The PIN under scrypt (RFC 7914), as `kioskctl provision` stores it; preferred over pinSha256. Neither: technician mode stays shut. */
      pinScrypt: pinScryptSchema.optional(),
      maxAttempts: z.int().min(1).max(20).default(5),
      lockoutMs: z.int().min(10_000).max(86_400_000).default(300_000),
      sessionMs: z.int().min(30_000).max(3_600_000).default(900_000),
      /** How long an interactive self-test waits for the technician's card, face or code. */
      selfTestWaitMs: z.int().min(1_000).max(600_000).default(60_000),
      /** How long the external self-test waits for the test slip to print. */
      selfTestPrintMs: z.int().min(1_000).max(600_000).default(60_000),
    })
    .prefault({}),
  help: z
    .strictObject({
      /** The site hands out queue tickets (排队取号) from the kiosk. */
      queue: z.boolean().default(true),
      queuePrefix: z.string().regex(/^[A-Z]{1,2}$/).default('A'),
    })
    .prefault({}),
  outbox: outboxSchema.prefault({}),
  /** The health loop behind systemd's watchdog (Type=notify, WatchdogSec=). */
  watchdog: z
    .strictObject({
      intervalMs: z.int().min(50).max(60_000).default(5_000),
      /** A device queue on one job for longer than this stops the watchdog pings (longer than any job's own timeout). */
      queueStuckMs: z.int().min(1_000).max(3_600_000).default(300_000),
    })
    .prefault({}),
  codes: z
    .strictObject({
      /** Cameras whose frames Scanner.Read searches for codes, besides the HID scanners. */
      cameras: z.array(z.string()).max(4).default([]),
      symbologies: z.array(z.enum(['qr', 'code128', 'ean13', 'ean8'])).min(1).default(['qr', 'code128', 'ean13', 'ean8']),
    })
    .prefault({}),
});

export type KioskConfig = z.infer<typeof configSchema>;
