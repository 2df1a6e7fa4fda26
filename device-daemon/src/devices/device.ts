// The device service interface (PRODUCT.md section 5, point 2): one small interface per device,
// in the spirit of UnifiedPOS (open, checkHealth) and XFS4IoT (status, capabilities, events).
import type { Unsubscribe } from '../core/listeners';
import type {
  DeviceCapabilities,
  DeviceClass,
  DeviceStatus,
  ErrorEvent,
  StatusChangedEvent,
  UnsolicitedEventName,
} from '../protocol';

export type HealthLevel = 'internal' | 'external' | 'interactive';

export interface HealthReport {
  readonly level: HealthLevel;
  readonly ok: boolean;
  /** One line for a technician: what was checked and what was found. */
  readonly text: string;
  readonly at: string;
}

export type DeviceNotification =
  | { readonly kind: 'statusChanged'; readonly event: StatusChangedEvent }
  | { readonly kind: 'error'; readonly event: ErrorEvent }
  /** A device-specific unsolicited event, e.g. IdCard.CardInserted. */
  | { readonly kind: 'event'; readonly name: UnsolicitedEventName; readonly payload: Record<string, unknown> };

export interface Device {
  /** Logical name from config, e.g. "receiptPrinter". */
  readonly name: string;
  readonly deviceClass: DeviceClass;
  readonly simulated: boolean;
  /** Starts connecting; never fails: an absent device is status noDevice and keeps being retried. */
  open(): void;
  close(): Promise<void>;
  /** Served from cache: reading status never touches the device. */
  status(): DeviceStatus;
  capabilities(): DeviceCapabilities;
  /** internal changes nothing physical; external may (a test slip); interactive asks a person. */
  checkHealth(level: HealthLevel, signal: AbortSignal): Promise<HealthReport>;
  lastHealth(): HealthReport | undefined;
  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe;
}
