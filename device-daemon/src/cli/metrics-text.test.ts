import { describe, expect, it } from 'vitest';
import { parseExposition, select, sumOf } from './metrics-text';

const TEXT = `# HELP kiosk_device_state Device state as a state set.
# TYPE kiosk_device_state gauge
kiosk_device_state{device="receiptPrinter",state="online"} 1
kiosk_device_state{device="receiptPrinter",state="noDevice"} 0

kiosk_device_info{device="idCardReader",model="SAM \\"v2\\"",serial="a\\\\b",firmware="line\\nbreak",simulated="true"} 1
kiosk_ui_connections 2
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major"} 7
kiosk_catalogue_age_seconds -1 1700000000000
odd{a="1", b="2",} NaN
kiosk_outbox_oldest_pending_seconds 1.5e3
`;

describe('parseExposition', () => {
  it('reads names, escaped label values, special values and ignores comments and timestamps', () => {
    const parsed = parseExposition(TEXT);
    if (!parsed.ok) throw new Error(parsed.error);
    const samples = parsed.value;
    expect(samples).toHaveLength(8);
    expect(select(samples, 'kiosk_device_state', { state: 'online' })).toEqual([{ name: 'kiosk_device_state', labels: { device: 'receiptPrinter', state: 'online' }, value: 1 }]);
    expect(select(samples, 'kiosk_device_info')[0]?.labels).toEqual({ device: 'idCardReader', model: 'SAM "v2"', serial: 'a\\b', firmware: 'line\nbreak', simulated: 'true' });
    expect(sumOf(samples, 'kiosk_ui_connections')).toBe(2);
    expect(sumOf(samples, 'kiosk_catalogue_age_seconds')).toBe(-1);
    expect(sumOf(samples, 'kiosk_outbox_oldest_pending_seconds')).toBe(1500);
    expect(select(samples, 'odd')[0]?.labels).toEqual({ a: '1', b: '2' });
    expect(Number.isNaN(select(samples, 'odd')[0]?.value)).toBe(true);
    expect(sumOf(samples, 'nothing_here')).toBe(0);
  });

  it('refuses what is not the text format, naming the line', () => {
    expect(parseExposition('{"devices": {}}')).toEqual({ ok: false, error: 'line 1: no metric name' });
    expect(parseExposition('ok 1\nbad{a=1} 2')).toEqual({ ok: false, error: 'line 2: label a has no quoted value' });
    expect(parseExposition('bad{a="1} 2')).toEqual({ ok: false, error: "line 1: label a's value is not closed" });
    expect(parseExposition('bad{a="\\q"} 2')).toEqual({ ok: false, error: 'line 1: label a has a bad escape' });
    expect(parseExposition('bad{a="1",a="2"} 2')).toEqual({ ok: false, error: 'line 1: label a given twice' });
    expect(parseExposition('bad{a="1" b="2"} 2')).toEqual({ ok: false, error: 'line 1: labels not separated by a comma' });
    expect(parseExposition('bad twelve')).toEqual({ ok: false, error: 'line 1: bad value' });
    expect(parseExposition('bad 1 2 3')).toEqual({ ok: false, error: 'line 1: bad value' });
    expect(parseExposition('a 1\nb 2\nc 3', 2)).toEqual({ ok: false, error: 'more than 2 samples' });
  });
});
