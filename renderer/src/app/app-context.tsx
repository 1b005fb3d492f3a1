import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ErrorDto } from '../../../common/errors';
import type { AppInfo, Settings } from '../../../common/models';
import { invoke, toErrorDto } from '../bridge';

export interface AppContextValue {
  /** Undefined until `app:info` answers. */
  readonly appInfo: AppInfo | undefined;
  readonly appInfoError: ErrorDto | undefined;
  /** Undefined until `settings:get` answers. */
  readonly settings: Settings | undefined;
  readonly settingsError: ErrorDto | undefined;
  /** Share settings saved on the Settings page with the rest of the window. */
  readonly setSettings: (settings: Settings) => void;
}

const AppContext = createContext<AppContextValue | undefined>(undefined);

export function AppProvider({ children }: { readonly children: ReactNode }) {
  const [appInfo, setAppInfo] = useState<AppInfo | undefined>(undefined);
  const [appInfoError, setAppInfoError] = useState<ErrorDto | undefined>(undefined);
  const [settings, setSettingsState] = useState<Settings | undefined>(undefined);
  const [settingsError, setSettingsError] = useState<ErrorDto | undefined>(undefined);

  useEffect(() => {
    let active = true;
    invoke('app:info', {}).then(
      (info) => active && setAppInfo(info),
      (error: unknown) => active && setAppInfoError(toErrorDto(error)),
    );
    invoke('settings:get', {}).then(
      (value) => active && setSettingsState(value),
      (error: unknown) => active && setSettingsError(toErrorDto(error)),
    );
    return () => {
      active = false;
    };
  }, []);

  const setSettings = useCallback((value: Settings) => {
    setSettingsState(value);
    setSettingsError(undefined);
  }, []);

  const value = useMemo(
    () => ({ appInfo, appInfoError, settings, settingsError, setSettings }),
    [appInfo, appInfoError, settings, settingsError, setSettings],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === undefined) throw new Error('useApp must be used inside <AppProvider>');
  return value;
}
