import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reasonOf } from '../core/deadline';
import { silentLogger } from '../log/logger';
import { MAX_MESSAGE_BYTES } from '../protocol';
import { WsTestClient } from '../testing/ws-test-client';
import type { CompletionRecord, RefusalRecord } from './client-session';
import { CommandRegistry, success } from './command-registry';
import { startUiServer, type UiServer } from './ui-server';

const TOKEN = 'per-boot-token-for-tests-0123456789';

interface Harness {
  server: UiServer;
  url: string;
  completions: CompletionRecord[];
  refusals: RefusalRecord[];
  /** Printer.Reset here is a test command: it waits for release() or its signal. */
  release: () => void;
  aborts: string[];
}

let harness: Harness;
const clients: WsTestClient[] = [];

async function connect(query = `?token=${TOKEN}`, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<WsTestClient> {
  const client = await WsTestClient.connect(`${harness.url}/ws${query}`, options);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  const completions: CompletionRecord[] = [];
  const refusals: RefusalRecord[] = [];
  const aborts: string[] = [];
  let gate: { promise: Promise<void>; open: () => void } = { promise: Promise.resolve(), open: () => undefined };
  const newGate = (): void => {
    let open = (): void => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    gate = { promise, open };
  };
  newGate();
  const registry = new CommandRegistry();
  registry.register({ name: 'Common.Status', handle: async () => success({ devices: {} }) });
  registry.register({
    name: 'Printer.Reset',
    device: () => 'receiptPrinter',
    handle: ({ signal, emitEvent }) =>
      new Promise((resolve) => {
        emitEvent('Printer.MediaPresentedEvent', { position: 'exit' });
        signal.addEventListener('abort', () => {
          aborts.push(reasonOf(signal).kind);
          resolve(success({}));
        });
        void gate.promise.then(() => resolve(success({})));
      }),
  });
  registry.register({
    name: 'Printer.PrintRaw',
    handle: async () => {
      throw new Error('a bug in a handler');
    },
  });
  const started = await startUiServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: undefined,
    token: TOKEN,
    allowedOrigins: ['http://127.0.0.1:5173'],
    registry,
    authTimeoutMs: 300,
    maxInFlight: 4,
    defaultTimeoutMs: 30_000,
    log: silentLogger(),
    observer: { onCompletion: (r) => completions.push(r), onRefusal: (r) => refusals.push(r) },
  });
  if (!started.ok) throw new Error(started.error);
  harness = {
    server: started.value,
    url: `ws://127.0.0.1:${started.value.port}`,
    completions,
    refusals,
    aborts,
    release: () => {
      gate.open();
      newGate();
    },
  };
});

afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.malformed).toEqual([]);
    client.close();
  }
  await harness.server.close();
});

describe('authentication', () => {
  it('accepts the token on the upgrade and answers with acknowledge then one completion', async () => {
    const client = await connect();
    const id = client.command('Common.Status');
    const completion = await client.completion(id);
    expect(completion.header.completionCode).toBe('success');
    expect(completion.payload).toEqual({ devices: {} });
    expect(client.about(id).map((m) => m.header.type)).toEqual(['acknowledge', 'completion']);
    expect(client.about(id)[0]?.header).toEqual({ name: 'Common.Status', requestId: id, type: 'acknowledge' });
  });

  it('accepts the token as the first message', async () => {
    const client = await connect('');
    const auth = await client.authenticate(TOKEN);
    expect(auth.header.type === 'completion' && auth.header.completionCode).toBe('success');
    const id = client.command('Common.Status');
    expect((await client.completion(id)).header.completionCode).toBe('success');
  });

  it('closes with 4401 on a wrong token, a first message that is not the token, or silence', async () => {
    const wrongQuery = await connect('?token=nope');
    expect((await wrongQuery.closed).code).toBe(4401);
    const wrongFirst = await connect('');
    wrongFirst.command('Kiosk.Authenticate', { token: 'nope' });
    expect((await wrongFirst.closed).code).toBe(4401);
    const notAuth = await connect('');
    notAuth.command('Common.Status');
    expect((await notAuth.closed).code).toBe(4401);
    const silent = await connect('');
    expect((await silent.closed).code).toBe(4401);
    expect(harness.refusals.filter((r) => r.reason === 'unauthorized')).toHaveLength(4);
    expect(notAuth.messages).toEqual([]);
  });

  it('refuses a foreign Origin or Host at the upgrade, and accepts its own and the configured ones', async () => {
    const port = harness.server.port;
    await expect(connect(`?token=${TOKEN}`, { origin: 'http://evil.example' })).rejects.toThrow('upgrade refused: 403');
    await expect(connect(`?token=${TOKEN}`, { origin: `http://127.0.0.1:${port + 1}` })).rejects.toThrow('upgrade refused: 403');
    await expect(connect(`?token=${TOKEN}`, { headers: { host: `rebind.example:${port}` } })).rejects.toThrow('upgrade refused: 403');
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://127.0.0.1:5173']) {
      const client = await connect(`?token=${TOKEN}`, { origin });
      expect((await client.completion(client.command('Common.Status'))).header.completionCode).toBe('success');
    }
  });
});

