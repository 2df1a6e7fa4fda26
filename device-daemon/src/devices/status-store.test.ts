import { describe, expect, it } from 'vitest';
import type { StatusChangedEvent } from '../protocol';
import { StatusStore } from './status-store';

describe('StatusStore', () => {
  it('emits only what changed, and nothing when nothing did', () => {
    const store = new StatusStore('receiptPrinter', {
      deviceClass: 'printer',
      common: { device: 'starting', devicePosition: 'inPosition' },
      printer: { paper: 'unknown', cover: 'unknown' },
    });
    const events: StatusChangedEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.update({ common: { device: 'online' }, printer: { paper: 'full', cover: 'closed' } });
    store.update({ common: { device: 'online' }, printer: { paper: 'full', cover: 'closed' } });
    store.update({ printer: { paper: 'low', cover: 'closed' } });
    expect(events).toEqual([
      { device: 'receiptPrinter', common: { device: 'online' }, printer: { paper: 'full', cover: 'closed' } },
      { device: 'receiptPrinter', printer: { paper: 'low' } },
    ]);
    expect(store.get().printer).toEqual({ paper: 'low', cover: 'closed' });
  });

  it('hands out copies', () => {
    const store = new StatusStore('p', { deviceClass: 'printer', common: { device: 'online', devicePosition: 'inPosition' } });
    const copy = store.get();
    copy.common.device = 'offline';
    expect(store.state).toBe('online');
  });
});
