// J3: after the identity check, the certificates the platform holds for this person; a preview;
// printing on A4 with the platform's verification QR code.
import { certificatePreviewCompletionSchema, certificatesCompletionSchema, printCertificateCompletionSchema } from '@protocol';
import { useEffect } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useMachine } from '../../flow/use-machine';
import { useKiosk, useText } from '../../session/kiosk-context';
import { IdentityGate } from '../identify/identity-gate';
import { certificatesTransition, initialCertificates, type CertificatesEvent, type ListProblem, type PrintProblem } from './certificates-machine';
import { certificatesStrings } from './certificates-strings';

function listProblem(code: string | undefined): ListProblem {
  return code === 'platformUnavailable' || code === 'notVerified' ? code : 'other';
}

function printProblem(code: string | undefined): PrintProblem {
  return code === 'printerNotReady' || code === 'platformUnavailable' ? code : 'other';
}

export function CertificatesJourney() {
  const kiosk = useKiosk();
  const t = useText(certificatesStrings);
  const [state, send] = useMachine((s, e: CertificatesEvent) => certificatesTransition(s, e), () => initialCertificates, kiosk.clock);
  const readId = kiosk.session.card?.readId;
  const zh = kiosk.session.language === 'zh-CN';

  useEffect(() => {
    if (!readId) return;
    if (state.kind === 'loading') {
      void kiosk.client.request('Platform.Certificates', { readId }, { timeoutMs: 30_000 }).then((reply) => {
        const parsed = certificatesCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'listed', certificates: parsed.data.certificates });
        else send({ type: 'listFailed', problem: listProblem(reply.errorCode) });
      });
    }
    if (state.kind === 'previewing') {
      void kiosk.client.request('Platform.CertificatePreview', { readId, certificateId: state.chosen.id }, { timeoutMs: 30_000 }).then((reply) => {
        const parsed = certificatePreviewCompletionSchema.safeParse(reply.payload);
        send({ type: 'previewed', url: reply.completionCode === 'success' && parsed.success ? kiosk.media(parsed.data.url) : undefined });
      });
    }
    if (state.kind === 'printing') {
      void kiosk.client.request('Platform.PrintCertificate', { readId, certificateId: state.chosen.id }, { timeoutMs: 120_000 }).then((reply) => {
        const parsed = printCertificateCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'printed', jobId: parsed.data.jobId, pages: parsed.data.pages });
        else send({ type: 'printFailed', problem: printProblem(reply.errorCode) });
      });
    }
  }, [state.kind]);

  if (state.kind === 'identify') return <IdentityGate title={t('title')} onVerified={() => send({ type: 'verified' })} />;

  switch (state.kind) {
    case 'loading':
    case 'previewing':
    case 'printing':
      return (
        <Screen id={`certificates-${state.kind}`} title={t('title')} say={t(state.kind)} noHome={state.kind === 'printing'}>
          <p class="lead" role="status">
            {t(state.kind)}
          </p>
        </Screen>
      );
    case 'listFailed':
      return (
        <Screen
          id="certificates-list-failed"
          title={t('title')}
          say={t(state.problem)}
          actions={
            <button type="button" class="primary" onClick={() => send({ type: 'retry' })}>
              {t('retry')}
            </button>
          }
        >
          <p class="lead" role="alert" data-problem={state.problem}>
            <span aria-hidden="true">⚠ </span>
            {t(state.problem)}
          </p>
        </Screen>
      );
    case 'list':
      return (
        <Screen id="certificates-list" title={t('listTitle')} say={state.certificates.length === 0 ? t('none') : t('listTitle')}>
          {state.certificates.length === 0 ? <p class="lead">{t('none')}</p> : null}
          <ul class="pick-list">
            {state.certificates.map((c) => (
              <li key={c.id}>
                <button type="button" class="choice" data-certificate={c.kind} onClick={() => send({ type: 'choose', id: c.id })}>
                  <span>{zh ? c.title.zh : c.title.en}</span>
                  <span class="choice-note">{t('issued', { issuer: c.issuer, date: c.issuedAt.slice(0, 10), pages: c.pages })}</span>
                </button>
              </li>
            ))}
          </ul>
        </Screen>
      );
    case 'preview': {
      const title = zh ? state.chosen.title.zh : state.chosen.title.en;
      return (
        <Screen
          id="certificates-preview"
          title={`${t('previewTitle')} · ${title}`}
          say={`${title}。${t('print')}`}
          onBack={() => send({ type: 'back' })}
          actions={
            <button type="button" class="primary" data-action="print" onClick={() => send({ type: 'print' })}>
              {t('print')}
            </button>
          }
        >
          {state.url ? <img class="document-preview" src={state.url} alt={t('previewAlt', { title })} /> : <p class="lead">{t('noPreview')}</p>}
        </Screen>
      );
    }
    case 'printed': {
      const title = zh ? state.chosen.title.zh : state.chosen.title.en;
      const text = t('printed', { title, pages: state.pages });
      return (
        <Screen
          id="certificates-printed"
          title={t('title')}
          say={text}
          noHome
          actions={
            <button
              type="button"
              class="primary"
              data-action="done"
              onClick={() => kiosk.send({ type: 'completed', transaction: { id: state.jobId, journey: 'J3', label: { zh: `打印${state.chosen.title.zh}`, en: `Printed ${state.chosen.title.en}` } } })}
            >
              {t('done')}
            </button>
          }
        >
          <p class="lead" role="status">
            <span aria-hidden="true">✓ </span>
            {text}
          </p>
        </Screen>
      );
    }
    case 'printFailed': {
      const text = state.problem === 'printerNotReady' ? t('printerNotReady') : state.problem === 'platformUnavailable' ? t('platformUnavailable') : t('printOther');
      return (
        <Screen
          id="certificates-print-failed"
          title={t('title')}
          say={text}
          onBack={() => send({ type: 'back' })}
          actions={
            <button type="button" class="primary" onClick={() => send({ type: 'retry' })}>
              {t('retry')}
            </button>
          }
        >
          <p class="lead" role="alert" data-problem={state.problem}>
            <span aria-hidden="true">⚠ </span>
            {text}
          </p>
        </Screen>
      );
    }
  }
}