describe('envelope rules and bad input', () => {
  it('refuses malformed messages with an acknowledge status and keeps the connection', async () => {
    const client = await connect();
    client.sendRaw('{"header": ');
    const malformed = await client.acknowledge(null);
    expect(malformed.header).toMatchObject({ name: 'Common.Acknowledge', type: 'acknowledge', status: 'invalidMessage', errorDescription: 'malformed JSON' });

    client.sendRaw(JSON.stringify({ header: { name: 'Common.Status', requestId: 50, type: 'command', status: 'x' }, payload: {} }));
    expect((await client.acknowledge(50)).header).toMatchObject({ status: 'invalidMessage' });

    client.sendRaw(JSON.stringify({ header: { name: 'not a name', requestId: 51, type: 'command' } }));
    expect((await client.acknowledge(51)).header).toMatchObject({ status: 'invalidMessage' });

    client.sendRaw(Buffer.from([1, 2, 3]));
    await client.waitFor((m) => m.header.type === 'acknowledge' && 'errorDescription' in m.header && m.header.errorDescription === 'binary messages are not part of the protocol');

    client.sendRaw(JSON.stringify({ header: { name: 'Common.Status', requestId: 52, type: 'command' }, payload: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    const oversized = await client.waitFor((m) => m.header.type === 'acknowledge' && 'errorDescription' in m.header && /exceeds the 1048576-byte limit/.test(m.header.errorDescription ?? ''));
    expect(oversized.header).toMatchObject({ status: 'invalidMessage' });

    const unknown = client.command('Printer.Teleport', {});
    expect(client.about(unknown)).toEqual([]);
    const unknownCompletion = await client.completion(unknown);
    expect(unknownCompletion.header.completionCode).toBe('unsupportedCommand');
    expect(client.about(unknown).map((m) => m.header.type)).toEqual(['acknowledge', 'completion']);

    const badPayload = client.command('Common.Status', { device: 'Not-A-Name', extra: 1 });
    const invalid = await client.completion(badPayload);
    expect(invalid.header.completionCode).toBe('invalidData');
    expect(invalid.header.errorDescription).toMatch(/device/);

    const first = client.command('Common.Status', {}, { requestId: 900 });
    await client.completion(first);
    client.command('Common.Status', {}, { requestId: 900 });
    await client.waitFor((m) => m.header.type === 'acknowledge' && m.header.requestId === 900 && 'status' in m.header && m.header.status === 'invalidRequestID');
    expect(client.about(900).map((m) => m.header.type)).toEqual(['acknowledge', 'completion', 'acknowledge']);

    expect(client.isOpen).toBe(true);
    expect((await client.completion(client.command('Common.Status'))).header.completionCode).toBe('success');
    expect(harness.refusals.map((r) => r.reason)).toEqual(['invalidMessage', 'invalidMessage', 'invalidMessage', 'invalidMessage', 'invalidMessage', 'unsupportedCommand', 'invalidData', 'invalidRequestID']);
  });

  it('sends solicited events to the requester before the one completion', async () => {
    const client = await connect();
    const other = await connect();
    const id = client.command('Printer.Reset');
    await client.waitFor((m) => m.header.type === 'event' && m.header.requestId === id);
    harness.release();
    await client.completion(id);
    expect(client.about(id).map((m) => `${m.header.type} ${m.header.name}`)).toEqual([
      'acknowledge Printer.Reset',
      'event Printer.MediaPresentedEvent',
      'completion Printer.Reset',
    ]);
    await other.completion(other.command('Common.Status'));
    expect(other.messages.some((m) => m.header.type === 'event')).toBe(false);
  });

  it('turns a handler that throws into internalError and carries on', async () => {
    const client = await connect();
    const id = client.command('Printer.PrintRaw', { data: 'AAA=' });
    expect((await client.completion(id)).header.completionCode).toBe('internalError');
    expect((await client.completion(client.command('Common.Status'))).header.completionCode).toBe('success');
  });

  it('refuses more commands in flight than the limit', async () => {
    const client = await connect();
    const ids = [1, 2, 3, 4].map(() => client.command('Printer.Reset'));
    await Promise.all(ids.map((id) => client.acknowledge(id)));
    const fifth = client.command('Printer.Reset');
    expect((await client.acknowledge(fifth)).header).toMatchObject({ status: 'tooManyRequests' });
    harness.release();
    await Promise.all(ids.map((id) => client.completion(id)));
  });
});

describe('cancel and timeout', () => {
  it('completes Common.Cancel first, then the cancelled command as canceled', async () => {
    const client = await connect();
    const running = client.command('Printer.Reset');
    await client.acknowledge(running);
    const cancel = client.command('Common.Cancel', { requestIds: [running] });
    const cancelled = await client.completion(running);
    expect(cancelled.header.completionCode).toBe('canceled');
    const order = client.messages.filter((m) => m.header.type === 'completion').map((m) => ('requestId' in m.header ? m.header.requestId : 0));
    expect(order).toEqual([cancel, running]);
    expect(harness.aborts).toEqual(['canceled']);
    const none = await client.completion(client.command('Common.Cancel', { requestIds: [running] }));
    expect(none.header.completionCode).toBe('commandErrorCode');
    expect(none.payload).toEqual({ errorCode: 'noMatchingRequestIDs' });
  });

  it('cancels every command of the connection when no ids are given, and no other connection\'s', async () => {
    const client = await connect();
    const other = await connect();
    const mine = [client.command('Printer.Reset'), client.command('Printer.Reset')];
    const theirs = other.command('Printer.Reset');
    await other.acknowledge(theirs);
    await Promise.all(mine.map((id) => client.acknowledge(id)));
    await client.completion(client.command('Common.Cancel', {}));
    for (const id of mine) expect((await client.completion(id)).header.completionCode).toBe('canceled');
    harness.release();
    expect((await other.completion(theirs)).header.completionCode).toBe('success');
  });

  it('times a command out after the header timeout', async () => {
    const client = await connect();
    const id = client.command('Printer.Reset', {}, { timeout: 50 });
    const completion = await client.completion(id);
    expect(completion.header.completionCode).toBe('timeOut');
    expect(completion.header.errorDescription).toBe('Printer.Reset timed out after 50 ms');
    expect(harness.aborts).toEqual(['timeout']);
    expect(client.about(id).filter((m) => m.header.type === 'completion')).toHaveLength(1);
  });

  it('cancels the commands of a client that goes away', async () => {
    const client = await connect();
    const id = client.command('Printer.Reset');
    await client.acknowledge(id);
    client.close();
    await client.closed;
    await new Promise<void>((resolve) => {
      const check = (): void => (harness.aborts.length > 0 ? resolve() : void setImmediate(check));
      check();
    });
    expect(harness.aborts).toEqual(['shutdown']);
    expect(harness.completions.find((c) => c.requestId === id)?.completionCode).toBe('canceled');
  });
});

describe('unsolicited events', () => {
  it('go to every authenticated connection and to no other', async () => {
    const a = await connect();
    const b = await connect();
    const pending = await connect('');
    await a.completion(a.command('Common.Status'));
    await b.completion(b.command('Common.Status'));
    harness.server.broadcast('Common.StatusChangedEvent', { device: 'receiptPrinter', printer: { paper: 'low' } });
    for (const client of [a, b]) {
      const event = await client.unsolicited('Common.StatusChangedEvent');
      expect(event.header).toEqual({ name: 'Common.StatusChangedEvent', type: 'unsolicited' });
      expect(event.payload).toEqual({ device: 'receiptPrinter', printer: { paper: 'low' } });
    }
    await pending.authenticate(TOKEN);
    expect(pending.messages.some((m) => m.header.type === 'unsolicited')).toBe(false);
    expect(harness.server.connections).toBe(3);
  });
});
