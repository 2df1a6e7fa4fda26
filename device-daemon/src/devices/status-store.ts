// Holds a device's status and emits Common.StatusChangedEvent deltas: only the properties that
// changed, the way XFS4IoT service providers report them.
import { Listeners, type Unsubscribe } from '../core/listeners';
import type { CommonStatus, DeviceClass, DeviceStatus, StatusChangedEvent } from '../protocol';

type ClassSections = Omit<DeviceStatus, 'deviceClass' | 'common'>;

export interface StatusUpdate {
  readonly common?: Partial<CommonStatus>;
  readonly printer?: Partial<NonNullable<ClassSections['printer']>>;
  readonly idCardReader?: Partial<NonNullable<ClassSections['idCardReader']>>;
}

export class StatusStore {
  #status: DeviceStatus;
  readonly #changes = new Listeners<StatusChangedEvent>('status change');

  constructor(
    readonly device: string,
    initial: { readonly deviceClass: DeviceClass; readonly common: CommonStatus } & ClassSections,
  ) {
    this.#status = structuredClone(initial);
  }

  get(): DeviceStatus {
    return structuredClone(this.#status);
  }

  get state(): CommonStatus['device'] {
    return this.#status.common.device;
  }

  subscribe(listener: (event: StatusChangedEvent) => void): Unsubscribe {
    return this.#changes.subscribe(listener);
  }

  /** Applies an update; emits one event carrying only what changed, or nothing. */
  update(update: StatusUpdate): void {
    const event: StatusChangedEvent = { device: this.device };
    const common = diff(this.#status.common, update.common);
    if (common) {
      this.#status = { ...this.#status, common: { ...this.#status.common, ...common } };
      event.common = common;
    }
    const currentPrinter = this.#status.printer;
    const printer = currentPrinter ? diff(currentPrinter, update.printer) : undefined;
    if (currentPrinter && printer) {
      this.#status = { ...this.#status, printer: { ...currentPrinter, ...printer } };
      event.printer = printer;
    }
    const currentReader = this.#status.idCardReader;
    const idCardReader = currentReader ? diff(currentReader, update.idCardReader) : undefined;
    if (currentReader && idCardReader) {
      this.#status = { ...this.#status, idCardReader: { ...currentReader, ...idCardReader } };
      event.idCardReader = idCardReader;
    }
    if (event.common || event.printer || event.idCardReader) this.#changes.emit(event);
  }
}

function diff<T extends object>(current: T, next: Partial<T> | undefined): Partial<T> | undefined {
  if (!next) return undefined;
  const delta: Partial<T> = {};
  let any = false;
  for (const key of Object.keys(next) as (keyof T)[]) {
    const value = next[key];
    if (value !== undefined && value !== current[key]) {
      delta[key] = value;
      any = true;
    }
  }
  return any ? delta : undefined;
}
