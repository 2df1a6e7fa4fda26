// The command catalogue: every command name with its payload and completion schemas. The daemon
// registers one handler per entry; the UI uses it for typed requests.
import * as z from 'zod/mini';
import {
  authenticatePayloadSchema,
  cancelPayloadSchema,
  capabilitiesCompletionSchema,
  deviceSelectorSchema,
  errorEventSchema,
  statusChangedEventSchema,
  statusCompletionSchema,
} from './common';
import { takePictureCompletionSchema, takePicturePayloadSchema } from './camera';
import { faceChallengeEventSchema, facePromptEventSchema, faceVerifyCompletionSchema, faceVerifyPayloadSchema } from './face';
import { cardInsertedEventSchema, cardRemovedEventSchema, idCardReadCompletionSchema, idCardReadPayloadSchema } from './id-card';
import {
  getJobPayloadSchema,
  jobStateChangedEventSchema,
  printerResetPayloadSchema,
  printFormCompletionSchema,
  printFormPayloadSchema,
  printJobSchema,
  printRawPayloadSchema,
} from './printer';
import { scannerReadCompletionSchema, scannerReadPayloadSchema } from './scanner';
import {
  callStaffCompletionSchema,
  callStaffPayloadSchema,
  journeyPayloadSchema,
  kioskHealthSchema,
  queueTicketCompletionSchema,
  queueTicketPayloadSchema,
  settingsCompletionSchema,
  technicianLoginCompletionSchema,
  technicianLoginPayloadSchema,
} from './kiosk';
import { billCompletionSchema, lookupBillPayloadSchema, paymentCreatePayloadSchema, paymentOrderPayloadSchema, paymentStateChangedEventSchema, paymentViewSchema } from './payment';
import {
  catalogueCompletionSchema,
  catalogueQuerySchema,
  certificatePreviewCompletionSchema,
  certificatePreviewPayloadSchema,
  certificatesCompletionSchema,
  certificatesPayloadSchema,
  guideCompletionSchema,
  guidePayloadSchema,
  printCertificateCompletionSchema,
  printCertificatePayloadSchema,
  progressCompletionSchema,
  progressPayloadSchema,
  rateCompletionSchema,
  ratePayloadSchema,
  submissionStatusCompletionSchema,
  submissionStatusPayloadSchema,
  submitCompletionSchema,
  submitPayloadSchema,
} from './platform';
import {
  photoComposeCompletionSchema,
  photoComposePayloadSchema,
  photoDiscardCompletionSchema,
  photoDiscardPayloadSchema,
  photoPrintCompletionSchema,
  photoPrintPayloadSchema,
} from './photo';
import { countersCompletionSchema, selfTestCompletionSchema, selfTestPayloadSchema } from './technician';

const emptySchema = z.object({});

