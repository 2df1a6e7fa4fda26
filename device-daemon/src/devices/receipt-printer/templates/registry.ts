// The receipts the kiosk prints, by name. Data from outside is parsed with each template's schema
// before anything is laid out.
import { err, ok, type Result } from '../../../core/result';
import { RECEIPT_TEMPLATES, type ReceiptTemplateName } from '../../../protocol';
import { formatIssues } from '../../../config/load-config';
import { encodeDocument, renderImageLines, type DocumentError } from '../encoder/receipt-document';
import { acceptanceSlip } from './acceptance-slip';
import { paymentReceipt } from './payment-receipt';
import { photoReceipt } from './photo-receipt';
import { queueTicket } from './queue-ticket';
import { selfTest } from './self-test';
import type { ReceiptTemplate, TemplateContext } from './template';

// The protocol names the templates the UI may ask for; this table must hold exactly those.
export const TEMPLATES = {
  'payment-receipt': paymentReceipt,
  'acceptance-slip': acceptanceSlip,
  'queue-ticket': queueTicket,
  'photo-receipt': photoReceipt,
  'self-test': selfTest,
} as const satisfies Record<ReceiptTemplateName, unknown>;

export type TemplateName = ReceiptTemplateName;
export const TEMPLATE_NAMES: readonly TemplateName[] = RECEIPT_TEMPLATES;

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TEMPLATES, name);
}

export type RenderError = { readonly code: 'invalidData'; readonly message: string } | DocumentError;

async function renderWith<T>(template: ReceiptTemplate<T>, data: unknown, context: TemplateContext): Promise<Result<Uint8Array, RenderError>> {
  const parsed = template.schema.safeParse(data);
  if (!parsed.success) return err({ code: 'invalidData', message: formatIssues(parsed.error.issues) });
  const layout = template.layout(parsed.data, context);
  const images = await renderImageLines(layout.ops);
  const encoded = encodeDocument(layout.ops, context.profile, images);
  return encoded.ok ? ok(encoded.value) : encoded;
}

/** Validates the data and encodes the template to one ESC/POS job. */
export function renderTemplate(name: TemplateName, data: unknown, context: TemplateContext): Promise<Result<Uint8Array, RenderError>> {
  switch (name) {
    case 'payment-receipt':
      return renderWith(paymentReceipt, data, context);
    case 'acceptance-slip':
      return renderWith(acceptanceSlip, data, context);
    case 'queue-ticket':
      return renderWith(queueTicket, data, context);
    case 'photo-receipt':
      return renderWith(photoReceipt, data, context);
    case 'self-test':
      return renderWith(selfTest, data, context);
  }
}

export function sampleData(name: TemplateName): unknown {
  return TEMPLATES[name].sample;
}
