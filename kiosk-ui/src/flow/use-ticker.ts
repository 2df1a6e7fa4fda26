// A once-a-second tick while `active`, for countdowns and the idle timer. setInterval follows the
// page's clock, which the browser tests fast-forward.
import { useEffect } from 'preact/hooks';

export function useTicker(active: boolean, onTick: () => void, everyMs = 1_000): void {
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(onTick, everyMs);
    return () => clearInterval(timer);
  }, [active, onTick, everyMs]);
}
