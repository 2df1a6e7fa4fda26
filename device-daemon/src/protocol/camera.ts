// Camera interface: the face camera and the document camera (高拍仪), both UVC devices read through
// ffmpeg. Live frames reach the UI as a multipart JPEG stream at /camera/<device>/stream; stills are
// held in memory and served once at the URL the completion gives.
import * as z from 'zod/mini';

export const CAMERA_ROLES = ['face', 'document'] as const;
export type CameraRole = (typeof CAMERA_ROLES)[number];

/** running: frames arrive; stalled: the camera stopped sending and is being restarted; stopped: closed. */
export const CAMERA_STREAM_STATES = ['running', 'stalled', 'stopped'] as const;

export const cameraStatusSchema = z.object({
  role: z.enum(CAMERA_ROLES),
  stream: z.enum(CAMERA_STREAM_STATES),
});
export type CameraStatus = z.infer<typeof cameraStatusSchema>;

export const CAMERA_SOURCES = ['v4l2', 'file', 'scene'] as const;

const sizeSchema = z.object({ width: z.int(), height: z.int() });

export const cameraCapabilitiesSchema = z.object({
  role: z.enum(CAMERA_ROLES),
  source: z.enum(CAMERA_SOURCES),
  preview: z.object({ width: z.int(), height: z.int(), fps: z.number() }),
  still: sizeSchema,
  streamPath: z.string(),
});
export type CameraCapabilities = z.infer<typeof cameraCapabilitiesSchema>;

export const takePicturePayloadSchema = z.strictObject({ device: z.optional(z.string()) });

export const takePictureCompletionSchema = z.object({
  pictureId: z.string(),
  width: z.int(),
  height: z.int(),
  /** Token-protected, served once, then forgotten; also forgotten after a few minutes. */
  url: z.string(),
});

export const CAMERA_ERROR_CODES = ['cameraNotReady', 'captureFailed'] as const;
