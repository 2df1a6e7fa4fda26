import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposedVersion, KeptPhoto } from './photo-store';
import { PhotoStore } from './photo-store';

const bytes = (n: number): Buffer => Buffer.alloc(64, n);
const version = (viewId: string): ComposedVersion => ({ size: 'oneInch', background: 'blue', jpeg: bytes(9), width: 295, height: 413, compliance: { ok: true, issues: [] }, viewId });

describe('the photo store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets a photo a few minutes after its last use, on its own timer, and wipes it', () => {
    const forgotten: string[] = [];
    const store = new PhotoStore({ ttlMs: 300_000, onForget: (p) => forgotten.push(p.id) });
    const source = bytes(7);
    const photo = store.add(source);
    store.setComposed(photo, version('v1'));
    const composed = photo.composed?.jpeg;
    vi.advanceTimersByTime(200_000);
    store.touch(photo);
    vi.advanceTimersByTime(200_000);
    expect(store.get(photo.id)).toBe(photo);
    vi.advanceTimersByTime(100_001);
    // Nobody asked for it again: the timer alone wiped it.
    expect(forgotten).toEqual([photo.id]);
    expect(source.every((b) => b === 0)).toBe(true);
    expect(composed?.every((b) => b === 0)).toBe(true);
    expect(store.size).toBe(0);
  });

  it('keeps a handful, making room by forgetting the one left longest', () => {
    const store = new PhotoStore({ maxPhotos: 2 });
    const a = store.add(bytes(1));
    const b = store.add(bytes(2));
    store.touch(a);
    const c = store.add(bytes(3));
    expect([store.get(a.id), store.get(b.id), store.get(c.id)].map((p) => p?.id)).toEqual([a.id, undefined, c.id]);
    expect(b.source.every((x) => x === 0)).toBe(true);
  });

  it('replaces the composed version, telling of the old one, and drops a photo once', () => {
    const told: Array<KeptPhoto['composed']> = [];
    const store = new PhotoStore({ onForget: (p) => told.push(p.composed) });
    const photo = store.add(bytes(4));
    store.setComposed(photo, version('v1'));
    const first = photo.composed;
    store.setComposed(photo, version('v2'));
    expect(told.map((v) => v?.viewId)).toEqual(['v1']);
    expect(first?.jpeg.every((x) => x === 0)).toBe(true);
    expect(store.drop(photo.id)).toBe(true);
    expect(store.drop(photo.id)).toBe(false);
    expect(told.map((v) => v?.viewId)).toEqual(['v1', 'v2']);
  });
});
