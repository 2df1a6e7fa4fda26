// Technician mode: a separate screen set behind the hidden gesture and the PIN (the daemon locks
// it after repeated wrong PINs). Device states, the printers' paper counters, the internal and
// external self-tests (the daemon's, as kioskctl selftest runs them) and a test slip. Leaving logs
// the technician out, so nothing of the session stays for a resident.
import { countersCompletionSchema, selfTestCompletionSchema, technicianLoginCompletionSchema } from '@protocol';
import { useCallback, useEffect } from 'preact/hooks';
import { DeviceStatusStrip } from '../components/device-status-strip';
import { Keypad } from '../components/keypad';
import { useMachine } from '../flow/use-machine';
import { useTicker } from '../flow/use-ticker';
import { translate } from '../i18n/strings';
import { useKiosk } from '../session/kiosk-context';
import { initialTechnician, technicianTransition } from './technician-machine';
import { CountersPanel, SelfTestPanel } from './technician-panels';
import './technician.css';

const TEXT = {
  title: '技术员模式 Technician',
  pin: '请输入技术员密码 Enter the technician PIN',
  enter: '登录 Log in',
  exit: '退出 Exit',
  checking: '正在验证… Checking…',
  wrongPin: '密码错误 Wrong PIN',
  lockedOut: '已锁定 Locked out',
  noPin: '本终端未设置技术员密码 No PIN provisioned',
  devices: '设备状态 Devices',
  testPrint: '打印测试单 Print a test slip',
  printing: '正在打印… Printing…',
  printed: '✓ 测试单已打印 Test slip printed',
  failed: '⚠ 测试单未能打印 Test slip failed',
} as const;

/** A self-test prints and waits for people at most this long on the daemon's side. */
const SELF_TEST_TIMEOUT_MS = 180_000;

export function TechnicianMode() {
  const kiosk = useKiosk();
  const [state, send] = useMachine(technicianTransition, () => initialTechnician, kiosk.clock);
  const exit = (): void => {
    if (state.kind === 'devices') void kiosk.client.request('Technician.Logout', {});
    kiosk.send({ type: 'end', reason: 'resident' });
  };
  const tick = useCallback(() => send({ type: 'tick' }), [send]);
  useTicker(state.kind === 'devices', tick);

  const refreshCounters = useCallback((): void => {
    void kiosk.client.request('Technician.Counters', {}).then((reply) => {
      const parsed = countersCompletionSchema.safeParse(reply.payload);
      if (reply.completionCode === 'success' && parsed.success) send({ type: 'counters', printers: parsed.data.printers });
    });
  }, [kiosk.client, send]);

  const printed = state.kind === 'devices' ? state.printed : '';
  const testState = state.kind === 'devices' ? `${state.test?.level ?? ''}:${state.test?.state ?? ''}` : '';
  useEffect(() => {
    if (state.kind === 'checking') {
      void kiosk.client.request('Technician.Login', { pin: state.pin }).then((reply) => {
        const parsed = technicianLoginCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'loggedIn', expiresAt: Date.parse(parsed.data.expiresAt) });
        else send({ type: 'refused', error: reply.errorCode === 'lockedOut' || reply.errorCode === 'noPin' ? reply.errorCode : 'wrongPin', detail: reply.errorDescription ?? '' });
      });
    }
    if (state.kind !== 'devices') return;
    if (state.counters === undefined) refreshCounters();
    if (state.printed === 'printing') {
      const printer = Object.entries(kiosk.devices).find(([, d]) => d.deviceClass === 'printer');
      const status = printer ? `${printer[1].common.device}, paper ${printer[1].printer?.paper ?? 'unknown'}, cover ${printer[1].printer?.cover ?? 'unknown'}` : 'none';
      void kiosk.client
        .request('Printer.PrintForm', { template: 'self-test', data: { daemonVersion: 'kiosk-ui', printerModel: printer?.[0] ?? 'receipt printer', printerStatus: status.slice(0, 80) } }, { timeoutMs: 60_000 })
        .then((reply) => {
          send({ type: 'testPrinted', ok: reply.completionCode === 'success' });
          refreshCounters();
        });
    }
    if (state.test?.state === 'running') {
      void kiosk.client.request('Technician.SelfTest', { level: state.test.level }, { timeoutMs: SELF_TEST_TIMEOUT_MS }).then((reply) => {
        const parsed = selfTestCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'selfTestDone', results: parsed.data.results });
        else send({ type: 'selfTestFailed', error: reply.errorDescription ?? reply.completionCode });
        refreshCounters();
      });
    }
  }, [state.kind, printed, testState]);

  const busy = state.kind === 'devices' && (state.printed === 'printing' || state.test?.state === 'running');
  return (
    <main class="screen journey-screen technician" data-screen={state.kind === 'devices' ? 'technician-devices' : 'technician-pin'}>
      <header class="bar">
        <h1 class="screen-title">{TEXT.title}</h1>
        <button type="button" class="tool" data-action="technician-exit" onClick={exit}>
          {TEXT.exit}
        </button>
      </header>
      <section class="content">
        {state.kind === 'devices' ? (
          <>
            <h2>{TEXT.devices}</h2>
            <DeviceStatusStrip devices={kiosk.devices} t={(key, values) => translate(kiosk.session.language, key, values)} />
            <CountersPanel counters={state.counters} />
            <SelfTestPanel test={state.test} disabled={busy} onRun={(level) => send({ type: 'selfTest', level })} />
            <p class="lead" role="status" data-test-print={state.printed}>
              {state.printed === 'none' ? '' : TEXT[state.printed]}
            </p>
          </>
        ) : (
          <>
            <p class="lead">{TEXT.pin}</p>
            {state.kind === 'pin' && state.error ? (
              <p class="lead alert" role="alert" data-pin-error={state.error}>
                ⚠ {TEXT[state.error]} {state.detail}
              </p>
            ) : null}
            {/* The keypad shows dots: the PIN is never on screen. */}
            <Keypad value={'•'.repeat(state.kind === 'pin' ? state.pin.length : 0)} onChange={(masked) => state.kind === 'pin' && send({ type: 'pinChanged', pin: unmask(state.pin, masked) })} maxLength={12} label={TEXT.pin} />
          </>
        )}
      </section>
      <footer class="actions">
        <span class="spacer" />
        {state.kind === 'devices' ? (
          <button type="button" class="primary" data-action="test-print" aria-disabled={busy} onClick={() => send({ type: 'testPrint' })}>
            {TEXT.testPrint}
          </button>
        ) : (
          <button type="button" class="primary" data-action="technician-login" aria-disabled={state.kind !== 'pin' || state.pin.length < 4} onClick={() => send({ type: 'submit' })}>
            {state.kind === 'checking' ? TEXT.checking : TEXT.enter}
          </button>
        )}
      </footer>
    </main>
  );
}

/** The keypad edits the dots; apply the same edit (a digit added, one removed, cleared) to the PIN. */
function unmask(pin: string, masked: string): string {
  if (masked.length === 0) return '';
  if (masked.length < pin.length) return pin.slice(0, masked.length);
  return pin + masked.slice(pin.length);
}
