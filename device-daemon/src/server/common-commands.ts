// Common.Status and Common.Capabilities for every device, served from cache (XFS4IoT info
// commands: they bypass the device queues and never touch hardware).
import type { DeviceRegistry } from '../devices/device-registry';
import type { DeviceCapabilities, DeviceStatus } from '../protocol';
import { failure, success, type CommandHandler } from './command-registry';

function select<T>(registry: DeviceRegistry, name: string | undefined, read: (d: ReturnType<DeviceRegistry['all']>[number]) => T): Record<string, T> | undefined {
  if (name !== undefined) {
    const device = registry.get(name);
    return device ? { [device.name]: read(device) } : undefined;
  }
  return Object.fromEntries(registry.all().map((d) => [d.name, read(d)]));
}

export function commonCommands(registry: DeviceRegistry): [CommandHandler<'Common.Status'>, CommandHandler<'Common.Capabilities'>] {
  return [
    {
      name: 'Common.Status',
      device: (payload) => payload.device,
      async handle({ payload }) {
        const devices = select<DeviceStatus>(registry, payload.device, (d) => d.status());
        return devices ? success({ devices }) : failure('invalidData', `there is no device named ${payload.device}`);
      },
    },
    {
      name: 'Common.Capabilities',
      device: (payload) => payload.device,
      async handle({ payload }) {
        const devices = select<DeviceCapabilities>(registry, payload.device, (d) => d.capabilities());
        return devices ? success({ devices }) : failure('invalidData', `there is no device named ${payload.device}`);
      },
    },
  ];
}
