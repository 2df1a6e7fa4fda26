// Loads a journey's code when it is first opened, so the first screen carries none of it.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function Lazy({ load, fallback }: { load: () => Promise<ComponentType>; fallback: string }) {
  const [Component, setComponent] = useState<{ value: ComponentType } | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setComponent({ value }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (Component) return <Component.value />;
  return (
    <main class="screen loading" data-screen={failed ? 'load-failed' : 'loading'}>
      <p class="prompt" role="status">
        {fallback}
      </p>
    </main>
  );
}