export const commands = {
  'Kiosk.Authenticate': { payload: authenticatePayloadSchema, completion: emptySchema },
  'Kiosk.Settings': { payload: emptySchema, completion: settingsCompletionSchema },
  'Kiosk.Health': { payload: emptySchema, completion: kioskHealthSchema },
  'Technician.Login': { payload: technicianLoginPayloadSchema, completion: technicianLoginCompletionSchema },
  'Technician.Logout': { payload: emptySchema, completion: emptySchema },
  'Technician.SelfTest': { payload: selfTestPayloadSchema, completion: selfTestCompletionSchema },
  'Technician.Counters': { payload: emptySchema, completion: countersCompletionSchema },
  'Help.CallStaff': { payload: callStaffPayloadSchema, completion: callStaffCompletionSchema },
  'Help.QueueTicket': { payload: queueTicketPayloadSchema, completion: queueTicketCompletionSchema },
  'Kiosk.Journey': { payload: journeyPayloadSchema, completion: emptySchema },
  'Common.Status': { payload: deviceSelectorSchema, completion: statusCompletionSchema },
  'Common.Capabilities': { payload: deviceSelectorSchema, completion: capabilitiesCompletionSchema },
  'Common.Cancel': { payload: cancelPayloadSchema, completion: emptySchema },
  'Printer.Reset': { payload: printerResetPayloadSchema, completion: emptySchema },
  'Printer.PrintRaw': { payload: printRawPayloadSchema, completion: emptySchema },
  'Printer.PrintForm': { payload: printFormPayloadSchema, completion: printFormCompletionSchema },
  'Printer.GetJob': { payload: getJobPayloadSchema, completion: printJobSchema },
  'IdCard.Read': { payload: idCardReadPayloadSchema, completion: idCardReadCompletionSchema },
  'Camera.TakePicture': { payload: takePicturePayloadSchema, completion: takePictureCompletionSchema },
  'Scanner.Read': { payload: scannerReadPayloadSchema, completion: scannerReadCompletionSchema },
  'Face.Verify': { payload: faceVerifyPayloadSchema, completion: faceVerifyCompletionSchema },
  'Platform.Catalogue': { payload: catalogueQuerySchema, completion: catalogueCompletionSchema },
  'Platform.Guide': { payload: guidePayloadSchema, completion: guideCompletionSchema },
  'Platform.Submit': { payload: submitPayloadSchema, completion: submitCompletionSchema },
  'Platform.SubmissionStatus': { payload: submissionStatusPayloadSchema, completion: submissionStatusCompletionSchema },
  'Platform.Progress': { payload: progressPayloadSchema, completion: progressCompletionSchema },
  'Platform.Certificates': { payload: certificatesPayloadSchema, completion: certificatesCompletionSchema },
  'Platform.CertificatePreview': { payload: certificatePreviewPayloadSchema, completion: certificatePreviewCompletionSchema },
  'Platform.PrintCertificate': { payload: printCertificatePayloadSchema, completion: printCertificateCompletionSchema },
  'Platform.Rate': { payload: ratePayloadSchema, completion: rateCompletionSchema },
  'Payment.LookupBill': { payload: lookupBillPayloadSchema, completion: billCompletionSchema },
  'Payment.Create': { payload: paymentCreatePayloadSchema, completion: paymentViewSchema },
  'Payment.Query': { payload: paymentOrderPayloadSchema, completion: paymentViewSchema },
  'Payment.Cancel': { payload: paymentOrderPayloadSchema, completion: paymentViewSchema },
  'Photo.Compose': { payload: photoComposePayloadSchema, completion: photoComposeCompletionSchema },
  'Photo.Print': { payload: photoPrintPayloadSchema, completion: photoPrintCompletionSchema },
  'Photo.Discard': { payload: photoDiscardPayloadSchema, completion: photoDiscardCompletionSchema },
} as const;

/** Events a command sends to its requester before its completion. */
export const solicitedEvents = {
  'Face.PromptEvent': facePromptEventSchema,
  'Face.ChallengeEvent': faceChallengeEventSchema,
} as const;

export type CommandName = keyof typeof commands;
export type CommandPayload<N extends CommandName> = z.infer<(typeof commands)[N]['payload']>;
export type CompletionPayload<N extends CommandName> = z.infer<(typeof commands)[N]['completion']>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

export const unsolicitedEvents = {
  'Common.StatusChangedEvent': statusChangedEventSchema,
  'Common.ErrorEvent': errorEventSchema,
  'IdCard.CardInserted': cardInsertedEventSchema,
  'IdCard.CardRemoved': cardRemovedEventSchema,
  'Printer.JobStateChanged': jobStateChangedEventSchema,
  'Payment.StateChanged': paymentStateChangedEventSchema,
  'Kiosk.HealthChanged': kioskHealthSchema,
} as const;
export type UnsolicitedEventName = keyof typeof unsolicitedEvents;
export type UnsolicitedPayload<N extends UnsolicitedEventName> = z.infer<(typeof unsolicitedEvents)[N]>;

/** Close codes the daemon uses on the UI WebSocket. */
export const CLOSE_CODES = {
  unauthorized: 4401,
  shuttingDown: 1001,
} as const;
