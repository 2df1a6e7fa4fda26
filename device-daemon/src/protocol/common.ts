// Common interface: status model (XFS4IoT Common.Status), capabilities, cancel, and the unsolicited
// StatusChangedEvent / ErrorEvent every device emits.
import * as z from 'zod/mini';
import { requestIdSchema } from './envelope';
import { cameraCapabilitiesSchema, cameraStatusSchema } from './camera';
import { idCardCapabilitiesSchema, idCardStatusSchema } from './id-card';
import { documentPrinterCapabilitiesSchema, documentPrinterStatusSchema, printerCapabilitiesSchema, printerStatusSchema } from './printer';
import { barcodeReaderCapabilitiesSchema, barcodeReaderStatusSchema } from './scanner';

export const DEVICE_STATES = [
  'online',
  'offline',
  'powerOff',
  'noDevice',
  'hardwareError',
  'userError',
  'deviceBusy',
  'starting',
] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_POSITIONS = ['inPosition', 'notInPosition', 'unknown'] as const;

export const commonStatusSchema = z.object({
  device: z.enum(DEVICE_STATES),
  devicePosition: z.enum(DEVICE_POSITIONS),
});
export type CommonStatus = z.infer<typeof commonStatusSchema>;

/** Logical device names come from config: letters and digits, starting lower-case. */
export const deviceNameSchema = z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,31}$/));

export const DEVICE_CLASSES = ['printer', 'idCardReader', 'camera', 'barcodeReader', 'documentPrinter'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** A device's status: the common part plus the section of its class. */
export const deviceStatusSchema = z.object({
  deviceClass: z.enum(DEVICE_CLASSES),
  common: commonStatusSchema,
  printer: z.optional(printerStatusSchema),
  idCardReader: z.optional(idCardStatusSchema),
  camera: z.optional(cameraStatusSchema),
  barcodeReader: z.optional(barcodeReaderStatusSchema),
  documentPrinter: z.optional(documentPrinterStatusSchema),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const deviceInformationSchema = z.object({
  modelName: z.string(),
  serialNumber: z.string(),
  revisionNumber: z.string(),
  modelDescription: z.string(),
  simulated: z.boolean(),
});
export type DeviceInformation = z.infer<typeof deviceInformationSchema>;

export const deviceCapabilitiesSchema = z.object({
  deviceClass: z.enum(DEVICE_CLASSES),
  common: z.object({
    serviceVersion: z.string(),
    deviceInformation: z.array(deviceInformationSchema),
    healthLevels: z.array(z.enum(['internal', 'external', 'interactive'])),
  }),
  interfaces: z.array(z.object({ name: z.string(), commands: z.array(z.string()), events: z.array(z.string()) })),
  printer: z.optional(printerCapabilitiesSchema),
  idCardReader: z.optional(idCardCapabilitiesSchema),
  camera: z.optional(cameraCapabilitiesSchema),
  barcodeReader: z.optional(barcodeReaderCapabilitiesSchema),
  documentPrinter: z.optional(documentPrinterCapabilitiesSchema),
});
export type DeviceCapabilities = z.infer<typeof deviceCapabilitiesSchema>;

/** Common.Status and Common.Capabilities: one device by name, or all of them. */
export const deviceSelectorSchema = z.strictObject({ device: z.optional(deviceNameSchema) });

export const statusCompletionSchema = z.object({ devices: z.record(z.string(), deviceStatusSchema) });
export const capabilitiesCompletionSchema = z.object({ devices: z.record(z.string(), deviceCapabilitiesSchema) });

export const cancelPayloadSchema = z.strictObject({
  requestIds: z.optional(z.array(requestIdSchema).check(z.maxLength(256))),
});

export const authenticatePayloadSchema = z.strictObject({ token: z.string().check(z.maxLength(256)) });

/** Unsolicited: only the properties that changed are present. */
export const statusChangedEventSchema = z.object({
  device: z.string(),
  common: z.optional(z.partial(commonStatusSchema)),
  printer: z.optional(z.partial(printerStatusSchema)),
  idCardReader: z.optional(z.partial(idCardStatusSchema)),
  camera: z.optional(z.partial(cameraStatusSchema)),
  barcodeReader: z.optional(z.partial(barcodeReaderStatusSchema)),
  documentPrinter: z.optional(z.partial(documentPrinterStatusSchema)),
});
export type StatusChangedEvent = z.infer<typeof statusChangedEventSchema>;

export const ERROR_EVENT_IDS = ['hardware', 'software', 'user'] as const;
/** What has to happen: reset by software, clear by staff (paper), maintenance by an engineer, suspend while auto-recovery runs. */
export const ERROR_ACTIONS = ['reset', 'clear', 'maintenance', 'suspend'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const errorEventSchema = z.object({
  device: z.string(),
  eventId: z.enum(ERROR_EVENT_IDS),
  action: z.enum(ERROR_ACTIONS),
  vendorDescription: z.string(),
});
export type ErrorEvent = z.infer<typeof errorEventSchema>;
