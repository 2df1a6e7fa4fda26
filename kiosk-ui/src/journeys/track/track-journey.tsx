// J6 Track: the acceptance slip's QR code at the scanner, or the tracking number on the keypad (with
// "-", this kiosk's prefix and letters), then the platform's status timeline. Looking a number up is
// a completed service: the rating follows.
import { progressCompletionSchema } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { Keypad } from '../../components/keypad';
import { Screen } from '../../components/screen';
import { useCodeScan } from '../../flow/use-code-scan';
import { useMachine } from '../../flow/use-machine';
import { textFor } from '../../i18n/catalogue';
import { useKiosk, useText } from '../../session/kiosk-context';
import { deviceProblem } from '../availability';
import { initialTrack, isTrackingNumber, MAX_ENTRY, terminalPrefix, trackTransition, type ProgressView, type TrackEvent, type TrackState } from './track-machine';
import { isKnownStatus, trackStrings } from './track-strings';
import './track.css';

type Send = (event: TrackEvent) => void;
type Of<K extends TrackState['kind']> = Extract<TrackState, { kind: K }>;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

function useStatusText(): (status: string) => string {
  const t = useText(trackStrings);
  return (status) => (isKnownStatus(status) ? t(`status.${status}`) : status);
}

export function TrackJourney() {
  const kiosk = useKiosk();
  const [state, send] = useMachine((s, e: TrackEvent) => trackTransition(s, e), () => initialTrack, kiosk.clock);
  const scanner = Object.values(kiosk.devices).some((d) => d.deviceClass === 'barcodeReader' && deviceProblem(d) === undefined);

  useCodeScan(state.kind === 'enter', (text) => send({ type: 'scanned', text }));

  useEffect(() => {
    if (state.kind !== 'looking') return;
    void kiosk.client.request('Platform.Progress', { trackingNumber: state.trackingNumber }, { timeoutMs: 30_000 }).then((reply) => {
      const progress = progressCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && progress.success) send({ type: 'found', progress: progress.data });
      else send({ type: 'failed', code: reply.errorCode ?? reply.completionCode });
    });
  }, [state.kind]);

  const done = (progress: ProgressView): void => {
    const id = progress.trackingNumber;
    // A number already rated in this session (tracked twice, or just applied for) is not rated again.
    if (kiosk.session.transactions.some((t) => t.id === id)) {
      kiosk.send({ type: 'home' });
      return;
    }
    kiosk.send({ type: 'completed', transaction: { id, journey: 'J6', label: { zh: textFor(trackStrings, 'zh-CN')('label'), en: textFor(trackStrings, 'en')('label') } } });
  };

  switch (state.kind) {
    case 'enter':
      return <EnterScreen state={state} send={send} scanner={scanner} prefix={terminalPrefix(kiosk.settings.terminalId)} />;
    case 'looking':
      return <LookingScreen />;
    case 'found':
      return <ProgressScreen progress={state.progress} send={send} onDone={() => done(state.progress)} />;
    case 'notFound':
      return <NotFoundScreen state={state} send={send} />;
    case 'unavailable':
      return <UnavailableScreen send={send} />;
  }
}

