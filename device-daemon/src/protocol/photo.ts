// Photo interface (J2, ID photos): a face-camera still cropped by face geometry onto a plain
// background, checked against the ID photo rules, previewed, and printed as a sheet with a receipt.
// The source picture stays in the daemon's memory only; the UI gets a preview URL and the checks.
import * as z from 'zod/mini';

/** 1-inch 25x35 mm, 2-inch 35x49 mm, small 2-inch 35x45 mm, ID card 26x32 mm (GA/T 461). */
export const PHOTO_SIZES = ['oneInch', 'twoInch', 'smallTwoInch', 'idCard'] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];

export const PHOTO_BACKGROUNDS = ['white', 'blue', 'red'] as const;
export type PhotoBackground = (typeof PHOTO_BACKGROUNDS)[number];

/**
 * What keeps a photo from passing, most important first. When no cut is possible, noFace (none in
 * the still) and multipleFaces (a second face the size of the first) end Photo.Compose as errors.
 * As issues: noFace, the face was found but the photo lost it to the background (a photo held up);
 * multipleFaces, a smaller face shows inside the cut.
 */
export const PHOTO_ISSUES = ['noFace', 'multipleFaces', 'offCentre', 'headTurned', 'eyesClosed', 'headTooSmall', 'headTooLarge', 'tooDark', 'tooBright', 'unevenLighting', 'blurred'] as const;
export type PhotoIssue = (typeof PHOTO_ISSUES)[number];

/** Ids the daemon issues: 16 random bytes, base64url. */
export const photoIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/));

export const photoSourceSchema = z.union([
  /** A still from Camera.TakePicture: claimed (the camera's store forgets it) and kept with the photo. */
  z.strictObject({ pictureId: z.string().check(z.maxLength(64)) }),
  /** A photo composed before: the kept source again, in another size or background. */
  z.strictObject({ photoId: photoIdSchema }),
]);

export const photoComposePayloadSchema = z.strictObject({
  source: photoSourceSchema,
  size: z.enum(PHOTO_SIZES),
  background: z.enum(PHOTO_BACKGROUNDS),
});

export const photoComplianceSchema = z.object({
  /** No issues: the photo meets the rules the kiosk can check. */
  ok: z.boolean(),
  issues: z.array(z.enum(PHOTO_ISSUES)),
});
export type PhotoCompliance = z.infer<typeof photoComplianceSchema>;

export const photoComposeCompletionSchema = z.object({
  photoId: z.string(),
  /** The composed JPEG for the screen, token-protected (`?token=` added by the UI), kept a few minutes. */
  url: z.string(),
  width: z.int(),
  height: z.int(),
  size: z.enum(PHOTO_SIZES),
  background: z.enum(PHOTO_BACKGROUNDS),
  compliance: photoComplianceSchema,
});
export type PhotoComposeCompletion = z.infer<typeof photoComposeCompletionSchema>;

export const MAX_PHOTO_SHEETS = 4;

/** Prints the photo as last composed (its size and background). */
export const photoPrintPayloadSchema = z.strictObject({
  photoId: photoIdSchema,
  /** A4 sheets, each filled with as many photos as fit; 1 when absent. */
  copies: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_PHOTO_SHEETS))),
});

export const photoPrintCompletionSchema = z.object({
  /** The A4 printer's job (CUPS request id). */
  jobId: z.string(),
  /** The receipt's print job; null when the terminal has no receipt printer. */
  receiptJobId: z.nullable(z.string()),
  /** Six characters on the receipt (and its QR code) and on the sheet's margin, to match the two. */
  pickupCode: z.string(),
  photosPerSheet: z.int(),
  sheets: z.int(),
  /** The receipt came out; false when it waits on the receipt printer (paper out) or there is none. */
  receiptPrinted: z.boolean(),
});
export type PhotoPrintCompletion = z.infer<typeof photoPrintCompletionSchema>;

export const photoDiscardPayloadSchema = z.strictObject({ photoId: photoIdSchema });
/** discarded: false when the photo was already gone (expired, evicted, discarded). */
export const photoDiscardCompletionSchema = z.object({ discarded: z.boolean() });

export const PHOTO_ERROR_CODES = ['pictureGone', 'unknownPhoto', 'photoServiceUnavailable', 'noFace', 'multipleFaces', 'printerNotReady', 'printFailed'] as const;
export type PhotoErrorCode = (typeof PHOTO_ERROR_CODES)[number];

/** The payload of a commandErrorCode completion of Photo.*. */
export const photoErrorPayloadSchema = z.object({
  errorCode: z.enum(PHOTO_ERROR_CODES),
  /** multipleFaces: how many faces were found. */
  faces: z.optional(z.int()),
  /** printerNotReady, printFailed: the photo that is still kept for another try. */
  photoId: z.optional(z.string()),
});
