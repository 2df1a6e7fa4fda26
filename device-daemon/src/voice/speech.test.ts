import { describe, expect, it } from 'vitest';
import { Speech } from './speech';

const speech = (program = 'espeak-ng'): Speech => new Speech({ program, voices: { 'zh-CN': 'cmn', en: 'en' }, wpm: { normal: 160, slow: 115 }, timeoutMs: 10_000, cacheEntries: 2 });

describe('speech', () => {
  it('speaks Mandarin and English as WAV, slower when asked, and makes a phrase once', async () => {
    const s = speech();
    const zh = await s.speak('请将身份证放在读卡区', 'zh-CN', 'normal');
    expect(zh.ok && zh.value.subarray(0, 4).toString('latin1')).toBe('RIFF');
    const slow = await s.speak('请将身份证放在读卡区', 'zh-CN', 'slow');
    expect(slow.ok && zh.ok && slow.value.length > zh.value.length).toBe(true);
    const again = await s.speak('请将身份证放在读卡区', 'zh-CN', 'normal');
    expect(again.ok && zh.ok && again.value === zh.value).toBe(true);
    expect((await s.speak('Place your card on the reader', 'en', 'normal')).ok).toBe(true);
  });

  it('says so when there is nothing to say or no espeak-ng', async () => {
    expect(await speech().speak('  ', 'en', 'normal')).toEqual({ ok: false, error: 'nothing to say' });
    expect(await speech('no-such-espeak').speak('hello', 'en', 'normal')).toEqual({ ok: false, error: 'no-such-espeak not found (install espeak-ng)' });
  });
});
