// The ID card reader end to end: the virtual SAM behind the real driver in the real daemon, a card
// placed and taken away through the ops API, IdCard events and reads over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';

let daemon: DaemonProcess;
let client: WsTestClient;

beforeAll(async () => {
  daemon = await startDaemon();
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await client.completion(client.command('Common.Status', {}));
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
});

const since = (n: number) => (name: string, predicate: (p: Record<string, unknown>) => boolean = () => true) =>
  client.waitFor((m) => client.messages.indexOf(m) >= n && m.header.type === 'unsolicited' && m.header.name === name && predicate(m.payload ?? {}), 10_000, name);

describe('ID card reader over the WebSocket', () => {
  it('announces a placed card, reads it masked, and announces its removal bound to the read', async () => {
    const mark = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'place', card: 'resident-zhang' });
    await since(mark)('IdCard.CardInserted');
    const read = await client.completion(client.command('IdCard.Read', {}));
    expect(read.header.completionCode).toBe('success');
    expect(read.payload).toMatchObject({
      card: { type: 'resident', name: '张**', sex: '男', idNumber: '330***********1230', birthYear: '1985', validFrom: '2015-06-01', validTo: '2035-06-01', expired: false },
      photo: { available: true },
      fingerprint: { present: false },
    });
    const readId = String(read.payload.readId);
    const before = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'remove' });
    const removed = await since(before)('IdCard.CardRemoved');
    expect(removed.payload).toEqual({ device: 'idCardReader', readId });
  });

  it('reads every layout and reports an expired card as expired', async () => {
    const results: string[] = [];
    for (const card of ['hmt-chen', 'foreign-2017-smith', 'foreign-2023-garcia', 'resident-li-expired']) {
      const mark = client.messages.length;
      await daemon.simulate('idCardReader', { action: 'place', card });
      await since(mark)('IdCard.CardInserted');
      const read = await client.completion(client.command('IdCard.Read', {}));
      const payload = read.payload as { card: { type: string; name: string; expired: boolean } };
      results.push(`${read.header.completionCode} ${payload.card.type} ${payload.card.name} expired=${payload.card.expired}`);
      const out = client.messages.length;
      await daemon.simulate('idCardReader', { action: 'remove' });
      await since(out)('IdCard.CardRemoved');
    }
    expect(results).toEqual([
      'success hmtPermit 陈** expired=false',
      'success foreignPermanent2017 史** expired=false',
      'success foreignPermanent2023 玛** expired=false',
      'success resident 李* expired=true',
    ]);
  });

  it('answers bad input with clear error codes, keeps running, and reads the next card fine', async () => {
    const none = await client.completion(client.command('IdCard.Read', {}));
    expect([none.header.completionCode, none.payload]).toEqual(['commandErrorCode', { errorCode: 'noCard' }]);

    await daemon.simulate('idCardReader', { action: 'fault', fault: 'garbage', on: true });
    await daemon.simulate('idCardReader', { action: 'place', card: 'resident-zhang' });
    const garbage = await client.completion(client.command('IdCard.Read', {}));
    expect([garbage.header.completionCode, garbage.payload]).toEqual(['hardwareError', { errorCode: 'noResponse' }]);
    await daemon.simulate('idCardReader', { action: 'clearFaults' });

    await daemon.simulate('idCardReader', { action: 'fault', fault: 'unknownCardType', on: true });
    const unknown = await client.completion(client.command('IdCard.Read', {}));
    expect([unknown.header.completionCode, unknown.payload]).toEqual(['commandErrorCode', { errorCode: 'unknownCardType' }]);
    await daemon.simulate('idCardReader', { action: 'clearFaults' });

    await daemon.simulate('idCardReader', { action: 'fault', fault: 'badChecksum', on: true });
    const corrupted = await client.completion(client.command('IdCard.Read', {}));
    expect([corrupted.header.completionCode, corrupted.payload]).toEqual(['hardwareError', { errorCode: 'checksumError' }]);
    await daemon.simulate('idCardReader', { action: 'clearFaults' });

    const status = await client.completion(client.command('Common.Status', { device: 'idCardReader' }));
    expect(status.header.completionCode).toBe('success');
    // A reader will not read a card twice without it leaving the field: the next card is placed anew.
    const out = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'remove' });
    await since(out)('IdCard.CardRemoved');
    const back = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'place', card: 'resident-wang-longterm' });
    await since(back)('IdCard.CardInserted');
    const fine = await client.completion(client.command('IdCard.Read', {}));
    expect(fine.header.completionCode).toBe('success');
    await daemon.simulate('idCardReader', { action: 'remove' });
  });

  it('lets no name or ID number reach the daemon\'s logs', () => {
    const logs = daemon.logs.join('\n');
    expect(logs).toContain('IdCard.Read');
    for (const secret of ['张伟明', '330106198504091230', '陈家豪', '810000199007210070', 'GARCIA', '931724198812050025', '文三路']) expect(logs).not.toContain(secret);
  });
});
