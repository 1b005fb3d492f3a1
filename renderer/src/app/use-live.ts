import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventChannel, EventMap } from '../../../common/contract';
import type { ErrorDto } from '../../../common/errors';
import { on, toErrorDto } from '../bridge';

export interface LiveState<T> {
  readonly data: T | undefined;
  readonly error: ErrorDto | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
  /** Replace the data locally (after a save answered with fresh data). */
  readonly set: (data: T) => void;
}

/**
 * Loads data once and keeps it fresh from an event that carries the whole new value
 * (`sites:changed`, `connections:changed`). It subscribes before loading, and an event that
 * arrives while the load is in flight wins over the older load result.
 */
export function useLive<E extends EventChannel>(load: () => Promise<EventMap[E]>, event: E): LiveState<EventMap[E]> {
  type T = EventMap[E];
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let active = true;
    let eventSeen = false;
    const unsubscribe = on(event, (payload) => {
      if (!active) return;
      eventSeen = true;
      setData(payload);
      setError(undefined);
      setLoading(false);
    });
    loadRef.current().then(
      (value) => {
        if (!active || eventSeen) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!active || eventSeen) return;
        setError(toErrorDto(failure));
        setLoading(false);
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [event, generation]);

  const reload = useCallback(() => {
    setLoading(true);
    setGeneration((value) => value + 1);
  }, []);
  const set = useCallback((value: T) => setData(value), []);

  return { data, error, loading, reload, set };
}
