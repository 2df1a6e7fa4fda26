// A UVC camera read through ffmpeg: the MJPEG stream is split into frames and only the newest is
// kept. A camera that stops sending is restarted through the device link (backoff, status, fault
// events) like any other device. Stills are either the newest frame or, for a document camera with a
// larger still size, one capture at that size while the preview pauses.
import type { BackoffPolicy } from '../../core/backoff';
import { deadline } from '../../core/deadline';
import { FifoQueue } from '../../core/fifo-queue';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { CameraRole, DeviceCapabilities, DeviceInformation, DeviceStatus, ErrorEvent } from '../../protocol';
import type { ByteTransport, TransportError } from '../../transports/transport';
import type { Device, DeviceNotification, HealthLevel, HealthReport } from '../device';
import { DeviceLink } from '../device-link';
import { StatusStore } from '../status-store';
import { CameraFrame } from './camera-frame';
import { previewArgs, stillArgs, type CameraSource, type FrameSize, type PreviewFormat } from './ffmpeg-args';
import { FfmpegTransport, runFfmpeg, type InputFeeder } from './ffmpeg-transport';
import { JpegSplitter } from './jpeg-splitter';

export interface CameraOptions {
  readonly name: string;
  readonly role: CameraRole;
  readonly simulated: boolean;
  readonly source: CameraSource;
  readonly ffmpegPath: string;
  readonly preview: PreviewFormat;
  readonly still: FrameSize;
  /** Frames let pass while a UVC camera opened for a still settles its exposure. */
  readonly settleFrames: number;
  /** No frame for this long and the camera is restarted. */
  readonly frameTimeoutMs: number;
  readonly openTimeoutMs: number;
  readonly captureTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  readonly information: Omit<DeviceInformation, 'simulated' | 'serialNumber'>;
  readonly log: Logger;
  /** The simulated scene: feeds ffmpeg's stdin, and renders a still at a given size. */
  readonly scene?: { readonly feed: InputFeeder; renderStill(size: FrameSize): Uint8Array };
  /** Monotonic ms. */
  readonly now?: () => number;
}

export type CaptureError = { readonly code: 'cameraNotReady' | 'captureFailed' | 'timeout' | 'canceled'; readonly message: string };

export class Camera implements Device {
  readonly deviceClass = 'camera' as const;
  readonly queue: FifoQueue;
  readonly #store: StatusStore;
  readonly #notifications = new Listeners<DeviceNotification>('camera notification');
  readonly #frames = new Listeners<CameraFrame>('camera frame');
  readonly #now: () => number;
  #link: DeviceLink | undefined;
  #latest: CameraFrame | undefined;
  #seq = 0;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #detach: Unsubscribe | undefined;
  #faultKey: string | undefined;
  #lastHealth: HealthReport | undefined;
  #closed = false;
  #dropped = 0;

