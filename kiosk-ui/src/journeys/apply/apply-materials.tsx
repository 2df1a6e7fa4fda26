// Capturing the documents with the document camera (高拍仪): the live picture, take, look at the
// still once, retake or keep; several pages per document; a document the item lets follow later
// can be marked missing (容缺受理) and shows the day it is due.
import { Screen } from '../../components/screen';
import { useKiosk, useText } from '../../session/kiosk-context';
import { inLanguage } from './apply-item';
import { pagesOf, type ApplyEvent, type ApplyState } from './apply-machine';
import { documentCameraName, supplementDeadline, tolerable } from './apply-rules';
import { MaterialTag } from './apply-search';
import { applyStrings } from './apply-strings';

type Send = (event: ApplyEvent) => void;

export function MaterialScreen({ state, send }: { state: Extract<ApplyState, { kind: 'material' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { draft, index, taking, problem } = state;
  const { item } = draft;
  const material = item.guide.materials[index];
  if (!material) return null;
  const name = inLanguage(material.name, lang);
  const entry = draft.materials[material.code];
  const pages = pagesOf(entry).length;
  const missing = entry?.kind === 'missing';
  const may = tolerable(item, material);
  const camera = documentCameraName(kiosk.devices);
  const cameraReady = camera !== undefined && kiosk.devices[camera]?.common.device === 'online';
  const problemText = problem === 'nothingCaptured' && may ? t('problem.nothingCapturedTolerable') : problem ? t(`problem.${problem}`) : undefined;
  const next = (
    <button type="button" class="primary" data-action="next" disabled={taking} onClick={() => send({ type: 'next' })}>
      {t('next')}
    </button>
  );
  const take = (primary: boolean) => (
    <button type="button" class={primary ? 'primary' : 'secondary'} data-action="take" disabled={taking} onClick={() => send({ type: 'take' })}>
      {pages > 0 ? t('takeAnother') : t('take')}
    </button>
  );
  let actions;
  if (missing) {
    actions = (
      <>
        <button type="button" class="secondary" data-action="unmark-missing" onClick={() => send({ type: 'unmarkMissing' })}>
          {t('unmarkMissing')}
        </button>
        {next}
      </>
    );
  } else if (pages > 0) {
    actions = (
      <>
        {take(false)}
        {next}
      </>
    );
  } else {
    actions = (
      <>
        {may ? (
          <button type="button" class="secondary" data-action="mark-missing" disabled={taking} onClick={() => send({ type: 'markMissing' })}>
            {t('markMissing')}
          </button>
        ) : null}
        {take(true)}
      </>
    );
  }
  return (
    <Screen
      id="j5-material"
      title={t('materialTitle')}
      say={problemText ?? (taking ? t('taking') : t('materialSay', { name }))}
      onBack={taking ? undefined : () => send({ type: 'back' })}
      noHome={taking}
      actions={actions}
    >
      <div class="apply-material two-columns" data-material={material.code}>
        <div class="apply-material-info">
          <h2 class="lead">{name}</h2>
          <p>
            {t(`form.${material.form}`)} · {t('copies', { copies: material.copies })} <MaterialTag item={item} material={material} />
          </p>
          {material.note ? <p class="choice-note">{inLanguage(material.note, lang)}</p> : null}
          <p class="step">{t('materialStep', { index: index + 1, count: item.guide.materials.length })}</p>
          {missing ? null : (
            <div class="apply-pages">
              <p class="lead" data-pages={pages}>
                {pages > 0 ? (
                  <>
                    <span aria-hidden="true">✓ </span>
                    {t('pagesKept', { count: pages })}
                  </>
                ) : (
                  t('noPages')
                )}
              </p>
              {pages > 0 ? (
                <button type="button" class="secondary" data-action="clear-pages" disabled={taking} onClick={() => send({ type: 'clearPages' })}>
                  {t('clearPages')}
                </button>
              ) : null}
            </div>
          )}
          {missing ? (
            <p class="apply-warn" data-missing-deadline={supplementDeadline(item, kiosk.clock.now())}>
              <span aria-hidden="true">⚠ </span>
              {t('missingNote', { deadline: supplementDeadline(item, kiosk.clock.now()) })}
            </p>
          ) : null}
          {taking ? (
            <p class="lead" role="status">
              {t('taking')}
            </p>
          ) : !missing && !cameraReady ? (
            <p class="step" role="status">
              {t('cameraWait')}
            </p>
          ) : null}
          {problemText ? (
            <p class="alert" role="alert" data-problem={problem}>
              <span aria-hidden="true">⚠ </span>
              {problemText}
            </p>
          ) : null}
        </div>
        {!missing && camera ? (
          <div class="apply-preview">
            <img class="apply-stream" src={kiosk.media(`/camera/${camera}/stream`)} alt={t('preview')} />
          </div>
        ) : null}
      </div>
    </Screen>
  );
}

export function ReviewScreen({ state, send }: { state: Extract<ApplyState, { kind: 'review' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const material = state.draft.item.guide.materials[state.index];
  if (!material) return null;
  const name = inLanguage(material.name, kiosk.session.language);
  const page = pagesOf(state.draft.materials[material.code]).length + 1;
  return (
    <Screen
      id="j5-review"
      title={t('reviewTitle')}
      say={t('reviewSay')}
      actions={
        <>
          <button type="button" class="secondary" data-action="retake" onClick={() => send({ type: 'retake' })}>
            {t('retake')}
          </button>
          <button type="button" class="primary" data-action="keep" onClick={() => send({ type: 'keep' })}>
            <span aria-hidden="true">✓ </span>
            {t('keep')}
          </button>
        </>
      }
    >
      <h2 class="lead">{t('pictureAlt', { name, page })}</h2>
      {/* The daemon serves this URL once: the element is rendered once and never re-requested. */}
      <img class="apply-picture" src={state.picture.url} alt={t('pictureAlt', { name, page })} data-picture={state.picture.pictureId} />
      <p class="step">{t('pictureOnce')}</p>
    </Screen>
  );
}
