import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { err, OK_VOID } from '../core/result';
import { statusLine, systemdNotifier, watchdogInterval } from './systemd-notify';
import { DatagramReceiver, DatagramSender, loadLibc, unixAddress } from './unix-datagram';

function recorder(): { sent: { path: string; text: string }[]; send: (path: string, message: Buffer) => typeof OK_VOID } {
  const sent: { path: string; text: string }[] = [];
  return { sent, send: (path, message) => (sent.push({ path, text: message.toString('utf8') }), OK_VOID) };
}

describe('sd_notify', () => {
  it('is a no-op without $NOTIFY_SOCKET: nothing is sent and there is no watchdog', () => {
    const fake = recorder();
    const notifier = systemdNotifier({ WATCHDOG_USEC: '30000000' }, fake.send, 42);
    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogMs).toBeUndefined();
    expect(notifier.ready('up').ok).toBe(true);
    expect(notifier.watchdog().ok).toBe(true);
    expect(fake.sent).toEqual([]);
  });

  it('sends READY with a one-line STATUS, WATCHDOG and STOPPING to the socket', () => {
    const fake = recorder();
    const notifier = systemdNotifier({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, fake.send, 42);
    expect(notifier.enabled).toBe(true);
    expect(notifier.watchdogMs).toBe(30_000);
    notifier.ready('6/6 devices online\nREADY=0');
    notifier.watchdog();
    notifier.status('paper out');
    notifier.stopping();
    expect(fake.sent).toEqual([
      { path: '/run/systemd/notify', text: 'READY=1\nSTATUS=6/6 devices online READY=0' },
      { path: '/run/systemd/notify', text: 'WATCHDOG=1' },
      { path: '/run/systemd/notify', text: 'STATUS=paper out' },
      { path: '/run/systemd/notify', text: 'STOPPING=1\nSTATUS=stopping' },
    ]);
  });

  it('passes on a failed send as a value', () => {
    const notifier = systemdNotifier({ NOTIFY_SOCKET: '@x' }, () => err('sendto failed'), 1);
    expect(notifier.watchdog()).toEqual({ ok: false, error: 'sendto failed' });
  });

  it('takes WATCHDOG_USEC only for its own process, and ignores nonsense', () => {
    expect(watchdogInterval({ WATCHDOG_USEC: '10000000' }, 5)).toBe(10_000);
    expect(watchdogInterval({ WATCHDOG_USEC: '10000000', WATCHDOG_PID: '6' }, 5)).toBeUndefined();
    expect(watchdogInterval({ WATCHDOG_USEC: '0' }, 5)).toBeUndefined();
    expect(watchdogInterval({ WATCHDOG_USEC: '-1' }, 5)).toBeUndefined();
    expect(statusLine('a\r\nb\x07c'.padEnd(300, 'x'))).toHaveLength(200);
  });

  it('addresses paths and abstract names as sockaddr_un', () => {
    const path = unixAddress('/run/systemd/notify');
    expect(path.ok && path.value.length).toBe(2 + '/run/systemd/notify'.length + 1);
    const abstract = unixAddress('@kiosk');
    expect(abstract.ok && [abstract.value.length, abstract.value.bytes[2]]).toEqual([2 + 1 + 5, 0]);
    expect(unixAddress('relative').ok).toBe(false);
    expect(unixAddress(`/${'x'.repeat(120)}`).ok).toBe(false);
  });
});

describe('sd_notify over a real unix datagram socket (libc through koffi)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('delivers READY, STATUS and WATCHDOG to a bound socket, by path and in the abstract namespace', async () => {
    const libc = await loadLibc();
    if (!libc.ok) throw new Error(libc.error);
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-notify-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const sender = new DatagramSender(libc.value);
    cleanup.push(() => sender.close());
    for (const address of [join(dir, 'notify.sock'), `@kiosk-notify-test-${process.pid}`]) {
      const receiver = DatagramReceiver.bind(libc.value, address);
      if (!receiver.ok) throw new Error(receiver.error);
      cleanup.push(() => receiver.value.close());
      const notifier = systemdNotifier({ NOTIFY_SOCKET: address, WATCHDOG_USEC: '2000000' }, (path, message) => sender.send(path, message));
      expect(notifier.ready('all devices enumerated').ok).toBe(true);
      expect(notifier.watchdog().ok).toBe(true);
      // A unix datagram is in the receiver's queue when sendto returns.
      expect(receiver.value.poll()).toBe('READY=1\nSTATUS=all devices enumerated');
      expect(receiver.value.poll()).toBe('WATCHDOG=1');
      expect(receiver.value.poll()).toBeUndefined();
    }
  });

  it('reports a socket nobody listens on', async () => {
    const libc = await loadLibc();
    if (!libc.ok) throw new Error(libc.error);
    const sender = new DatagramSender(libc.value);
    cleanup.push(() => sender.close());
    const sent = sender.send(join(tmpdir(), `kiosk-nobody-${process.pid}.sock`), Buffer.from('READY=1'));
    expect(sent.ok).toBe(false);
  });

  it('a receiver waiting on its worker thread gets the datagram, and closing wakes it', async () => {
    const libc = await loadLibc();
    if (!libc.ok) throw new Error(libc.error);
    const address = `@kiosk-notify-wait-${process.pid}`;
    const receiver = DatagramReceiver.bind(libc.value, address);
    if (!receiver.ok) throw new Error(receiver.error);
    const sender = new DatagramSender(libc.value);
    cleanup.push(() => sender.close());
    const first = receiver.value.next();
    sender.send(address, Buffer.from('WATCHDOG=1'));
    expect(await first).toBe('WATCHDOG=1');
    const second = receiver.value.next();
    await receiver.value.close();
    expect(await second).toBeUndefined();
  });
});
