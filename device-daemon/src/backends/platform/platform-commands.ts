// Platform.* over the WebSocket: what the journeys need of the government platform. Personal data
// is resolved inside the daemon from the card read; the UI gets what the screen shows.
import { reasonOf } from '../../core/deadline';
import { commandError, failure, success, type CommandHandler, type Failure } from '../../server/command-registry';
import type { ApplicationService } from './application-service';
import type { CatalogueService } from './catalogue-service';
import type { CertificateService } from './certificate-service';
import type { PlatformClient } from './platform-client';
import type { RatingService } from './rating-service';
import type { ViewStore } from '../../server/view-store';

export interface PlatformServices {
  /** Where pictures for the resident's screen are kept (served at /view/<id>). */
  readonly views: ViewStore;
  readonly catalogue: CatalogueService;
  readonly applications: ApplicationService;
  readonly certificates: CertificateService;
  readonly ratings: RatingService;
  readonly client: PlatformClient;
  readonly timeoutMs: number;
}

type Names = 'Platform.Catalogue' | 'Platform.Guide' | 'Platform.Submit' | 'Platform.SubmissionStatus' | 'Platform.Progress' | 'Platform.Certificates' | 'Platform.CertificatePreview' | 'Platform.PrintCertificate' | 'Platform.Rate';

const aborted = (signal: AbortSignal, message: string): Failure => (reasonOf(signal).kind === 'timeout' ? failure('timeOut', message) : failure('canceled', message));

export function platformCommands(services: PlatformServices): { [N in Names]: CommandHandler<N> }[Names][] {
  const catalogue: CommandHandler<'Platform.Catalogue'> = {
    name: 'Platform.Catalogue',
    async handle({ payload }) {
      const state = services.catalogue.state();
      if (!state.catalogue) return commandError('platformUnavailable', `the service list has never been synced: ${state.lastError ?? 'no answer yet'}`);
      const query = payload.query?.trim().toLowerCase();
      const items = state.catalogue.items
        .filter((i) => (payload.category ? i.category === payload.category : true))
        .filter((i) => (payload.journey ? i.journey === payload.journey : true))
        .filter((i) => (query ? i.name.zh.includes(query) || i.name.en.toLowerCase().includes(query) || i.department.zh.includes(query) || i.code.toLowerCase() === query : true))
        .map((i) => ({ code: i.code, name: i.name, category: i.category, department: i.department, journey: i.journey, ...(i.utility ? { utility: i.utility } : {}) }));
      return success({ region: state.catalogue.region, regionName: state.catalogue.regionName, version: state.catalogue.version, syncedAt: state.syncedAt ?? null, stale: state.stale, items });
    },
  };
  const guide: CommandHandler<'Platform.Guide'> = {
    name: 'Platform.Guide',
    async handle({ payload }) {
      const item = services.catalogue.item(payload.code);
      return item ? success({ item: { ...item } }) : commandError('unknownItem', `item ${payload.code} is not in this township's list`);
    },
  };
  const submit: CommandHandler<'Platform.Submit'> = {
    name: 'Platform.Submit',
    async handle({ payload }) {
      const result = await services.applications.submit({ readId: payload.readId, itemCode: payload.itemCode, form: payload.form, materials: payload.materials, missing: payload.missing, commitment: payload.commitment });
      if (result.ok) return success(result.value);
      const failed = commandError(result.error.code, result.error.message);
      return result.error.code === 'applicationIncomplete' ? { ...failed, details: { problem: result.error.problem } } : failed;
    },
  };
  const submissionStatus: CommandHandler<'Platform.SubmissionStatus'> = {
    name: 'Platform.SubmissionStatus',
    async handle({ payload }) {
      const status = services.applications.status(payload.trackingNumber);
      return status ? success(status) : commandError('unknownItem', 'no submission from this terminal has that tracking number');
    },
  };
  const progress: CommandHandler<'Platform.Progress'> = {
    name: 'Platform.Progress',
    async handle({ payload, signal }) {
      const reply = await services.client.progress(payload.trackingNumber, signal);
      if (reply.ok) return success({ trackingNumber: reply.value.trackingNumber, itemName: reply.value.itemName, status: reply.value.status, timeline: reply.value.timeline });
      if (signal.aborted) return aborted(signal, reply.error.message);
      if (reply.error.status === 404) {
        // Not at the platform yet: a submission from this kiosk that is still queued says so.
        const local = services.applications.status(payload.trackingNumber);
        if (local?.state === 'queued') return commandError('platformUnavailable', 'the application is stored here and will reach the platform when it answers');
        return commandError('unknownItem', 'no application with that tracking number');
      }
      return commandError('platformUnavailable', reply.error.message);
    },
  };
  const certificates: CommandHandler<'Platform.Certificates'> = {
    name: 'Platform.Certificates',
    async handle({ payload, signal }) {
      const list = await services.certificates.list(payload.readId, signal);
      if (list.ok) return success({ certificates: list.value });
      if (signal.aborted) return aborted(signal, list.error.message);
      return commandError(list.error.code, list.error.message);
    },
  };
  const preview: CommandHandler<'Platform.CertificatePreview'> = {
    name: 'Platform.CertificatePreview',
    async handle({ payload, signal }) {
      const png = await services.certificates.preview(payload.readId, payload.certificateId, signal);
      if (png.ok) return success({ url: `/view/${services.views.put(png.value, 'image/png')}` });
      if (signal.aborted) return aborted(signal, png.error.message);
      return commandError(png.error.code, png.error.message);
    },
  };
  const printCertificate: CommandHandler<'Platform.PrintCertificate'> = {
    name: 'Platform.PrintCertificate',
    device: (payload) => payload.device,
    async handle({ payload, signal }) {
      const printed = await services.certificates.print(payload.readId, payload.certificateId, payload.device, signal);
      if (printed.ok) return success({ jobId: printed.value.jobId, pages: printed.value.pages, state: 'queued' });
      if (printed.error.code === 'timeout' || printed.error.code === 'canceled') return aborted(signal, printed.error.message);
      return commandError(printed.error.code, printed.error.message);
    },
  };
  const rate: CommandHandler<'Platform.Rate'> = {
    name: 'Platform.Rate',
    async handle({ payload }) {
      const rated = services.ratings.rate(payload);
      return rated.ok ? success(rated.value) : commandError(rated.error.code, rated.error.message);
    },
  };
  return [catalogue, guide, submit, submissionStatus, progress, certificates, preview, printCertificate, rate];
}