function EnterScreen({ state, send, scanner, prefix }: { state: Of<'enter'>; send: Send; scanner: boolean; prefix: string | undefined }) {
  const t = useText(trackStrings);
  const [letters, setLetters] = useState(false);
  const lead = scanner ? t('enterLead') : t('enterLeadNoScanner');
  const problem = state.problem ? t(`problem.${state.problem}`) : undefined;
  const type = (key: string): void => send({ type: 'entry', entry: (state.entry + key).slice(0, MAX_ENTRY) });
  return (
    <Screen
      id="j6-enter"
      title={t('title')}
      say={problem ?? lead}
      actions={
        <button type="button" class="primary" data-action="track" aria-disabled={!isTrackingNumber(state.entry)} onClick={() => send({ type: 'submit' })}>
          {t('look')}
        </button>
      }
    >
      <p class="lead">{lead}</p>
      {problem ? (
        <p class="alert" role="alert" data-problem={state.problem}>
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      ) : (
        <p class="step">{t('enterHint')}</p>
      )}
      <div class="track-pads two-columns">
        <Keypad value={state.entry} onChange={(entry) => send({ type: 'entry', entry })} maxLength={MAX_ENTRY} label={t('numberLabel')} extraKeys={prefix ? ['-', prefix] : ['-']} />
        <div class="track-letters-wrap">
          <button type="button" class="secondary" data-action="letters" aria-expanded={letters} onClick={() => setLetters(!letters)}>
            {letters ? t('lettersHide') : `ABC ${t('letters')}`}
          </button>
          {letters ? (
            <div class="keypad track-letters" role="group" aria-label={t('lettersLabel')}>
              {LETTERS.map((letter) => (
                <button type="button" key={letter} class="key" onClick={() => type(letter)}>
                  {letter}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      </div>
    </Screen>
  );
}

function LookingScreen() {
  const t = useText(trackStrings);
  return (
    <Screen id="j6-looking" title={t('title')} say={t('looking')}>
      <p class="lead" role="status">
        {t('looking')}
      </p>
    </Screen>
  );
}

function ProgressScreen({ progress, send, onDone }: { progress: ProgressView; send: Send; onDone: () => void }) {
  const t = useText(trackStrings);
  const { session } = useKiosk();
  const statusText = useStatusText();
  const item = session.language === 'zh-CN' ? progress.itemName.zh : progress.itemName.en;
  const last = progress.timeline.length - 1;
  return (
    <Screen
      id="j6-progress"
      title={t('progressTitle')}
      say={t('progressSay', { item, status: statusText(progress.status) })}
      actions={
        <>
          <button type="button" class="secondary" data-action="track-another" onClick={() => send({ type: 'another' })}>
            {t('another')}
          </button>
          <button type="button" class="primary" data-action="done" onClick={onDone}>
            {t('done')}
          </button>
        </>
      }
    >
      <dl class="summary">
        <dt>{t('field.item')}</dt>
        <dd>{item}</dd>
        <dt>{t('field.number')}</dt>
        <dd data-tracking-number={progress.trackingNumber}>{progress.trackingNumber}</dd>
        <dt>{t('field.status')}</dt>
        <dd class="track-status" data-status={progress.status}>
          <span aria-hidden="true">● </span>
          {statusText(progress.status)}
        </dd>
      </dl>
      <h2 class="track-timeline-title">{t('timelineTitle')}</h2>
      <ol class="track-timeline">
        {progress.timeline.map((step, index) => (
          <li key={`${step.at}-${index}`} class={index === last ? 'track-step track-latest' : 'track-step'} data-step-status={step.status}>
            <span class="track-mark" aria-hidden="true">
              {index === last ? '●' : '✓'}
            </span>
            <time class="track-time" dateTime={step.at}>
              {step.time}
            </time>
            <span class="track-step-status">
              {statusText(step.status)}
              {index === last ? <span class="track-latest-tag"> · {t('latest')}</span> : null}
            </span>
            <span class="track-note">{step.note}</span>
          </li>
        ))}
      </ol>
    </Screen>
  );
}

function NotFoundScreen({ state, send }: { state: Of<'notFound'>; send: Send }) {
  const t = useText(trackStrings);
  const text = t('notFound', { number: state.trackingNumber });
  return (
    <Screen
      id="j6-not-found"
      title={t('notFoundTitle')}
      say={text}
      actions={
        <button type="button" class="primary" data-action="edit-number" onClick={() => send({ type: 'edit' })}>
          {t('editNumber')}
        </button>
      }
    >
      <p class="lead" role="alert">
        <span aria-hidden="true">⚠ </span>
        {text}
      </p>
    </Screen>
  );
}

function UnavailableScreen({ send }: { send: Send }) {
  const t = useText(trackStrings);
  return (
    <Screen
      id="j6-unavailable"
      title={t('unavailableTitle')}
      say={t('unavailable')}
      actions={
        <>
          <button type="button" class="secondary" data-action="edit-number" onClick={() => send({ type: 'edit' })}>
            {t('editNumber')}
          </button>
          <button type="button" class="primary" data-action="retry" onClick={() => send({ type: 'retry' })}>
            {t('retry')}
          </button>
        </>
      }
    >
      <p class="lead" role="alert">
        <span aria-hidden="true">⚠ </span>
        {t('unavailable')}
      </p>
    </Screen>
  );
}
