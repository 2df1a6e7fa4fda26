// J5's first two screens: find the service (category tiles, common words, the list they filter)
// and read its guide (conditions, documents, time limit, fees, 容缺受理).
import { PLATFORM_CATEGORIES } from '@protocol';
import { Screen } from '../../components/screen';
import { useKiosk, useText } from '../../session/kiosk-context';
import { inLanguage, type ApplyItem } from './apply-item';
import { KEYWORDS, type ApplyEvent, type ApplyState, type KeywordId } from './apply-machine';
import { tolerable } from './apply-rules';
import { applyStrings } from './apply-strings';

type Send = (event: ApplyEvent) => void;
const KEYWORD_IDS = Object.keys(KEYWORDS).filter((k): k is KeywordId => k in KEYWORDS);

export function SearchScreen({ state, send }: { state: Extract<ApplyState, { kind: 'search' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { category, keyword } = state.search;
  const { list } = state;
  return (
    <Screen id="j5-search" title={t('title')} say={t('searchSay')}>
      <p class="lead">{t('searchLead')}</p>
      <div class="apply-search two-columns">
        <div class="apply-filters">
          <h2 class="apply-heading">{t('categories')}</h2>
          <ul class="apply-tiles">
            <li>
              <button type="button" class="choice apply-tile" data-category="all" aria-pressed={category === undefined && keyword === undefined} onClick={() => send({ type: 'category', category: undefined })}>
                {t('all')}
              </button>
            </li>
            {PLATFORM_CATEGORIES.map((c) => (
              <li key={c}>
                <button type="button" class="choice apply-tile" data-category={c} aria-pressed={category === c} onClick={() => send({ type: 'category', category: category === c ? undefined : c })}>
                  {t(`cat.${c}`)}
                </button>
              </li>
            ))}
          </ul>
          <h2 class="apply-heading">{t('keywords')}</h2>
          <ul class="apply-chips">
            {KEYWORD_IDS.map((k) => (
              <li key={k}>
                <button type="button" class="apply-chip" data-keyword={k} aria-pressed={keyword === k} onClick={() => send({ type: 'keyword', keyword: keyword === k ? undefined : k })}>
                  {t(`kw.${k}`)}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <section class="apply-results" aria-labelledby="apply-results-title">
          <h2 class="apply-heading" id="apply-results-title">
            {t('listTitle', { count: list.status === 'ready' ? list.items.length : '…' })}
          </h2>
          {list.status === 'loading' ? (
            <p role="status">{t('listLoading')}</p>
          ) : list.status === 'failed' ? (
            <>
              <p class="alert" role="alert">
                <span aria-hidden="true">⚠ </span>
                {t('listFailed')}
              </p>
              <button type="button" class="secondary" data-action="retry" onClick={() => send({ type: 'retry' })}>
                {t('retry')}
              </button>
            </>
          ) : (
            <>
              {list.stale ? (
                <p class="apply-warn">
                  <span aria-hidden="true">⚠ </span>
                  {t('listStale')}
                </p>
              ) : null}
              {list.items.length === 0 ? <p role="status">{t('listEmpty')}</p> : null}
              <ul class="pick-list apply-list">
                {list.items.map((item) => (
                  <li key={item.code}>
                    <button type="button" class="apply-pick" data-item={item.code} onClick={() => send({ type: 'choose', code: item.code })}>
                      <span class="apply-pick-name">{inLanguage(item.name, lang)}</span>
                      <span class="choice-note">{inLanguage(item.department, lang)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </Screen>
  );
}

export function MaterialTag({ item, material }: { item: ApplyItem; material: ApplyItem['guide']['materials'][number] }) {
  const t = useText(applyStrings);
  const may = tolerable(item, material);
  return (
    <span class={may ? 'apply-tag apply-tag-may' : 'apply-tag'} data-tolerable={may ? 'true' : 'false'}>
      <span aria-hidden="true">{may ? '◇ ' : '✱ '}</span>
      {may ? t('tolerable') : t('essential')}
    </span>
  );
}

export function GuideScreen({ state, send }: { state: Extract<ApplyState, { kind: 'guide' }>; send: Send }) {
  const kiosk = useKiosk();
  const t = useText(applyStrings);
  const lang = kiosk.session.language;
  const { item } = state;
  const name = item ? inLanguage(item.name, lang) : '';
  const start = (
    <button type="button" class="primary" data-action="start" disabled={!item} onClick={() => send({ type: 'apply' })}>
      {t('start')}
    </button>
  );
  if (!item) {
    return (
      <Screen id="j5-guide" title={t('title')} say={state.failed ? t('guideFailed') : t('guideLoading')} onBack={() => send({ type: 'back' })} actions={state.failed ? <button type="button" class="primary" data-action="retry" onClick={() => send({ type: 'retry' })}>{t('retry')}</button> : start}>
        {state.failed ? (
          <p class="lead alert" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t('guideFailed')}
          </p>
        ) : (
          <p class="lead" role="status">
            {t('guideLoading')}
          </p>
        )}
      </Screen>
    );
  }
  const { guide } = item;
  return (
    <Screen id="j5-guide" title={t('title')} say={t('guideSay', { name })} onBack={() => send({ type: 'back' })} actions={start}>
      <h2 class="lead" data-item={item.code}>
        {name}
      </h2>
      <div class="apply-scroll" role="region" tabIndex={0} aria-label={name}>
        <dl class="summary">
          <dt>{t('guideDepartment')}</dt>
          <dd>{inLanguage(item.department, lang)}</dd>
          <dt>{t('guideTimeLimit')}</dt>
          <dd>{t('timeLimitValue', { legal: guide.timeLimit.legalDays, promised: guide.timeLimit.promisedDays })}</dd>
          <dt>{t('guideFees')}</dt>
          <dd>{inLanguage(guide.fees.description, lang)}</dd>
          <dt>{t('guideTolerance')}</dt>
          <dd data-tolerance={guide.tolerance.allowed ? 'allowed' : 'no'}>{guide.tolerance.allowed ? t('toleranceYes', { days: guide.tolerance.supplementDays }) : t('toleranceNo')}</dd>
          <dt>{t('guideVisits')}</dt>
          <dd>{t('visitsValue', { visits: guide.visits })}</dd>
        </dl>
        <h3 class="apply-heading">{t('guideConditions')}</h3>
        <ul class="apply-bullets">
          {guide.conditions.map((c, i) => (
            <li key={i}>{inLanguage(c, lang)}</li>
          ))}
        </ul>
        <h3 class="apply-heading">{t('guideMaterials')}</h3>
        <ol class="apply-bullets apply-guide-materials">
          {guide.materials.map((m) => (
            <li key={m.code} data-material={m.code}>
              <strong>{inLanguage(m.name, lang)}</strong> · {t(`form.${m.form}`)} · {t('copies', { copies: m.copies })} <MaterialTag item={item} material={m} />
              {m.note ? <span class="choice-note"> {inLanguage(m.note, lang)}</span> : null}
            </li>
          ))}
        </ol>
        <h3 class="apply-heading">{t('guideBasis')}</h3>
        <ul class="apply-bullets">
          {guide.basis.map((b, i) => (
            <li key={i}>{inLanguage(b, lang)}</li>
          ))}
        </ul>
      </div>
    </Screen>
  );
}
