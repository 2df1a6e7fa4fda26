// J5: apply for a service. The machine says where we are; the effects here call the daemon when a
// state is entered (the list, the guide, a picture, the submission, the slip) and send it what
// came back. The screens live beside this file.
import { catalogueCompletionSchema, guideCompletionSchema, printFormCompletionSchema, submitCompletionSchema, takePictureCompletionSchema } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';
import { useMachine } from '../../flow/use-machine';
import { useKiosk, useText } from '../../session/kiosk-context';
import { IdentityGate } from '../identify/identity-gate';
import { applyItemSchema, incompleteDetailsSchema } from './apply-item';
import { applyTransition, catalogueQuery, initialApply, submitPayload, type ApplyEvent, type ApplyState, type Draft, type SlipState, type SubmitResult } from './apply-machine';
import { CommitmentScreen } from './apply-commitment';
import { FormScreen } from './apply-form';
import { MaterialScreen, ReviewScreen } from './apply-materials';
import { ConfirmScreen, RefusedScreen, ResultScreen } from './apply-result';
import { GuideScreen, SearchScreen } from './apply-search';
import { documentCameraName } from './apply-rules';
import { applyStrings } from './apply-strings';
import './apply.css';

/** Where the slip's QR code leads: the platform's public tracking page (the same form J6 reads back). */
/** How long a picture waits for the document camera to be ready before the resident is told. */
const CAMERA_WAIT_MS = 15_000;

export const TRACK_URL_BASE = 'https://zwfw.example.gov.cn/track?n=';

/** The acceptance slip's data (device-daemon/src/devices/receipt-printer/templates/acceptance-slip.ts). */
export function slipData(draft: Draft, result: SubmitResult, acceptedAt: number): Record<string, unknown> {
  return {
    itemName: draft.item.name.zh.slice(0, 80),
    itemCode: draft.item.code,
    department: draft.item.department.zh.slice(0, 60),
    applicantMasked: draft.card.nameMasked.slice(0, 32),
    trackingNumber: result.trackingNumber,
    acceptedAt: new Date(acceptedAt).toISOString(),
    promisedBy: result.promisedBy,
    missing: result.missing.slice(0, 20).map((m) => ({ name: m.name.zh.slice(0, 80), deadline: m.deadline })),
    trackUrl: `${TRACK_URL_BASE}${encodeURIComponent(result.trackingNumber)}`,
  };
}

function slipOutcome(completionCode: string, errorCode: string | undefined, payload: Record<string, unknown>): SlipState {
  if (completionCode === 'success' && printFormCompletionSchema.safeParse(payload).success) return { status: 'printed' };
  // The job is kept by the daemon and prints when the printer is ready again.
  if (payload['state'] === 'pending') return { status: 'pending', reason: errorCode ?? 'printer' };
  return { status: 'failed' };
}

