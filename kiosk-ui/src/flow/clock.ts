// Time as the flows see it: injected, so that machines are tested on a fake clock and the browser
// tests can move the page's clock.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
