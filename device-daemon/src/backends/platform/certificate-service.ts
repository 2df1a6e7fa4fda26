// Certificates (J3): what the platform holds for a verified resident, and printing one on the A4
// printer. The PDF passes through memory only; printing it is reported to the platform (审管互动).
import { randomUUID } from 'node:crypto';
import { deadline } from '../../core/deadline';
import { err, ok, type Result } from '../../core/result';
import type { DocumentPrinter } from '../../devices/document-printer/document-printer';
import type { OutboxSender } from '../outbox/outbox-sender';
import type { OutboxStore } from '../outbox/outbox-store';
import type { Certificate, SupervisionEvent } from './platform-api';
import type { PlatformClient } from './platform-client';
import { residentOf, type ResidentLookup } from './resident';

export type CertificateError = { readonly code: 'noReference' | 'notVerified' | 'platformUnavailable' | 'unknownCertificate' | 'printerNotReady' | 'printFailed' | 'timeout' | 'canceled'; readonly message: string };

export class CertificateService {
  constructor(
    private readonly client: PlatformClient,
    private readonly residents: ResidentLookup,
    private readonly printers: ReadonlyMap<string, DocumentPrinter>,
    private readonly outbox: OutboxStore,
    private readonly sender: OutboxSender,
    private readonly terminalId: string,
    private readonly timeoutMs: number,
  ) {}

  async list(readId: string, signal: AbortSignal): Promise<Result<Certificate[], CertificateError>> {
    const resident = residentOf(this.residents, readId);
    if (!resident.ok) return resident;
    const guard = deadline(signal, this.timeoutMs, 'certificate list');
    const list = await this.client.certificates({ name: resident.value.name, idNumber: resident.value.idNumber }, guard.signal);
    guard.dispose();
    return list.ok ? list : err({ code: 'platformUnavailable', message: list.error.message });
  }

  /** The platform's preview of a certificate (a PNG of its first page) for the resident's screen. */
  async preview(readId: string, certificateId: string, signal: AbortSignal): Promise<Result<Buffer, CertificateError>> {
    const resident = residentOf(this.residents, readId);
    if (!resident.ok) return resident;
    const guard = deadline(signal, this.timeoutMs, 'certificate preview');
    const png = await this.client.certificatePreview(certificateId, { name: resident.value.name, idNumber: resident.value.idNumber }, guard.signal);
    guard.dispose();
    if (!png.ok) return err({ code: png.error.status === 404 ? 'unknownCertificate' : 'platformUnavailable', message: png.error.message });
    return png;
  }

  async print(readId: string, certificateId: string, printerName: string | undefined, signal: AbortSignal): Promise<Result<{ jobId: string; pages: number; title: string }, CertificateError>> {
    const resident = residentOf(this.residents, readId);
    if (!resident.ok) return resident;
    const printer = printerName === undefined ? this.printers.values().next().value : this.printers.get(printerName);
    if (!printer) return err({ code: 'printerNotReady', message: 'this terminal has no A4 printer' });
    if (printer.status().common.device !== 'online') return err({ code: 'printerNotReady', message: `the A4 printer is ${printer.status().common.device}` });
    const person = { name: resident.value.name, idNumber: resident.value.idNumber };
    const guard = deadline(signal, this.timeoutMs, 'certificate');
    try {
      const list = await this.client.certificates(person, guard.signal);
      if (!list.ok) return err({ code: 'platformUnavailable', message: list.error.message });
      const certificate = list.value.find((c) => c.id === certificateId);
      if (!certificate) return err({ code: 'unknownCertificate', message: 'the platform holds no such certificate for this resident' });
      const pdf = await this.client.certificatePdf(certificateId, person, guard.signal);
      if (!pdf.ok) return err({ code: 'platformUnavailable', message: pdf.error.message });
      const printed = await printer.print(pdf.value, certificate.title.zh, guard.signal);
      pdf.value.fill(0);
      if (!printed.ok) return err(printed.error);
      const event: SupervisionEvent = { eventId: randomUUID(), transactionId: `print-${printed.value.jobId}`.slice(0, 64), action: 'certificatePrinted', terminalId: this.terminalId, at: new Date().toISOString() };
      this.outbox.enqueue('supervision', event.transactionId, event);
      this.sender.kick();
      return ok({ jobId: printed.value.jobId, pages: certificate.pages, title: certificate.title.zh });
    } finally {
      guard.dispose();
    }
  }
}
