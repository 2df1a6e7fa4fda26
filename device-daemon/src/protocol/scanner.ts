// Barcode reader interface: a USB HID scanner (keyboard reports through node-hid) and codes found in
// camera frames (@zxing/library) feed the same command.
import * as z from 'zod/mini';

export const SYMBOLOGIES = ['qr', 'code128', 'ean13', 'ean8'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

export const barcodeReaderStatusSchema = z.object({
  /** Whether the reader is armed for a Scanner.Read right now. */
  scanning: z.boolean(),
});
export type BarcodeReaderStatus = z.infer<typeof barcodeReaderStatusSchema>;

export const barcodeReaderCapabilitiesSchema = z.object({
  source: z.enum(['hid', 'camera']),
  symbologies: z.array(z.enum(SYMBOLOGIES)),
});
export type BarcodeReaderCapabilities = z.infer<typeof barcodeReaderCapabilitiesSchema>;

export const scannerReadPayloadSchema = z.strictObject({
  /** A scanner or a camera by name; all of them when absent. */
  devices: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(8))),
  symbologies: z.optional(z.array(z.enum(SYMBOLOGIES)).check(z.minLength(1))),
});

export const scannerReadCompletionSchema = z.object({
  text: z.string(),
  /** unknown: a HID scanner that sends no symbology identifier, for a code that is not an EAN. */
  symbology: z.enum([...SYMBOLOGIES, 'unknown']),
  source: z.enum(['hid', 'camera']),
  device: z.string(),
});
export type ScannerReadCompletion = z.infer<typeof scannerReadCompletionSchema>;
