import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** Result of {@link usePolling}: the last value, when it arrived, and the current error. */
export interface Polled<T> {
  value?: T;
  updatedAt?: Date;
  loading: boolean;
  error?: Error;
  retry(): void;
}

/**
 * Runs `load` now, and again every `intervalMs` while the component is mounted and the tab
 * is visible. The previous value stays on screen while a refresh runs.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: unknown[],
): Polled<T> {
  const state = useAsyncRetry(async () => {
    const value = await load();
    return { value, updatedAt: new Date() };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  const retry = useRef(state.retry);
  retry.current = state.retry;

  useEffect(() => {
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) {
        retry.current();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);

  return {
    value: state.value?.value,
    updatedAt: state.value?.updatedAt,
    loading: state.loading,
    error: state.error,
    retry: state.retry,
  };
}
