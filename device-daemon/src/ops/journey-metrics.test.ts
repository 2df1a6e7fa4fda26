import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerJourneyMetrics } from './journey-metrics';

describe('journey metrics', () => {
  it('exports every journey at 0 from the start, counts events, and stamps the last completion', async () => {
    const registry = new Registry();
    let now = Date.parse('2026-03-01T08:00:00Z');
    const journeys = registerJourneyMetrics(registry, () => now);
    let text = await registry.metrics();
    for (const name of ['started', 'completed', 'abandoned']) {
      expect([...text.matchAll(new RegExp(`^kiosk_journeys_${name}_total\\{journey="(J\\d)"\\} 0$`, 'gm'))].map((m) => m[1])).toEqual(['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7', 'J8']);
    }
    expect(text).not.toMatch(/^kiosk_journey_last_completed_timestamp_seconds\{/m);

    journeys.record('J4', 'started');
    journeys.record('J4', 'completed');
    journeys.record('J1', 'started');
    journeys.record('J1', 'abandoned');
    now += 90_000;
    journeys.record('J4', 'started');
    journeys.record('J4', 'completed');
    text = await registry.metrics();
    expect(text).toMatch(/^kiosk_journeys_started_total\{journey="J4"\} 2$/m);
    expect(text).toMatch(/^kiosk_journeys_completed_total\{journey="J4"\} 2$/m);
    expect(text).toMatch(/^kiosk_journeys_started_total\{journey="J1"\} 1$/m);
    expect(text).toMatch(/^kiosk_journeys_abandoned_total\{journey="J1"\} 1$/m);
    expect(text).toMatch(/^kiosk_journeys_completed_total\{journey="J1"\} 0$/m);
    expect(text).toMatch(new RegExp(`^kiosk_journey_last_completed_timestamp_seconds\\{journey="J4"\\} ${Date.parse('2026-03-01T08:01:30Z') / 1000}$`, 'm'));
    expect(text).not.toMatch(/^kiosk_journey_last_completed_timestamp_seconds\{journey="J1"\}/m);
  });
});
