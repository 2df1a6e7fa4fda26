// J2: ID photos. Size and background (one decision per screen), the live camera with a frame and
// a spoken countdown, the daemon's automatic crop and background replacement with its compliance
// reasons, preview (another background without a retake), print on A4 with a pickup receipt.
import { PHOTO_BACKGROUNDS, PHOTO_SIZES, photoComposeCompletionSchema, photoPrintCompletionSchema, takePictureCompletionSchema, type PhotoBackground } from '@protocol';
import { useCallback, useEffect, useRef } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useMachine } from '../../flow/use-machine';
import { useTicker } from '../../flow/use-ticker';
import { useKiosk, useText } from '../../session/kiosk-context';
import { faceCameraName } from '../identify/face-guide';
import { initialPhoto, MAX_SHEETS, photoTransition, type ComposeProblem } from './photo-machine';
import { photoStrings } from './photo-strings';
import './photo.css';

const SWATCH: Record<PhotoBackground, string> = { white: '#ffffff', blue: '#438edb', red: '#ff0000' };

function composeProblem(code: string | undefined): ComposeProblem {
  if (code === 'noFace' || code === 'multipleFaces' || code === 'pictureGone') return code;
  if (code === 'unknownPhoto') return 'pictureGone';
  if (code === 'photoServiceUnavailable') return 'service';
  return 'camera';
}

