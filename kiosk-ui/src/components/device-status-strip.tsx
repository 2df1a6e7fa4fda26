// The live device strip: every device with its state in words and a shape, never colour alone.
import type { DeviceStatus } from '@protocol';
import { deviceProblem, kindOf, type DeviceProblem } from '../journeys/availability';
import type { Translate } from '../i18n/use-language';
import type { StringKey } from '../i18n/strings';

const PROBLEM_TEXT: Record<DeviceProblem, StringKey> = {
  missing: 'state.missing',
  noDevice: 'state.noDevice',
  offline: 'state.offline',
  powerOff: 'state.powerOff',
  hardwareError: 'state.hardwareError',
  userError: 'state.userError',
  deviceBusy: 'state.deviceBusy',
  starting: 'state.starting',
  paperOut: 'paper.out',
  paperJammed: 'paper.jammed',
};

function problemText(status: DeviceStatus, t: Translate): string {
  const problem = deviceProblem(status);
  if (problem) return t(PROBLEM_TEXT[problem]);
  if (status.printer?.cover === 'open') return t('cover.open');
  if (status.printer?.paper === 'low') return t('paper.low');
  return t('state.online');
}

export function DeviceStatusStrip({ devices, t }: { devices: Readonly<Record<string, DeviceStatus>>; t: Translate }) {
  const entries = Object.entries(devices);
  return (
    <section class="device-strip" aria-label={t('status.title')}>
      <h2 class="visually-hidden">{t('status.title')}</h2>
      <ul>
        {entries.map(([name, status]) => {
          const problem = deviceProblem(status);
          const warn = !problem && status.printer?.paper === 'low';
          const tone = problem ? 'bad' : warn ? 'warn' : 'good';
          return (
            <li key={name} class={`device device-${tone}`} data-device={name} data-state={status.common.device}>
              <span class="device-mark" aria-hidden="true">
                {tone === 'good' ? '✓' : tone === 'warn' ? '!' : '✕'}
              </span>
              <span class="device-name">{t(`device.${kindOf(status)}`)}</span>
              <span class="device-state">{problemText(status, t)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
