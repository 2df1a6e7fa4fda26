// Reads codes (a bill's barcode, a payment code, a slip's QR code) while a screen is up: Scanner.Read
// is re-armed after each code and after each quiet timeout, and cancelled through its AbortSignal
// when the screen goes. A kiosk without a working scanner simply never reports a code.
import { scannerReadCompletionSchema } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';
import { useKiosk } from '../session/kiosk-context';

/** How long one Scanner.Read waits before it is re-armed. */
const READ_MS = 60_000;
/** After a scanner fault, the pause before trying again (it may reconnect). */
const FAULT_PAUSE_MS = 3_000;

export function useCodeScan(active: boolean, onCode: (text: string) => void): void {
  const { client } = useKiosk();
  const latest = useRef(onCode);
  latest.current = onCode;
  useEffect(() => {
    if (!active) return undefined;
    const abort = new AbortController();
    const pause = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        abort.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    void (async () => {
      while (!abort.signal.aborted) {
        const reply = await client.request('Scanner.Read', {}, { signal: abort.signal, timeoutMs: READ_MS });
        if (abort.signal.aborted) return;
        const read = scannerReadCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && read.success) latest.current(read.data.text);
        else if (reply.completionCode === 'unsupportedCommand' || reply.completionCode === 'invalidData') return;
        else if (reply.completionCode !== 'timeOut') await pause(FAULT_PAUSE_MS);
      }
    })();
    return () => abort.abort();
  }, [active, client]);
}
