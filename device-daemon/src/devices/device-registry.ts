// The devices of this terminal, by logical name, and the fan-out of their notifications.
import { Listeners, type Unsubscribe } from '../core/listeners';
import type { DeviceClass } from '../protocol';
import type { Device, DeviceNotification } from './device';

export class DeviceRegistry {
  readonly #devices = new Map<string, Device>();
  readonly #notifications = new Listeners<DeviceNotification>('device registry notification');

  add(device: Device): void {
    if (this.#devices.has(device.name)) throw new Error(`device ${device.name} added twice`);
    this.#devices.set(device.name, device);
    device.subscribe((notification) => this.#notifications.emit(notification));
  }

  get(name: string): Device | undefined {
    return this.#devices.get(name);
  }

  all(): Device[] {
    return [...this.#devices.values()];
  }

  ofClass(deviceClass: DeviceClass): Device[] {
    return this.all().filter((d) => d.deviceClass === deviceClass);
  }

  /** Status changes and error events of every device. */
  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  openAll(): void {
    for (const device of this.#devices.values()) device.open();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all().map((d) => d.close()));
  }
}
