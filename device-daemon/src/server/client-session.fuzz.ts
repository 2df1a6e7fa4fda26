// Fuzz target of the WebSocket message path: the text frames a UI client sends, through the same
// ClientSession the server runs (size limit, JSON, the XFS4IoT envelope, authentication, Common.Cancel
// and every command's payload schema), over a socket double instead of a network. Every message gets
// exactly one acknowledge, every accepted command exactly one completion, every reply is a well-formed
// daemon message, and nothing throws or is reported as a bug.
import WebSocket from 'ws';
import { setBugReporter } from '../core/listeners';
import { silentLogger } from '../log/logger';
import { commands, daemonMessageSchema, isCommandName, MAX_MESSAGE_BYTES, type CommandName } from '../protocol';
import { expectThat, int, mutateBytes, mutateJson, mutateJsonText, pick, randomJson, type FuzzTarget, type Random } from '../testing/fuzz-harness';
import { ClientSession, type SessionObserver } from './client-session';
import { commandError, CommandRegistry, type CommandHandler } from './command-registry';

const TOKEN = 'fuzz-token-0123456789';

interface RecordingSocket {
  readonly socket: WebSocket;
  readonly sent: string[];
  closedWith: number | undefined;
}

/** A server-side socket, open with nothing buffered, that records what the session sends; no network. */
function recordingSocket(): RecordingSocket {
  // ws makes its server-side sockets as new WebSocket(null, undefined, options); its types only
  // declare the one-argument form, which the implementation cannot run.
  const socket: WebSocket = Reflect.construct(WebSocket, [null, undefined, {}]);
  const record: RecordingSocket = { socket, sent: [], closedWith: undefined };
  const own = (key: string, value: unknown): void => void Object.defineProperty(socket, key, { value });
  own('readyState', WebSocket.OPEN);
  own('bufferedAmount', 0);
  own('send', (data: unknown) => void record.sent.push(String(data)));
  own('close', (code?: number) => {
    record.closedWith = code ?? 1000;
  });
  own('terminate', () => {
    record.closedWith = 1006;
  });
  return record;
}

// Every command answers a command error after a microtask: what matters here is the parsing before it.
function stub<N extends CommandName>(name: N): CommandHandler<N> {
  return { name, handle: () => Promise.resolve(commandError('fuzz', 'stub handler')) };
}

// Every command of the catalogue but the two the session answers itself (the compiler checks the list).
const STUBS: { [N in Exclude<CommandName, 'Common.Cancel' | 'Kiosk.Authenticate'>]: CommandHandler<N> } = {
  'Kiosk.Settings': stub('Kiosk.Settings'),
  'Kiosk.Health': stub('Kiosk.Health'),
  'Technician.Login': stub('Technician.Login'),
  'Technician.Logout': stub('Technician.Logout'),
  'Technician.SelfTest': stub('Technician.SelfTest'),
  'Technician.Counters': stub('Technician.Counters'),
  'Help.CallStaff': stub('Help.CallStaff'),
  'Help.QueueTicket': stub('Help.QueueTicket'),
  'Kiosk.Journey': stub('Kiosk.Journey'),
  'Common.Status': stub('Common.Status'),
  'Common.Capabilities': stub('Common.Capabilities'),
  'Printer.Reset': stub('Printer.Reset'),
  'Printer.PrintRaw': stub('Printer.PrintRaw'),
  'Printer.PrintForm': stub('Printer.PrintForm'),
  'Printer.GetJob': stub('Printer.GetJob'),
  'IdCard.Read': stub('IdCard.Read'),
  'Camera.TakePicture': stub('Camera.TakePicture'),
  'Scanner.Read': stub('Scanner.Read'),
  'Face.Verify': stub('Face.Verify'),
  'Platform.Catalogue': stub('Platform.Catalogue'),
  'Platform.Guide': stub('Platform.Guide'),
  'Platform.Submit': stub('Platform.Submit'),
  'Platform.SubmissionStatus': stub('Platform.SubmissionStatus'),
  'Platform.Progress': stub('Platform.Progress'),
  'Platform.Certificates': stub('Platform.Certificates'),
  'Platform.CertificatePreview': stub('Platform.CertificatePreview'),
  'Platform.PrintCertificate': stub('Platform.PrintCertificate'),
  'Platform.Rate': stub('Platform.Rate'),
  'Payment.LookupBill': stub('Payment.LookupBill'),
  'Payment.Create': stub('Payment.Create'),
  'Payment.Query': stub('Payment.Query'),
  'Payment.Cancel': stub('Payment.Cancel'),
  'Photo.Compose': stub('Photo.Compose'),
  'Photo.Print': stub('Photo.Print'),
  'Photo.Discard': stub('Photo.Discard'),
};
const registry = new CommandRegistry();
for (const handler of Object.values(STUBS)) registry.register(handler);
const NAMES = Object.keys(commands).filter(isCommandName);

const PAYLOADS: readonly (readonly [string, Record<string, unknown>])[] = [
  ['Kiosk.Authenticate', { token: TOKEN }],
  ['Common.Status', { device: 'receiptPrinter' }],
  ['Common.Cancel', { requestIds: [1, 2] }],
  ['Common.Cancel', {}],
  ['Camera.TakePicture', { device: 'fixtureCamera' }],
  ['Face.Verify', { reference: { kind: 'card', readId: 'r-1' } }],
  ['Kiosk.Journey', { journey: 'J4', event: 'started' }],
  ['Payment.Create', { utility: 'water', account: '33010603', amount: 12_840, method: 'micropay', code: '134567890123450002' }],
  ['Payment.LookupBill', { barcode: 'W33010603202610' }],
  ['Platform.Rate', { transactionId: 'HZXH0042-20261122-000001', level: 1, reasons: ['waitTooLong'] }],
  ['Platform.Submit', { readId: 'r-1', itemCode: '330000-SB-0006', form: { phone: '13900139000' } }],
  ['Printer.PrintForm', { form: 'receipt', fields: { title: 'x' } }],
  ...NAMES.map((name): readonly [string, Record<string, unknown>] => [name, {}]),
];