  constructor(private readonly options: CameraOptions) {
    this.queue = new FifoQueue(options.name);
    this.#now = options.now ?? (() => performance.now());
    this.#store = new StatusStore(options.name, {
      deviceClass: 'camera',
      common: { device: 'starting', devicePosition: 'inPosition' },
      camera: { role: options.role, stream: 'stopped' },
    });
    this.#store.subscribe((event) => this.#notifications.emit({ kind: 'statusChanged', event }));
  }

  get name(): string {
    return this.options.name;
  }

  get simulated(): boolean {
    return this.options.simulated;
  }

  get role(): CameraRole {
    return this.options.role;
  }

  /** Frames that arrived since start, and how many were discarded as corrupt. */
  get counters(): { readonly frames: number; readonly discarded: number } {
    return { frames: this.#seq, discarded: this.#dropped };
  }

  open(): void {
    this.#startPreview();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#stopPreview();
    this.#store.update({ camera: { stream: 'stopped' } });
  }

  status(): DeviceStatus {
    return this.#store.get();
  }

  capabilities(): DeviceCapabilities {
    const { preview, still } = this.options;
    return {
      deviceClass: 'camera',
      common: {
        serviceVersion: '1.0',
        deviceInformation: [{ ...this.options.information, serialNumber: '', simulated: this.options.simulated }],
        healthLevels: ['internal', 'external'],
      },
      interfaces: [
        { name: 'Common', commands: ['Common.Status', 'Common.Capabilities', 'Common.Cancel'], events: ['Common.StatusChangedEvent', 'Common.ErrorEvent'] },
        { name: 'Camera', commands: ['Camera.TakePicture'], events: [] },
      ],
      camera: {
        role: this.options.role,
        source: this.options.source.kind,
        preview: { width: preview.width, height: preview.height, fps: preview.fps },
        still: { width: still.width, height: still.height },
        streamPath: `/camera/${this.name}/stream`,
      },
    };
  }

  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  lastHealth(): HealthReport | undefined {
    return this.#lastHealth;
  }

  /** Every new frame, as it arrives. A listener that keeps the frame beyond the call retains it. */
  onFrame(listener: (frame: CameraFrame) => void): Unsubscribe {
    return this.#frames.subscribe(listener);
  }

  /** The newest frame, retained for the caller (release it), if one arrived within the frame timeout. */
  latest(): CameraFrame | undefined {
    const frame = this.#latest;
    if (!frame || this.#now() - frame.at > this.options.frameTimeoutMs) return undefined;
    return frame.retain();
  }

  async checkHealth(level: HealthLevel, signal: AbortSignal): Promise<HealthReport> {
    const at = new Date().toISOString();
    let report: HealthReport;
    if (level === 'internal') {
      const s = this.#store.get();
      const healthy = s.common.device === 'online' && s.camera?.stream === 'running';
      report = { level, ok: healthy, at, text: `Internal CheckHealth: ${healthy ? 'OK' : 'Failed'}; state ${s.common.device}; stream ${s.camera?.stream}; ${this.#seq} frames` };
    } else {
      // External: a fresh frame must arrive and be a JPEG.
      const frame = await this.nextFrame(signal);
      const healthy = frame.ok && frame.value.jpeg[0] === 0xff && frame.value.jpeg[1] === 0xd8;
      report = { level, ok: healthy, at, text: `External CheckHealth: ${healthy ? 'a new frame arrived' : frame.ok ? 'the frame is not a JPEG' : frame.error.message}` };
      if (frame.ok) frame.value.release();
    }
    this.#lastHealth = report;
    return report;
  }

  /** The newest frame if it is newer than `seq`, else the next to arrive; retained for the caller. */
  async frameAfter(seq: number, signal: AbortSignal): Promise<Result<CameraFrame, CaptureError>> {
    const latest = this.latest();
    if (latest && latest.seq > seq) return ok(latest);
    latest?.release();
    return this.nextFrame(signal);
  }

  /** The next frame to arrive, retained for the caller. */
  nextFrame(signal: AbortSignal): Promise<Result<CameraFrame, CaptureError>> {
    return new Promise((resolve) => {
      const guard = deadline(signal, this.options.frameTimeoutMs, 'waiting for a camera frame');
      const done = (result: Result<CameraFrame, CaptureError>): void => {
        stop();
        guard.dispose();
        guard.signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = (): void => done(err({ code: signal.aborted ? 'canceled' : 'cameraNotReady', message: 'no frame from the camera' }));
      const stop = this.#frames.subscribe((frame) => done(ok(frame.retain())));
      guard.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A still at the configured still size. When that is the preview size the newest frame is the
   * still; otherwise the preview pauses, ffmpeg opens the camera at the still size, and resumes.
   */
  async takePicture(signal: AbortSignal): Promise<Result<Buffer, CaptureError>> {
    const queued = await this.queue.run((jobSignal) => this.#capture(jobSignal), signal);
    if (!queued.ok) return err({ code: queued.error.kind === 'timeout' ? 'timeout' : 'canceled', message: queued.error.message });
    return queued.value;
  }

  async #capture(signal: AbortSignal): Promise<Result<Buffer, CaptureError>> {
    const { still, preview, source } = this.options;
    if (this.#store.state !== 'online') return err({ code: 'cameraNotReady', message: `camera ${this.name} is ${this.#store.state}` });
    if (still.width === preview.width && still.height === preview.height) {
      const frame = this.latest() ?? (await this.nextFrame(signal).then((r) => (r.ok ? r.value : undefined)));
      if (!frame) return err({ code: 'cameraNotReady', message: 'no frame from the camera' });
      const copy = Buffer.from(frame.jpeg);
      frame.release();
      return ok(copy);
    }
    this.#store.update({ common: { device: 'deviceBusy' } });
    await this.#stopPreview();
    const guard = deadline(signal, this.options.captureTimeoutMs, 'still capture');
    try {
      const input = source.kind === 'scene' ? this.options.scene?.renderStill(still) : undefined;
      const output = await runFfmpeg(this.options.ffmpegPath, stillArgs(source, still, this.options.settleFrames), guard.signal, input);
      input?.fill(0);
      if (!output.ok) return err({ code: output.error.code === 'timeout' ? 'timeout' : output.error.code === 'canceled' ? 'canceled' : 'captureFailed', message: output.error.message });
      let last: Buffer | undefined;
      new JpegSplitter((jpeg) => {
        last?.fill(0);
        last = jpeg;
      }).push(output.value);
      output.value.fill(0);
      return last ? ok(last) : err({ code: 'captureFailed', message: 'ffmpeg returned no JPEG' });
    } finally {
      guard.dispose();
      if (!this.#closed) this.#startPreview();
    }
  }

  #startPreview(): void {
    if (this.#closed || this.#link) return;
    const { source, preview, ffmpegPath, scene } = this.options;
    const label = source.kind === 'v4l2' ? `ffmpeg v4l2 ${source.device}` : source.kind === 'file' ? 'ffmpeg fixture file' : 'ffmpeg scripted scene';
    const link = new DeviceLink({
      createTransport: () => new FfmpegTransport({ ffmpegPath, args: previewArgs(source, preview), label, ...(source.kind === 'scene' && scene ? { feed: scene.feed } : {}) }),
      openTimeoutMs: this.options.openTimeoutMs,
      backoff: this.options.backoff,
      log: this.options.log,
    });
    link.onConnected((transport) => this.#attach(transport));
    link.onFailure((error) => this.#onFailure(error));
    this.#link = link;
    link.start();
  }

  async #stopPreview(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    this.#detach?.();
    this.#detach = undefined;
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    await link?.stop();
    this.#latest?.release();
    this.#latest = undefined;
  }

  #attach(transport: ByteTransport): void {
    const splitter = new JpegSplitter((jpeg) => this.#onJpeg(jpeg));
    const stopData = transport.onData((bytes) => {
      splitter.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      this.#dropped = splitter.stats.discarded;
    });
    this.#detach = () => stopData();
    this.#armWatchdog(transport);
  }

  #onJpeg(jpeg: Buffer): void {
    this.#seq += 1;
    const frame = new CameraFrame(jpeg, this.#seq, this.#now());
    const previous = this.#latest;
    this.#latest = frame;
    previous?.release();
    if (this.#store.state !== 'online') {
      this.#store.update({ common: { device: 'online' }, camera: { stream: 'running' } });
      this.#faultKey = undefined;
      this.options.log.info({ frames: this.#seq }, 'camera frames flowing');
    }
    const transport = this.#link?.transport;
    if (transport) this.#armWatchdog(transport);
    this.#frames.emit(frame);
  }

  #armWatchdog(transport: ByteTransport): void {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#watchdog = undefined;
      if (this.#closed) return;
      this.#store.update({ common: { device: 'offline' }, camera: { stream: 'stalled' } });
      this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: `camera sent no frame for ${this.options.frameTimeoutMs} ms; restarting it` });
      // Closing the transport makes the link reopen it with backoff.
      void transport.close();
    }, this.options.frameTimeoutMs);
  }

  #onFailure(error: TransportError): void {
    if (this.#closed) return;
    this.#latest?.release();
    this.#latest = undefined;
    const device = error.code === 'notFound' || error.code === 'driverUnavailable' ? 'noDevice' : error.code === 'busy' || error.code === 'accessDenied' ? 'hardwareError' : 'offline';
    this.#store.update({ common: { device }, camera: { stream: 'stalled' } });
    this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: `camera ${error.code}: ${error.message}` });
  }

  #raiseFault(fault: Omit<ErrorEvent, 'device'>): void {
    const key = `${fault.eventId}/${fault.action}/${fault.vendorDescription}`;
    if (key === this.#faultKey) return;
    this.#faultKey = key;
    this.options.log.warn({ eventId: fault.eventId, action: fault.action, description: fault.vendorDescription }, 'device fault');
    this.#notifications.emit({ kind: 'error', event: { device: this.name, ...fault } });
  }
}
