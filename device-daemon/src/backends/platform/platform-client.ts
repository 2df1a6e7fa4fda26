// The kiosk's side of the platform API: one method per call, each bounded and parsed. Submissions,
// ratings and supervision events are not sent from here directly but through the outbox, which
// calls these with the message id as the idempotency key.
import { z } from 'zod';
import { err, ok, type Result } from '../../core/result';
import type { HttpError, JsonClient } from '../http/json-client';
import {
  catalogueSchema,
  certificateListSchema,
  identityPhotoSchema,
  progressSchema,
  ratingReplySchema,
  submissionReplySchema,
  supervisionReplySchema,
  type Catalogue,
  type Certificate,
  type Progress,
  type Rating,
  type Submission,
  type SubmissionReply,
  type SupervisionEvent,
} from './platform-api';

export interface PersonRef {
  readonly name: string;
  readonly idNumber: string;
}

const PDF_MAX_BYTES = 16 * 1024 * 1024;

export class PlatformClient {
  constructor(
    private readonly http: JsonClient,
    private readonly pdfHttp: JsonClient = http,
  ) {}

  catalogue(region: string, signal: AbortSignal): Promise<Result<Catalogue, HttpError>> {
    return this.http.call('GET', `/v1/catalogue?region=${encodeURIComponent(region)}`, undefined, catalogueSchema, signal);
  }

  submit(submission: Submission, idempotencyKey: string, signal: AbortSignal): Promise<Result<SubmissionReply, HttpError>> {
    return this.http.call('POST', '/v1/applications', submission, submissionReplySchema, signal, { 'idempotency-key': idempotencyKey });
  }

  progress(trackingNumber: string, signal: AbortSignal): Promise<Result<Progress, HttpError>> {
    return this.http.call('GET', `/v1/applications/${encodeURIComponent(trackingNumber)}`, undefined, progressSchema, signal);
  }

  async certificates(person: PersonRef, signal: AbortSignal): Promise<Result<Certificate[], HttpError>> {
    const list = await this.http.call('POST', '/v1/certificates/query', person, certificateListSchema, signal);
    return list.ok ? ok(list.value.certificates) : list;
  }

  async certificatePdf(id: string, person: PersonRef, signal: AbortSignal): Promise<Result<Buffer, HttpError>> {
    const pdf = await this.pdfHttp.bytes('POST', `/v1/certificates/${encodeURIComponent(id)}/pdf`, person, signal, 'application/pdf');
    if (!pdf.ok) return pdf;
    if (pdf.value.length > PDF_MAX_BYTES || pdf.value.subarray(0, 5).toString('latin1') !== '%PDF-') return err({ kind: 'malformed', message: 'the certificate is not a PDF' });
    return pdf;
  }

  async certificatePreview(id: string, person: PersonRef, signal: AbortSignal): Promise<Result<Buffer, HttpError>> {
    const png = await this.pdfHttp.bytes('POST', `/v1/certificates/${encodeURIComponent(id)}/preview`, person, signal, 'image/png');
    if (!png.ok) return png;
    if (png.value.subarray(1, 4).toString('latin1') !== 'PNG') return err({ kind: 'malformed', message: 'the preview is not a PNG' });
    return png;
  }

  rate(rating: Rating, signal: AbortSignal): Promise<Result<z.infer<typeof ratingReplySchema>, HttpError>> {
    return this.http.call('POST', '/v1/ratings', rating, ratingReplySchema, signal, { 'idempotency-key': rating.ratingId });
  }

  supervise(event: SupervisionEvent, signal: AbortSignal): Promise<Result<z.infer<typeof supervisionReplySchema>, HttpError>> {
    return this.http.call('POST', '/v1/supervision-events', event, supervisionReplySchema, signal, { 'idempotency-key': event.eventId });
  }

  async identityPhoto(person: PersonRef, signal: AbortSignal): Promise<Result<Buffer, HttpError>> {
    const reply = await this.http.call('POST', '/v1/identity-photo', person, identityPhotoSchema, signal);
    return reply.ok ? ok(Buffer.from(reply.value.photo, 'base64')) : reply;
  }
}
