// ffmpeg command lines for each camera source. A UVC camera's MJPEG passes through untouched (no
// decode, no re-encode); fixtures and scripted scenes are encoded to MJPEG so that the daemon reads
// exactly what a camera would send.
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

export interface PreviewFormat extends FrameSize {
  readonly fps: number;
}

export type CameraSource =
  /** A UVC camera: /dev/video0 or /dev/v4l/by-id/... */
  | { readonly kind: 'v4l2'; readonly device: string }
  /** A fixture video or still image, looped. */
  | { readonly kind: 'file'; readonly path: string }
  /** Raw RGB frames written to ffmpeg's stdin by the scene simulator. */
  | { readonly kind: 'scene' };

const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats'];
const MJPEG_OUT = ['-f', 'mjpeg', 'pipe:1'];
const ENCODE = ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '4'];
const STILL_IMAGE = /\.(png|jpe?g|bmp|webp)$/i;

export function previewArgs(source: CameraSource, format: PreviewFormat): string[] {
  const size = `${format.width}x${format.height}`;
  switch (source.kind) {
    case 'v4l2':
      return [...QUIET, '-f', 'v4l2', '-input_format', 'mjpeg', '-framerate', String(format.fps), '-video_size', size, '-i', source.device, '-c:v', 'copy', ...MJPEG_OUT];
    case 'file': {
      const input = STILL_IMAGE.test(source.path) ? ['-loop', '1', '-framerate', String(format.fps), '-re', '-i', source.path] : ['-re', '-stream_loop', '-1', '-i', source.path];
      const fit = `scale=${format.width}:${format.height}:force_original_aspect_ratio=decrease,pad=${format.width}:${format.height}:(ow-iw)/2:(oh-ih)/2,fps=${format.fps}`;
      return [...QUIET, ...input, '-an', '-vf', fit, ...ENCODE, ...MJPEG_OUT];
    }
    case 'scene':
      return [...QUIET.filter((a) => a !== '-nostdin'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', size, '-framerate', String(format.fps), '-i', 'pipe:0', ...ENCODE, ...MJPEG_OUT];
  }
}

/**
 * One full-resolution still. A UVC camera is opened at the still size and a few frames are let
 * pass while its exposure settles; the last one is kept by the caller.
 */
export function stillArgs(source: CameraSource, size: FrameSize, settleFrames: number): string[] {
  const dims = `${size.width}x${size.height}`;
  switch (source.kind) {
    case 'v4l2':
      return [...QUIET, '-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', dims, '-i', source.device, '-frames:v', String(settleFrames + 1), '-c:v', 'copy', ...MJPEG_OUT];
    case 'file':
      return [...QUIET, '-i', source.path, '-frames:v', '1', '-an', '-vf', `scale=${size.width}:${size.height}`, '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '2', ...MJPEG_OUT];
    case 'scene':
      return [...QUIET.filter((a) => a !== '-nostdin'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', dims, '-i', 'pipe:0', '-frames:v', '1', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '2', ...MJPEG_OUT];
  }
}
