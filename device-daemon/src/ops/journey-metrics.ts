// Journeys as the UI reports them (Kiosk.Journey): started, completed and abandoned per journey,
// and when one last completed. "Online but nobody gets through" is what an operator cannot see from
// device states alone. Every journey's series exists from the start at 0, so rates and alerts work
// on a terminal that has not served anyone yet.
import { Counter, Gauge, type Registry } from 'prom-client';
import { JOURNEYS, type Journey, type JourneyEvent } from '../protocol';

export interface JourneyMetrics {
  record(journey: Journey, event: JourneyEvent): void;
}

export function registerJourneyMetrics(registry: Registry, now: () => number = () => Date.now()): JourneyMetrics {
  const counters: Record<JourneyEvent, Counter<'journey'>> = {
    started: new Counter({ name: 'kiosk_journeys_started_total', help: 'Journeys residents started, as the UI reports them.', labelNames: ['journey'], registers: [registry] }),
    completed: new Counter({ name: 'kiosk_journeys_completed_total', help: 'Journeys that reached their service (done, printed, paid, submitted).', labelNames: ['journey'], registers: [registry] }),
    abandoned: new Counter({ name: 'kiosk_journeys_abandoned_total', help: 'Journeys left before their service: back home, idle timeout, card taken away.', labelNames: ['journey'], registers: [registry] }),
  };
  for (const counter of Object.values(counters)) for (const journey of JOURNEYS) counter.inc({ journey }, 0);
  // Only journeys that completed since the daemon started have a series: no made-up timestamps.
  const lastCompleted = new Gauge({
    name: 'kiosk_journey_last_completed_timestamp_seconds',
    help: 'When a journey last completed (Unix time), per journey, since the daemon started.',
    labelNames: ['journey'],
    registers: [registry],
  });
  return {
    record(journey, event) {
      counters[event].inc({ journey });
      if (event === 'completed') lastCompleted.set({ journey }, Math.floor(now() / 1000));
    },
  };
}
