// The technician's device screen panels: the printers' paper counters and the self-tests with their
// results, one line per device, marked by a shape and a word as well as a colour.
import type { SelfTestResult } from '@protocol';
import type { PaperCounter, SelfTestRun, TestLevel } from './technician-machine';

export const PANEL_TEXT = {
  counters: '纸张计数 Paper counters',
  countersLoading: '正在读取… Reading…',
  noPrinter: '本终端没有小票打印机 No receipt printer on this terminal',
  printed: '已打印 printed',
  pending: '待打印 waiting',
  failed: '失败 failed',
  noOwnCounter: '打印机不提供自身计数，以上为终端统计 The printer reports no counter of its own; these are the terminal\'s counts',
  ownCounter: '打印机计数 printer counter',
  selfTests: '自检 Self-tests',
  internal: '内部自检 Internal',
  external: '外部自检（打印测试单） External (prints a slip)',
  running: '正在自检… Testing…',
  failedRun: '⚠ 自检未能运行 The self-test did not run',
  passed: '通过 passed',
  failedOne: '失败 FAILED',
  skipped: '不适用 n/a',
} as const;

const MARK: Record<SelfTestResult['outcome'], string> = { passed: '✓', failed: '✗', skipped: '–' };
const WORD: Record<SelfTestResult['outcome'], string> = { passed: PANEL_TEXT.passed, failed: PANEL_TEXT.failedOne, skipped: PANEL_TEXT.skipped };

export function CountersPanel({ counters }: { counters: readonly PaperCounter[] | undefined }) {
  return (
    <section class="technician-panel" aria-labelledby="technician-counters">
      <h2 id="technician-counters">{PANEL_TEXT.counters}</h2>
      {counters === undefined ? (
        <p>{PANEL_TEXT.countersLoading}</p>
      ) : counters.length === 0 ? (
        <p>{PANEL_TEXT.noPrinter}</p>
      ) : (
        <>
          <ul class="counters">
            {counters.map((c) => (
              <li key={c.device} data-counter={c.device} data-printed={c.printed}>
                <strong>{c.device}</strong> {PANEL_TEXT.printed} <span class="count">{c.printed}</span> · {PANEL_TEXT.pending} {c.pending} · {PANEL_TEXT.failed} {c.failed}
                {c.printerCounter !== null ? ` · ${PANEL_TEXT.ownCounter} ${c.printerCounter}` : ''}
              </li>
            ))}
          </ul>
          {counters.some((c) => c.printerCounter === null) ? <p class="note">{PANEL_TEXT.noOwnCounter}</p> : null}
        </>
      )}
    </section>
  );
}

export function SelfTestPanel({ test, disabled, onRun }: { test: SelfTestRun | undefined; disabled: boolean; onRun: (level: TestLevel) => void }) {
  return (
    <section class="technician-panel" aria-labelledby="technician-selftests">
      <h2 id="technician-selftests">{PANEL_TEXT.selfTests}</h2>
      <div class="selftest-actions">
        {(['internal', 'external'] as const).map((level) => (
          <button key={level} type="button" class="secondary" data-action={`selftest-${level}`} aria-disabled={disabled} onClick={() => !disabled && onRun(level)}>
            {PANEL_TEXT[level]}
          </button>
        ))}
      </div>
      {test ? (
        <div role="status" data-selftest-level={test.level} data-selftest-state={test.state}>
          {test.state === 'running' ? <p>{PANEL_TEXT.running}</p> : null}
          {test.state === 'failed' ? (
            <p class="alert">
              {PANEL_TEXT.failedRun}: {test.error}
            </p>
          ) : null}
          <ul class="selftest-results">
            {test.results.map((r) => (
              <li key={r.device} class={`selftest-${r.outcome}`} data-device={r.device} data-outcome={r.outcome}>
                <span class="selftest-mark" aria-hidden="true">
                  {MARK[r.outcome]}
                </span>
                <span class="selftest-head">
                  <strong>{r.device}</strong> {WORD[r.outcome]}
                </span>
                <span class="selftest-text">{r.text}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
