import { describe, expect, it } from 'vitest';
import { parsePrinterState, parseRequestId, run } from './cups-commands';

describe('CUPS command output', () => {
  it('reads the request id lp prints', () => {
    expect(parseRequestId('request id is A4-42 (1 file(s))\n')).toBe('A4-42');
    expect(parseRequestId('lp: error')).toBeUndefined();
  });

  it('reads the queue state lpstat prints, with the reason a stopped queue gives', () => {
    expect(parsePrinterState('printer A4 is idle.  enabled since Sun 22 Nov 2026\n', 'A4')).toEqual({ state: 'idle', reason: '' });
    expect(parsePrinterState('printer A4 now printing A4-7.  enabled since Sun 22 Nov 2026\n', 'A4')).toEqual({ state: 'printing', reason: '' });
    expect(parsePrinterState('printer A4 disabled since Sun 22 Nov 2026 -\n\tMedia empty or out of paper\n', 'A4')).toEqual({ state: 'stopped', reason: 'Media empty or out of paper' });
    expect(parsePrinterState('printer Other is idle.\n', 'A4')).toBeUndefined();
  });

  it('says when the program is missing, and gives the first line of its complaint', async () => {
    const signal = new AbortController().signal;
    expect(await run(['kiosk-no-such-lp-program'], [], signal, 1_000)).toMatchObject({ ok: false, error: { kind: 'notFound' } });
    expect(await run([process.execPath], ['-e', 'process.stderr.write("lp: Destination \\"A4\\" is not accepting jobs.\\nmore\\n"); process.exit(1)'], signal, 5_000)).toEqual({ ok: false, error: { kind: 'failed', message: 'lp: Destination "A4" is not accepting jobs.' } });
  });
});
