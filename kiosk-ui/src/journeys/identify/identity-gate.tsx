// The identity check every card journey starts with (J1, and J3 and J5 "after J1"): the card,
// consent, the face check or staff assistance. A card already verified in this session passes
// straight through.
import { faceChallengeEventSchema, facePromptEventSchema, faceVerifyCompletionSchema, idCardReadCompletionSchema } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useMachine } from '../../flow/use-machine';
import { useKiosk, useText } from '../../session/kiosk-context';
import type { CardIdentity } from '../../session/session-machine';
import { FaceGuide } from './face-guide';
import { identifyTransition, initialIdentify, MAX_ATTEMPTS, type ReadProblem } from './identify-machine';
import { identifyStrings } from './identify-strings';

export interface IdentityGateProps {
  /** The journey's title, so the resident knows what the check is for. */
  readonly title: string;
  readonly onVerified: (card: CardIdentity) => void;
  /** Skip the gate for a card verified earlier in this session (J3, J5); J1 shows the result. */
  readonly passVerified?: boolean;
}

function readProblem(code: string | undefined): ReadProblem {
  return code === 'notConnected' || code === 'noResponse' || code === 'samSelfTestFailed' || code === 'samNotAuthorised' ? 'readerFault' : 'unreadable';
}

export function IdentityGate({ title, onVerified, passVerified = true }: IdentityGateProps) {
  const kiosk = useKiosk();
  const { client, session } = kiosk;
  const t = useText(identifyStrings);
  // Decided once, on arrival: verifying here must not turn this screen into the pass-through.
  const [alreadyVerified] = useState(() => passVerified && session.verified && session.card !== undefined);
  const [state, send] = useMachine(identifyTransition, () => initialIdentify(session.card, session.verified), kiosk.clock);

  useEffect(() => {
    if (alreadyVerified && session.card) onVerified(session.card);
  }, []);

  // Waiting for the card: one may already be on the reader.
  useEffect(() => {
    if (state.kind !== 'insertCard') return undefined;
    const present = Object.values(kiosk.devices).some((d) => d.deviceClass === 'idCardReader' && d.idCardReader?.media === 'present');
    if (present) send({ type: 'cardPresent' });
    return client.onUnsolicited((name) => {
      if (name === 'IdCard.CardInserted') send({ type: 'cardPresent' });
    });
  }, [state.kind]);

  useEffect(() => {
    if (state.kind !== 'reading') return;
    void client.request('IdCard.Read', {}).then((reply) => {
      const parsed = idCardReadCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode !== 'success' || !parsed.success) {
        send({ type: 'readFailed', problem: readProblem(reply.errorCode) });
        return;
      }
      const card: CardIdentity = { readId: parsed.data.readId, nameMasked: parsed.data.card.name, idNumberMasked: parsed.data.card.idNumber, expired: parsed.data.card.expired };
      kiosk.send({ type: 'cardRead', card });
      send({ type: 'read', card });
    });
  }, [state.kind]);

  const attempt = state.kind === 'checking' ? state.attempt : 0;
  useEffect(() => {
    if (state.kind !== 'checking') return undefined;
    const abort = new AbortController();
    void client
      .request(
        'Face.Verify',
        { reference: { kind: 'card', readId: state.card.readId } },
        {
          signal: abort.signal,
          timeoutMs: 120_000,
          onEvent: (name, payload) => {
            if (name === 'Face.PromptEvent') {
              const p = facePromptEventSchema.safeParse(payload);
              if (p.success) send({ type: 'prompt', prompt: p.data.prompt, face: p.data.face });
            } else if (name === 'Face.ChallengeEvent') {
              const c = faceChallengeEventSchema.safeParse(payload);
              if (c.success) send({ type: 'challenge', challenge: c.data });
            }
          },
        },
      )
      .then((reply) => {
        if (abort.signal.aborted) return;
        const parsed = faceVerifyCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'result', verified: parsed.data.verified, match: parsed.data.match, liveness: parsed.data.liveness.reason });
        else send({ type: 'checkError', code: reply.errorCode ?? reply.completionCode });
      });
    return () => abort.abort();
  }, [state.kind, attempt]);

  const staffWhy = state.kind === 'staffAssist' ? state.why : undefined;
  useEffect(() => {
    if (!staffWhy) return;
    void client.request('Help.CallStaff', { reason: staffWhy === 'declined' ? 'faceCheckDeclined' : staffWhy === 'tooManyTries' ? 'faceCheckFailed' : 'deviceFault' });
  }, [staffWhy]);

  useEffect(() => {
    if (state.kind !== 'verified') return;
    kiosk.send({ type: 'verified' });
  }, [state.kind]);

  if (alreadyVerified) return null;

  switch (state.kind) {
    case 'insertCard':
      return (
        <Screen id="identify-insert-card" title={title} say={t('insertCard')}>
          <div class="slot-guide" aria-hidden="true">
            <span class="slot-card" />
            <span class="slot-arrow">↓</span>
          </div>
          <p class="lead">{t('insertCard')}</p>
          <p>{t('insertCardHint')}</p>
        </Screen>
      );
    case 'reading':
      return (
        <Screen id="identify-reading" title={title} say={t('reading')}>
          <p class="lead" role="status">
            {t('reading')}
          </p>
        </Screen>
      );
    case 'readFailed':
      return (
        <Screen
          id="identify-read-failed"
          title={title}
          say={t(state.problem)}
          actions={
            state.problem === 'readerFault' ? null : (
              <button type="button" class="primary" onClick={() => send({ type: 'retryRead' })}>
                {t('tryAgain')}
              </button>
            )
          }
        >
          <p class="lead" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t(state.problem)}
          </p>
        </Screen>
      );
    case 'consent':
      return (
        <Screen
          id="identify-consent"
          title={t('consentTitle')}
          say={t('consentSay')}
          actions={
            <>
              <button type="button" class="secondary" data-action="decline" onClick={() => send({ type: 'decline' })}>
                {t('decline')}
              </button>
              <button type="button" class="primary" data-action="agree" onClick={() => send({ type: 'consent' })}>
                {t('agree')}
              </button>
            </>
          }
        >
          <p class="lead" data-card-holder>
            {t('consentGreeting', { name: state.card.nameMasked, id: state.card.idNumberMasked })}
          </p>
          <p>{t('consentBody')}</p>
          <p>{t('consentAlternative')}</p>
        </Screen>
      );
    case 'checking': {
      const challenge = state.challenge?.state === 'started' ? state.challenge : undefined;
      const say = challenge ? t(`challenge.${challenge.challenge}`) : state.prompt === 'ok' ? t('checking') : t(`prompt.${state.prompt}`);
      return (
        <Screen id="identify-face-check" title={t('checking')} say={say}>
          <p class="step">{t('attempt', { attempt: state.attempt, max: MAX_ATTEMPTS })}</p>
          <FaceGuide prompt={state.prompt} face={state.face} challenge={state.challenge} />
        </Screen>
      );
    }
    case 'checkFailed': {
      const message = `${t(`failed.${state.problem}`)} ${t('failed.left', { left: MAX_ATTEMPTS - state.attempt })}`;
      return (
        <Screen
          id="identify-check-failed"
          title={t('failed.title')}
          say={message}
          actions={
            <>
              <button type="button" class="secondary" onClick={() => send({ type: 'decline' })}>
                {t('decline')}
              </button>
              <button type="button" class="primary" data-action="retry" onClick={() => send({ type: 'retry' })}>
                {t('retry')}
              </button>
            </>
          }
        >
          <p class="lead" role="alert" data-problem={state.problem}>
            <span aria-hidden="true">✕ </span>
            {message}
          </p>
        </Screen>
      );
    }
    case 'staffAssist':
      return (
        <Screen id="identify-staff" title={t('staffTitle')} say={t(`staff.${state.why}`)}>
          <p class="lead" role="status" data-staff-why={state.why}>
            {t(`staff.${state.why}`)}
          </p>
        </Screen>
      );
    case 'verified':
      return <Verified card={state.card} title={title} onContinue={() => onVerified(state.card)} />;
  }
}

function Verified({ card, title, onContinue }: { card: CardIdentity; title: string; onContinue: () => void }) {
  const t = useText(identifyStrings);
  return (
    <Screen
      id="identify-verified"
      title={`${title} · ${t('verifiedTitle')}`}
      say={t('verified', { name: card.nameMasked })}
      actions={
        <button type="button" class="primary" data-action="continue" onClick={onContinue}>
          {t('continue')}
        </button>
      }
    >
      <p class="lead" role="status">
        <span aria-hidden="true">✓ </span>
        {t('verified', { name: card.nameMasked })}
      </p>
    </Screen>
  );
}