export function ApplyJourney() {
  const kiosk = useKiosk();
  const { client } = kiosk;
  const t = useText(applyStrings);
  const [state, send] = useMachine((s: ApplyState, e: ApplyEvent) => applyTransition(s, e), () => initialApply, kiosk.clock);

  const search = state.kind === 'search' ? state.search : undefined;
  const listLoading = state.kind === 'search' && state.list.status === 'loading';
  useEffect(() => {
    if (!search || !listLoading) return undefined;
    const abort = new AbortController();
    void client.request('Platform.Catalogue', catalogueQuery(search), { timeoutMs: 15_000, signal: abort.signal }).then((reply) => {
      if (abort.signal.aborted) return;
      const parsed = catalogueCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode !== 'success' || !parsed.success) {
        send({ type: 'listFailed', search });
        return;
      }
      const items = parsed.data.items.filter((i) => i.journey === 'apply').map((i) => ({ code: i.code, name: i.name, department: i.department, category: i.category }));
      send({ type: 'listed', search, items, stale: parsed.data.stale });
    });
    return () => abort.abort();
  }, [listLoading, search?.category, search?.keyword]);

  const guideCode = state.kind === 'guide' && state.item === undefined && !state.failed ? state.code : undefined;
  useEffect(() => {
    if (!guideCode) return;
    void client.request('Platform.Guide', { code: guideCode }, { timeoutMs: 15_000 }).then((reply) => {
      const parsed = guideCompletionSchema.safeParse(reply.payload);
      const item = parsed.success ? applyItemSchema.safeParse(parsed.data.item) : undefined;
      if (reply.completionCode === 'success' && item?.success) send({ type: 'guideLoaded', item: item.data });
      else send({ type: 'guideFailed' });
    });
  }, [guideCode]);

  const taking = state.kind === 'material' && state.taking;
  const camera = documentCameraName(kiosk.devices);
  // After a still the camera resumes its preview (deviceBusy, then online): a take waits for it.
  const cameraReady = camera !== undefined && kiosk.devices[camera]?.common.device === 'online';
  const asked = useRef(false);
  useEffect(() => {
    if (!taking) {
      asked.current = false;
      return undefined;
    }
    // One still per take: the camera going busy and back while it is taken must not ask again.
    if (asked.current) return undefined;
    if (!camera || !cameraReady) {
      const giveUp = setTimeout(() => send({ type: 'captureFailed' }), CAMERA_WAIT_MS);
      return () => clearTimeout(giveUp);
    }
    asked.current = true;
    void client.request('Camera.TakePicture', { device: camera }, { timeoutMs: 30_000 }).then((reply) => {
      const parsed = takePictureCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) send({ type: 'taken', picture: { pictureId: parsed.data.pictureId, url: kiosk.media(parsed.data.url) } });
      else send({ type: 'captureFailed' });
    });
    return undefined;
  }, [taking, cameraReady]);

  const submitting = state.kind === 'confirm' && state.submitting ? state.draft : undefined;
  useEffect(() => {
    if (!submitting) return;
    // Long enough for the daemon's own wait for the platform; it answers "queued" rather than time out.
    void client.request('Platform.Submit', submitPayload(submitting), { timeoutMs: 60_000 }).then((reply) => {
      const parsed = submitCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) {
        send({ type: 'submitted', result: parsed.data });
        return;
      }
      const details = incompleteDetailsSchema.safeParse(reply.payload);
      send({ type: 'refused', code: reply.errorCode ?? reply.completionCode, problem: details.success ? details.data.problem : undefined });
    });
  }, [submitting !== undefined]);

  const printing = (state.kind === 'done' || state.kind === 'queued') && state.slip.status === 'printing' ? state : undefined;
  useEffect(() => {
    if (!printing) return;
    const data = slipData(printing.draft, printing.result, kiosk.clock.now());
    void client.request('Printer.PrintForm', { template: 'acceptance-slip', data }, { timeoutMs: 90_000 }).then((reply) => {
      send({ type: 'slip', slip: slipOutcome(reply.completionCode, reply.errorCode, reply.payload) });
    });
  }, [printing !== undefined]);

  const uncertain = state.kind === 'refused' && state.fix === 'staff';
  useEffect(() => {
    if (uncertain) void client.request('Help.CallStaff', { reason: 'general' });
  }, [uncertain]);

  switch (state.kind) {
    case 'search':
      return <SearchScreen state={state} send={send} />;
    case 'guide':
      return <GuideScreen state={state} send={send} />;
    case 'identity':
      return <IdentityGate title={t('title')} onVerified={(card) => send({ type: 'verified', card })} />;
    case 'form':
      return <FormScreen state={state} send={send} />;
    case 'material':
      return <MaterialScreen state={state} send={send} />;
    case 'review':
      return <ReviewScreen state={state} send={send} />;
    case 'commitment':
      return <CommitmentScreen state={state} send={send} />;
    case 'confirm':
      return <ConfirmScreen state={state} send={send} />;
    case 'done':
    case 'queued':
      return <ResultScreen state={state} />;
    case 'refused':
      return <RefusedScreen state={state} send={send} />;
  }
}
