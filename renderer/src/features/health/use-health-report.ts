import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { HealthChange, HealthReport } from '../../../../common/health-models';
import { invoke, on, toErrorDto } from '../../bridge';

export interface HealthReportState {
  /** Undefined until `health:report` answers (or `health:changed` arrives first). */
  readonly report: HealthReport | undefined;
  readonly loadError: ErrorDto | undefined;
  readonly checking: boolean;
  readonly checkError: ErrorDto | undefined;
  /** What the latest `health:changed` said changed (empty after a load or a quiet check). */
  readonly changes: readonly HealthChange[];
  /** Runs `health:check`; resolves with the new report, or undefined when the check failed. */
  readonly check: () => Promise<HealthReport | undefined>;
}

/**
 * Reports arrive three ways (the load, a check's answer, `health:changed` from the monitor)
 * and not always in order: a scheduled run's event can land after a slower load. Keep the
 * newest by `generatedAt`; on a tie the later arrival wins, because main re-publishes the same
 * report with a new status when it goes offline.
 */
function newer(current: HealthReport | undefined, next: HealthReport): HealthReport {
  if (current === undefined) return next;
  return Date.parse(next.generatedAt) >= Date.parse(current.generatedAt) ? next : current;
}

export function useHealthReport(): HealthReportState {
  const [report, setReport] = useState<HealthReport | undefined>(undefined);
  const [loadError, setLoadError] = useState<ErrorDto | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<ErrorDto | undefined>(undefined);
  const [changes, setChanges] = useState<readonly HealthChange[]>([]);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    // Subscribe before loading so a run that finishes meanwhile is not missed.
    const unsubscribe = on('health:changed', (event) => {
      if (!mounted.current) return;
      setReport((current) => newer(current, event.report));
      setChanges(event.changes);
      setLoadError(undefined);
    });
    const load = () =>
      invoke('health:report', {}).then(
        (value) => mounted.current && setReport((current) => newer(current, value)),
        (error: unknown) => mounted.current && setLoadError(toErrorDto(error)),
      );
    void load();
    // Main marks its report outdated when sites or connections change (and checks again a
    // little later): reload it then, so the page does not present it as current meanwhile.
    const unsubscribeSites = on('sites:changed', () => void load());
    const unsubscribeConnections = on('connections:changed', () => void load());
    return () => {
      mounted.current = false;
      unsubscribe();
      unsubscribeSites();
      unsubscribeConnections();
    };
  }, []);

  const check = useCallback(async () => {
    setChecking(true);
    setCheckError(undefined);
    try {
      const value = await invoke('health:check', {});
      if (mounted.current) {
        setReport((current) => newer(current, value));
        setLoadError(undefined);
      }
      return value;
    } catch (error) {
      if (mounted.current) setCheckError(toErrorDto(error));
      return undefined;
    } finally {
      if (mounted.current) setChecking(false);
    }
  }, []);

  return { report, loadError, checking, checkError, changes, check };
}
