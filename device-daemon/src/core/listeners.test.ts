import { describe, expect, it } from 'vitest';
import { Listeners, listenerCounts, setBugReporter } from './listeners';

describe('Listeners', () => {
  it('delivers to every listener even when one throws, and unsubscribes', () => {
    const bus = new Listeners<number>('listeners test delivery');
    const seen: number[] = [];
    const bugs: string[] = [];
    setBugReporter((_error, where) => bugs.push(where));
    bus.subscribe(() => {
      throw new Error('a faulty subscriber');
    });
    const off = bus.subscribe((n) => seen.push(n));
    bus.emit(1);
    off();
    bus.emit(2);
    setBugReporter((error, where) => console.error(`bug in ${where}:`, error));
    expect(seen).toEqual([1]);
    expect(bugs).toEqual(['listeners test delivery', 'listeners test delivery']);
    expect(bus.size).toBe(1);
  });

  it('counts the live sets and their listeners by name', () => {
    const a = new Listeners<string>('listeners test count');
    const b = new Listeners<string>('listeners test count');
    a.subscribe(() => undefined);
    b.subscribe(() => undefined);
    const off = b.subscribe(() => undefined);
    expect(listenerCounts().find((c) => c.where === 'listeners test count')).toEqual({ where: 'listeners test count', sets: 2, listeners: 3 });
    off();
    b.clear();
    expect(listenerCounts().find((c) => c.where === 'listeners test count')).toEqual({ where: 'listeners test count', sets: 2, listeners: 1 });
    expect(a.label).toBe('listeners test count');
  });
});
