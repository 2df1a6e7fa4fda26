// Holds a device's status and emits Common.StatusChangedEvent deltas: only the properties that
// changed, the way XFS4IoT service providers report them.
import { Listeners, type Unsubscribe } from '../core/listeners';
import type { CommonStatus, DeviceClass, DeviceStatus, StatusChangedEvent } from '../protocol';

type ClassSections = Omit<DeviceStatus, 'deviceClass' | 'common'>;

type SectionName = keyof ClassSections;
const SECTIONS: readonly SectionName[] = ['printer', 'idCardReader', 'camera', 'barcodeReader', 'documentPrinter'];

export type StatusUpdate = { readonly common?: Partial<CommonStatus> } & { readonly [K in SectionName]?: Partial<NonNullable<ClassSections[K]>> };

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
    let changed = false;
    const common = diff(this.#status.common, update.common);
    if (common) {
      this.#status = { ...this.#status, common: { ...this.#status.common, ...common } };
      event.common = common;
      changed = true;
    }
    for (const section of SECTIONS) changed = this.#updateSection(section, update[section], event) || changed;
    if (changed) this.#changes.emit(event);
  }

  #updateSection<K extends SectionName>(section: K, next: Partial<NonNullable<ClassSections[K]>> | undefined, event: StatusChangedEvent): boolean {
    const current = this.#status[section];
    if (!current) return false;
    const delta = diff<NonNullable<ClassSections[K]>>(current, next);
    if (!delta) return false;
    this.#status = { ...this.#status, [section]: { ...current, ...delta } };
    Object.assign(event, { [section]: delta });
    return true;
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