export function PhotoJourney() {
  const kiosk = useKiosk();
  const t = useText(photoStrings);
  const [state, send] = useMachine(photoTransition, () => initialPhoto, kiosk.clock);
  const camera = faceCameraName(kiosk.devices);
  const picture = useRef<string | undefined>(undefined);
  const kept = useRef<string | undefined>(undefined);

  // The photo lives in the daemon's memory: let it go when the resident leaves.
  useEffect(
    () => () => {
      if (kept.current) void kiosk.client.request('Photo.Discard', { photoId: kept.current });
    },
    [],
  );

  const tick = useCallback(() => send({ type: 'tick' }), [send]);
  useTicker(state.kind === 'countdown', tick, 250);

  const countdownZero = state.kind === 'countdown' && state.secondsLeft === 0;
  useEffect(() => {
    if (!countdownZero) return;
    void kiosk.client.request('Camera.TakePicture', camera ? { device: camera } : {}).then((reply) => {
      const parsed = takePictureCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode !== 'success' || !parsed.success) {
        send({ type: 'composeFailed', problem: 'camera' });
        return;
      }
      picture.current = parsed.data.pictureId;
      send({ type: 'captured' });
    });
  }, [countdownZero]);

  const composeKey = state.kind === 'composing' ? `${state.background}-${state.photoId ?? 'new'}` : '';
  useEffect(() => {
    if (state.kind !== 'composing') return;
    const source = state.photoId ? { photoId: state.photoId } : { pictureId: picture.current ?? '' };
    void kiosk.client.request('Photo.Compose', { source, size: state.size, background: state.background }, { timeoutMs: 60_000 }).then((reply) => {
      const parsed = photoComposeCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode !== 'success' || !parsed.success) {
        send({ type: 'composeFailed', problem: composeProblem(reply.errorCode) });
        return;
      }
      if (kept.current && kept.current !== parsed.data.photoId) void kiosk.client.request('Photo.Discard', { photoId: kept.current });
      kept.current = parsed.data.photoId;
      send({ type: 'composed', photo: { photoId: parsed.data.photoId, url: kiosk.media(parsed.data.url), issues: parsed.data.compliance.issues } });
    });
  }, [composeKey]);

  useEffect(() => {
    if (state.kind !== 'printing') return;
    void kiosk.client.request('Photo.Print', { photoId: state.photo.photoId, copies: state.sheets }, { timeoutMs: 120_000 }).then((reply) => {
      const parsed = photoPrintCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) {
        send({ type: 'printed', pickupCode: parsed.data.pickupCode, sheets: parsed.data.sheets, photosPerSheet: parsed.data.photosPerSheet, receiptPrinted: parsed.data.receiptPrinted });
      } else {
        send({ type: 'printFailed', problem: reply.errorCode === 'printerNotReady' ? 'printerNotReady' : 'other' });
      }
    });
  }, [state.kind]);

  switch (state.kind) {
    case 'size':
      return (
        <Screen id="photo-size" title={t('sizeTitle')}>
          <ul class="choices">
            {PHOTO_SIZES.map((size) => (
              <li key={size}>
                <button type="button" class="choice" data-size={size} onClick={() => send({ type: 'size', size })}>
                  <span>{t(`size.${size}`)}</span>
                  <span class="choice-note">{t(`size.${size}.note`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </Screen>
      );
    case 'background':
      return (
        <Screen id="photo-background" title={t('backgroundTitle')} onBack={() => send({ type: 'back' })}>
          <p class="step">{t(`size.${state.size}`)}</p>
          <ul class="choices">
            {PHOTO_BACKGROUNDS.map((background) => (
              <li key={background}>
                <button type="button" class="choice swatch-choice" data-background={background} onClick={() => send({ type: 'background', background })}>
                  <span class="swatch" aria-hidden="true" style={{ background: SWATCH[background] }} />
                  <span>{t(`background.${background}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </Screen>
      );
    case 'capture':
    case 'countdown': {
      const problem = state.kind === 'capture' ? state.problem : undefined;
      const say = state.kind === 'countdown' ? t('countdownSay', { seconds: state.secondsLeft }) : problem ? t(`problem.${problem}`) : t('captureSay');
      return (
        <Screen
          id={state.kind === 'countdown' ? 'photo-countdown' : problem ? 'photo-capture-problem' : 'photo-capture'}
          title={t('captureTitle')}
          say={say}
          onBack={state.kind === 'capture' ? () => send({ type: 'back' }) : undefined}
          actions={
            state.kind === 'capture' ? (
              <button type="button" class="primary" data-action="shoot" onClick={() => send({ type: 'shoot' })}>
                {t('shoot')}
              </button>
            ) : null
          }
        >
          <p class="step">
            {t(`size.${state.size}`)} · {t(`background.${state.background}`)}
          </p>
          {problem ? (
            <p class="lead alert" role="alert" data-problem={problem}>
              <span aria-hidden="true">⚠ </span>
              {t(`problem.${problem}`)}
            </p>
          ) : (
            <p class="lead">{t('captureHint')}</p>
          )}
          <div class="preview photo-frame">
            {camera ? <img class="preview-stream" src={kiosk.media(`/camera/${camera}/stream`)} alt="" /> : null}
            <div class="photo-outline" aria-hidden="true" />
            {state.kind === 'countdown' ? (
              <p class="photo-countdown" role="status" data-countdown={state.secondsLeft}>
                {state.secondsLeft > 0 ? t('countdown', { seconds: state.secondsLeft }) : '●'}
              </p>
            ) : null}
          </div>
        </Screen>
      );
    }
    case 'composing':
    case 'printing':
      return (
        <Screen id={`photo-${state.kind}`} title={t('title')} say={t(state.kind)} noHome>
          <p class="lead" role="status">
            {t(state.kind)}
          </p>
        </Screen>
      );
    case 'preview':
    case 'printFailed': {
      const failed = state.kind === 'printFailed' ? (state.problem === 'printerNotReady' ? t('printerNotReady') : t('printOther')) : undefined;
      const verdict = state.photo.issues.length === 0 ? t('compliant') : `${t('notCompliant')}${state.photo.issues.map((i) => t(`issue.${i}`)).join('；')}`;
      return (
        <Screen
          id={state.kind === 'printFailed' ? 'photo-print-failed' : 'photo-preview'}
          title={t('previewTitle')}
          say={failed ?? verdict}
          actions={
            <>
              <button type="button" class="secondary" data-action="retake" onClick={() => send({ type: 'retake' })}>
                {t('retake')}
              </button>
              <button type="button" class="primary" data-action="print" onClick={() => send({ type: 'print' })}>
                {failed ? t('retry') : t('print')}
              </button>
            </>
          }
        >
          {failed ? (
            <p class="lead alert" role="alert" data-problem={state.kind === 'printFailed' ? state.problem : undefined}>
              <span aria-hidden="true">⚠ </span>
              {failed}
            </p>
          ) : null}
          <div class="photo-preview two-columns">
            <img class="photo-result" src={state.photo.url} alt={t('previewAlt', { size: t(`size.${state.size}`), background: t(`background.${state.background}`) })} />
            <div class="photo-side">
              <p class={state.photo.issues.length === 0 ? 'lead' : 'lead alert'} data-compliance={state.photo.issues.length === 0 ? 'ok' : state.photo.issues.join(' ')}>
                <span aria-hidden="true">{state.photo.issues.length === 0 ? '✓ ' : '⚠ '}</span>
                {verdict}
              </p>
              <div class="row" role="group" aria-label={t('otherBackground')}>
                {PHOTO_BACKGROUNDS.map((background) => (
                  <button type="button" key={background} class="secondary swatch-button" aria-pressed={background === state.background} data-background={background} onClick={() => send({ type: 'changeBackground', background })}>
                    <span class="swatch" aria-hidden="true" style={{ background: SWATCH[background] }} />
                    {t(`background.${background}`)}
                  </button>
                ))}
              </div>
              <div class="row" role="group" aria-label={t('sheets')}>
                <span class="sheets-label">{t('sheets')}</span>
                <button type="button" class="secondary" aria-disabled={state.sheets <= 1} onClick={() => send({ type: 'sheets', sheets: state.sheets - 1 })}>
                  − {t('fewer')}
                </button>
                <output class="big-number" data-sheets={state.sheets}>
                  {t('sheetsValue', { sheets: state.sheets })}
                </output>
                <button type="button" class="secondary" aria-disabled={state.sheets >= MAX_SHEETS} onClick={() => send({ type: 'sheets', sheets: state.sheets + 1 })}>
                  + {t('more')}
                </button>
              </div>
            </div>
          </div>
        </Screen>
      );
    }
    case 'printed': {
      const text = `${t('printed', { sheets: state.sheets, perSheet: state.photosPerSheet })} ${t('pickup', { code: state.pickupCode })}。${state.receiptPrinted ? t('receiptPrinted') : t('receiptNotPrinted')}`;
      return (
        <Screen
          id="photo-printed"
          title={t('title')}
          say={text}
          noHome
          actions={
            <button
              type="button"
              class="primary"
              data-action="done"
              onClick={() => {
                void kiosk.client.request('Photo.Discard', { photoId: state.photoId });
                kept.current = undefined;
                kiosk.send({ type: 'completed', transaction: { id: `PHOTO-${state.pickupCode}`, journey: 'J2', label: { zh: '证件照打印', en: 'ID photos' } } });
              }}
            >
              {t('done')}
            </button>
          }
        >
          <p class="big-number" data-pickup-code>
            {t('pickup', { code: state.pickupCode })}
          </p>
          <p class="lead" role="status">
            <span aria-hidden="true">✓ </span>
            {t('printed', { sheets: state.sheets, perSheet: state.photosPerSheet })}
          </p>
          <p class="lead" data-receipt-printed={String(state.receiptPrinted)}>
            <span aria-hidden="true">{state.receiptPrinted ? '✓ ' : '⚠ '}</span>
            {state.receiptPrinted ? t('receiptPrinted') : t('receiptNotPrinted')}
          </p>
        </Screen>
      );
    }
  }
}
