// J6 as a pure machine: a tracking number typed on the keypad or read from the acceptance slip's QR
// code, the platform's answer, and the status timeline in order. An unknown number and an
// unreachable platform are told apart, each with its way on.

/** The platform's rule for a tracking number (Platform.Progress). */
const TRACKING_NUMBER = /^[A-Z0-9-]{8,40}$/;
/** How this kiosk's numbers look (terminal-date-sequence), to find one inside any text. */
const TRACKING_IN_TEXT = /[A-Z0-9]{1,16}-\d{8}-\d{6}/;
/** Query parameters a slip's track URL may carry the number in. */
const URL_KEYS = ['n', 'trackingNumber', 'tracking', 'tn', 'no', 'number', 'id', 'code'];

export function isTrackingNumber(text: string): boolean {
  return TRACKING_NUMBER.test(text) && /\d/.test(text);
}

/**
 * The tracking number in what the scanner read: the number itself, or a track URL holding it (in a
 * query parameter or the last path segment), or a number of this kiosk's form anywhere in the text.
 */
export function trackingNumberFrom(scanned: string): string | undefined {
  const text = scanned.trim();
  if (isTrackingNumber(text.toUpperCase())) return text.toUpperCase();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url) {
    for (const key of URL_KEYS) {
      const value = url.searchParams.get(key)?.trim().toUpperCase();
      if (value && isTrackingNumber(value)) return value;
    }
    const segments = url.pathname.split('/').filter((s) => s !== '').reverse();
    for (const segment of segments) {
      const value = decodeURIComponent(segment).toUpperCase();
      if (isTrackingNumber(value)) return value;
    }
  }
  return TRACKING_IN_TEXT.exec(text.toUpperCase())?.[0];
}

/** The key that types this kiosk's prefix ("HZXH0042-"), made the way the daemon makes numbers. */
export function terminalPrefix(terminalId: string): string | undefined {
  const prefix = terminalId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  return prefix === '' ? undefined : `${prefix}-`;
}

/** China time (UTC+8, no daylight saving): "2026-11-22 10:05". */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface ProgressReport {
  readonly trackingNumber: string;
  readonly itemName: { readonly zh: string; readonly en: string };
  readonly status: string;
  readonly timeline: readonly { readonly at: string; readonly status: string; readonly note: string }[];
}

export interface TimelineStep {
  readonly at: string;
  readonly time: string;
  readonly status: string;
  readonly note: string;
}

export interface ProgressView {
  readonly trackingNumber: string;
  readonly itemName: { readonly zh: string; readonly en: string };
  readonly status: string;
  /** Oldest first; the last step is the latest. */
  readonly timeline: readonly TimelineStep[];
}

export type EntryProblem = 'format' | 'notATrackingCode';

export type TrackState =
  | { readonly kind: 'enter'; readonly entry: string; readonly problem: EntryProblem | undefined }
  | { readonly kind: 'looking'; readonly trackingNumber: string; readonly entry: string }
  | { readonly kind: 'found'; readonly progress: ProgressView }
  | { readonly kind: 'notFound'; readonly trackingNumber: string; readonly entry: string }
  | { readonly kind: 'unavailable'; readonly trackingNumber: string; readonly entry: string };

export type TrackEvent =
  | { readonly type: 'entry'; readonly entry: string }
  | { readonly type: 'submit' }
  | { readonly type: 'scanned'; readonly text: string }
  | { readonly type: 'found'; readonly progress: ProgressReport }
  | { readonly type: 'failed'; readonly code: string }
  | { readonly type: 'retry' }
  | { readonly type: 'edit' }
  | { readonly type: 'another' };

export const initialTrack: TrackState = { kind: 'enter', entry: '', problem: undefined };

export const MAX_ENTRY = 40;

function progressView(report: ProgressReport): ProgressView {
  const steps = report.timeline.map((step, index) => ({ step, index, ms: Date.parse(step.at) }));
  // In time order; steps of the same moment (or without a readable time) keep the platform's order.
  steps.sort((a, b) => (Number.isNaN(a.ms) || Number.isNaN(b.ms) || a.ms === b.ms ? a.index - b.index : a.ms - b.ms));
  return {
    trackingNumber: report.trackingNumber,
    itemName: report.itemName,
    status: report.status,
    timeline: steps.map(({ step }) => ({ at: step.at, time: chinaTime(step.at), status: step.status, note: step.note })),
  };
}

export function trackTransition(state: TrackState, event: TrackEvent): TrackState {
  switch (event.type) {
    case 'entry':
      return state.kind === 'enter' ? { kind: 'enter', entry: event.entry.toUpperCase().slice(0, MAX_ENTRY), problem: undefined } : state;
    case 'submit':
      if (state.kind !== 'enter') return state;
      return isTrackingNumber(state.entry) ? { kind: 'looking', trackingNumber: state.entry, entry: state.entry } : { ...state, problem: 'format' };
    case 'scanned': {
      if (state.kind !== 'enter') return state;
      const found = trackingNumberFrom(event.text);
      return found ? { kind: 'looking', trackingNumber: found, entry: found } : { ...state, problem: 'notATrackingCode' };
    }
    case 'found':
      return state.kind === 'looking' ? { kind: 'found', progress: progressView(event.progress) } : state;
    case 'failed':
      if (state.kind !== 'looking') return state;
      if (event.code === 'unknownItem') return { kind: 'notFound', trackingNumber: state.trackingNumber, entry: state.entry };
      if (event.code === 'invalidData') return { kind: 'enter', entry: state.entry, problem: 'format' };
      return { kind: 'unavailable', trackingNumber: state.trackingNumber, entry: state.entry };
    case 'retry':
      return state.kind === 'unavailable' || state.kind === 'notFound' ? { kind: 'looking', trackingNumber: state.trackingNumber, entry: state.entry } : state;
    case 'edit':
      return state.kind === 'unavailable' || state.kind === 'notFound' ? { kind: 'enter', entry: state.entry, problem: undefined } : state;
    case 'another':
      return state.kind === 'found' ? initialTrack : state;
  }
}
