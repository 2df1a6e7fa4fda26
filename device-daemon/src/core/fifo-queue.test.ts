import { describe, expect, it } from 'vitest';
import { AbortReason } from './deadline';
import { FifoQueue } from './fifo-queue';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('FifoQueue', () => {
  it('runs jobs one at a time in arrival order', async () => {
    const queue = new FifoQueue('printer');
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    const signal = new AbortController().signal;
    const results = gates.map((g, i) =>
      queue.run(async () => {
        log.push(`start ${i}`);
        await g.promise;
        log.push(`end ${i}`);
        return i;
      }, signal),
    );
    await Promise.resolve();
    expect(log).toEqual(['start 0']);
    expect(queue.waiting).toBe(2);
    gates[2]?.open();
    gates[1]?.open();
    gates[0]?.open();
    expect(await Promise.all(results)).toEqual([0, 1, 2].map((value) => ({ ok: true, value })));
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(queue.progress.completed).toBe(3);
  });

  it('drops a job cancelled while it waits, without running it', async () => {
    const queue = new FifoQueue('printer');
    const first = gate();
    let secondRan = false;
    const running = queue.run(() => first.promise, new AbortController().signal);
    const c = new AbortController();
    const waiting = queue.run(async () => {
      secondRan = true;
    }, c.signal);
    c.abort(new AbortReason('canceled', 'cancelled by the UI'));
    const result = await waiting;
    expect(result.ok ? 'ran' : result.error.kind).toBe('canceled');
    expect(queue.waiting).toBe(0);
    first.open();
    await running;
    expect(secondRan).toBe(false);
  });

  it('tells a running job through its signal and waits for it to settle', async () => {
    const queue = new FifoQueue('printer');
    const c = new AbortController();
    const order: string[] = [];
    const running = queue.run(
      (signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => {
            order.push('first saw abort');
            resolve('stopped');
          });
        }),
      c.signal,
    );
    const next = queue.run(async () => {
      order.push('second ran');
      return 'second';
    }, new AbortController().signal);
    c.abort(new AbortReason('timeout', 'too slow'));
    expect(await running).toEqual({ ok: true, value: 'stopped' });
    expect(await next).toEqual({ ok: true, value: 'second' });
    expect(order).toEqual(['first saw abort', 'second ran']);
  });

  it('rejects for a job that throws (a bug) and keeps serving the next', async () => {
    const queue = new FifoQueue('printer');
    const signal = new AbortController().signal;
    const broken = queue.run(async () => {
      throw new Error('bug');
    }, signal);
    await expect(broken).rejects.toThrow('bug');
    expect(await queue.run(async () => 'fine', signal)).toEqual({ ok: true, value: 'fine' });
  });

  it('refuses a job whose signal is already aborted', async () => {
    const queue = new FifoQueue('printer');
    const c = new AbortController();
    c.abort(new AbortReason('canceled', 'gone'));
    const result = await queue.run(async () => 'never', c.signal);
    expect(result.ok).toBe(false);
  });
});