export interface SessionInput {
  readonly preAuthenticated: boolean;
  readonly frames: readonly { readonly data: Buffer | Buffer[] | ArrayBuffer; readonly binary: boolean }[];
}

function message(random: Random, requestId: number): unknown {
  const [name, payload] = pick(random, PAYLOADS);
  const header: Record<string, unknown> = { name, requestId, type: 'command' };
  if (random() < 0.3) header.timeout = pick(random, [0, 1000, 86_400_000]);
  const valid = { header, payload };
  return random() < 0.3 ? valid : mutateJson(random, valid);
}

function frame(random: Random, requestId: number): Buffer {
  const r = random();
  if (r < 0.05) return Buffer.from(JSON.stringify(randomJson(random, 4)) ?? 'undefined');
  const text = JSON.stringify(message(random, requestId)) ?? '';
  if (r < 0.15) return Buffer.from(mutateJsonText(random, text));
  if (r < 0.2) return Buffer.from(mutateBytes(random, Buffer.from(text)));
  return Buffer.from(text);
}

function generate(random: Random): SessionInput {
  const preAuthenticated = random() < 0.7;
  const count = 1 + int(random, 4);
  const frames: SessionInput['frames'][number][] = [];
  if (!preAuthenticated && random() < 0.7) frames.push({ data: Buffer.from(JSON.stringify({ header: { name: 'Kiosk.Authenticate', requestId: 1, type: 'command' }, payload: { token: TOKEN } })), binary: false });
  for (let i = 0; i < count; i += 1) {
    // Small request ids, so that repeats and Common.Cancel targets occur.
    const bytes = frame(random, 1 + int(random, 6));
    const form = random();
    const data = form < 0.05 ? [bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)] : form < 0.1 ? Uint8Array.from(bytes).buffer : bytes;
    frames.push({ data, binary: random() < 0.03 });
  }
  if (random() < 0.002) frames.push({ data: Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), binary: false });
  return { preAuthenticated, frames };
}

const bugs: string[] = [];
const observer: SessionObserver = { onCompletion: () => undefined, onRefusal: () => undefined, onReady: () => undefined, onClosed: () => undefined };
const log = silentLogger();

function headerOf(text: string): { type: string; requestId: unknown; status: unknown } {
  const parsed = daemonMessageSchema.safeParse(JSON.parse(text));
  expectThat(parsed.success, `the daemon sent a malformed message: ${text.slice(0, 200)}`);
  const header = parsed.data.header;
  return { type: header.type, requestId: 'requestId' in header ? header.requestId : undefined, status: 'status' in header ? header.status : undefined };
}

async function check(input: SessionInput): Promise<void> {
  bugs.length = 0;
  const socket = recordingSocket();
  const session = new ClientSession({
    connectionId: 1,
    socket: socket.socket,
    registry,
    preAuthenticated: input.preAuthenticated,
    checkToken: (token) => token === TOKEN,
    authTimeoutMs: 60_000,
    maxInFlight: 3,
    defaultTimeoutMs: 60_000,
    log,
    observer,
  });
  let delivered = 0;
  for (const f of input.frames) {
    if (socket.closedWith !== undefined) break;
    socket.socket.emit('message', f.data, f.binary);
    delivered += 1;
  }
  // Stub handlers settle after a few microtasks; a macrotask later every completion is out.
  await new Promise((resolve) => setImmediate(resolve));
  const headers = socket.sent.map(headerOf);
  const acks = headers.filter((h) => h.type === 'acknowledge');
  const completions = headers.filter((h) => h.type === 'completion');
  if (socket.closedWith === undefined) {
    expectThat(acks.length === delivered, `${acks.length} acknowledges for ${delivered} messages`);
    for (const ack of acks.filter((a) => a.status === undefined)) {
      expectThat(completions.filter((c) => c.requestId === ack.requestId).length === 1, `accepted command ${String(ack.requestId)} got no completion or more than one`);
    }
  } else {
    expectThat(!input.preAuthenticated && socket.closedWith === 4401, `socket closed with ${socket.closedWith}`);
  }
  expectThat(completions.length <= acks.filter((a) => a.status === undefined).length, 'more completions than accepted commands');
  expectThat(bugs.length === 0, `reported as a bug: ${bugs[0]}`);
  socket.socket.emit('close');
  expectThat(session.inFlight === 0, `${session.inFlight} commands still in flight`);
}

export const clientSessionTarget: FuzzTarget<SessionInput> = {
  name: 'ws-message',
  setup() {
    setBugReporter((error, where) => bugs.push(`${where}: ${error instanceof Error ? error.message : String(error)}`));
  },
  teardown() {
    setBugReporter((error, where) => console.error(`bug in ${where}:`, error));
  },
  generate,
  check,
  show: (input) =>
    JSON.stringify({
      preAuthenticated: input.preAuthenticated,
      frames: input.frames.map((f) => ({ binary: f.binary, base64: (Array.isArray(f.data) ? Buffer.concat(f.data) : Buffer.from(f.data instanceof ArrayBuffer ? new Uint8Array(f.data) : f.data)).toString('base64') })),
    }),
};
