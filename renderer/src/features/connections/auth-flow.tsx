import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { RequestOf } from '../../../../common/contract';
import type { ErrorDto } from '../../../../common/errors';
import type { ConnectionDto, PendingSignInDto, RevokedBySignIn, SignInFinished } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { invoke, on, toErrorDto } from '../../bridge';

export type SignInRequest = RequestOf<'auth:start'>;

/** What the admin decided before the browser opened; the waiting panel words its advice on it. */
export interface SignInIntent {
  readonly reauthorizeConnectionId: string | undefined;
  /** The approval the admin agreed to lose in the preflight dialog, if any. */
  readonly acknowledgedApprovalId: string | undefined;
}

export type AuthFlowState =
  | { readonly phase: 'idle' }
  | ({ readonly phase: 'starting' } & SignInIntent)
  | ({
      readonly phase: 'waiting';
      readonly flowId: string;
      readonly authorizeUrl: string;
      readonly redirectUri: string;
      /** Browser edition: whether main could open the system browser; undefined while asking or in Electron. */
      readonly browserOpened: boolean | undefined;
    } & SignInIntent)
  | { readonly phase: 'succeeded'; readonly connection: ConnectionDto | undefined; readonly reauthorized: boolean }
  | { readonly phase: 'failed'; readonly error: ErrorDto }
  | { readonly phase: 'cancelled' };

export interface AuthFlowValue {
  readonly state: AuthFlowState;
  readonly start: (request: SignInRequest) => Promise<void>;
  readonly cancel: () => Promise<void>;
  readonly reset: () => void;
  /**
   * Asks main for a sign-in still waiting for the browser (`auth:pending`) and, when there is
   * one and nothing else is under way here, shows it as waiting. Resolves once main answered.
   */
  readonly resume: () => Promise<void>;
  /**
   * Approvals Salesforce revoked because of a sign-in (`auth:finished` `revokedBySignIn`), kept
   * until the admin dismisses them: the admin must learn which site or app just lost its access.
   */
  readonly revocations: readonly SignInRevocations[];
  readonly dismissRevocations: (flowId: string) => void;
}

export interface SignInRevocations {
  readonly flowId: string;
  readonly revoked: readonly RevokedBySignIn[];
}

const AuthFlowContext = createContext<AuthFlowValue | undefined>(undefined);

/**
 * The one sign-in that can be in progress. It lives above the pages so that leaving the
 * Connections page while Salesforce waits for the admin does not lose the flow.
 */
export function AuthFlowProvider({ children }: { readonly children: ReactNode }) {
  const { appInfo } = useApp();
  const [state, setShownState] = useState<AuthFlowState>({ phase: 'idle' });
  // The phase as of the last change, readable outside render (resume must not replace a
  // sign-in that started while main was answering).
  const phase = useRef<AuthFlowState['phase']>('idle');
  const setState = useCallback((next: AuthFlowState) => {
    phase.current = next.phase;
    setShownState(next);
  }, []);
  const current = useRef<{ flowId: string | undefined; reauthorizing: boolean }>({ flowId: undefined, reauthorizing: false });
  // auth:finished may overtake the auth:start answer; keep early results until start answers.
  const early = useRef(new Map<string, SignInFinished>());
  const edition = appInfo?.edition;
  const [revocations, setRevocations] = useState<readonly SignInRevocations[]>([]);

  const finish = useCallback((event: SignInFinished) => {
    current.current.flowId = undefined;
    if (event.ok) {
      setState({ phase: 'succeeded', connection: event.connection, reauthorized: current.current.reauthorizing });
    } else {
      setState({
        phase: 'failed',
        error: event.error === undefined ? { code: 'INTERNAL', message: 'Salesforce sign-in did not finish.' } : event.error,
      });
    }
  }, [setState]);

  useEffect(
    () =>
      on('auth:finished', (event) => {
        // Whichever flow it was (this page's, one from before a reload, another window's):
        // what Salesforce revoked is news the admin must see.
        const revoked = event.revokedBySignIn ?? [];
        if (revoked.length > 0) setRevocations((now) => [...now.filter((entry) => entry.flowId !== event.flowId), { flowId: event.flowId, revoked }]);
        if (event.flowId === current.current.flowId) {
          finish(event);
        } else {
          early.current.set(event.flowId, event);
          if (early.current.size > 20) early.current.delete(early.current.keys().next().value as string);
        }
      }),
    [finish],
  );

  const start = useCallback(
    async (request: SignInRequest) => {
      current.current = { flowId: undefined, reauthorizing: request.reauthorizeConnectionId !== undefined };
      const intent: SignInIntent = { reauthorizeConnectionId: request.reauthorizeConnectionId, acknowledgedApprovalId: request.acknowledgedApprovalId };
      setState({ phase: 'starting', ...intent });
      let started;
      try {
        started = await invoke('auth:start', request);
      } catch (error) {
        setState({ phase: 'failed', error: toErrorDto(error) });
        return;
      }
      const finishedAlready = early.current.get(started.flowId);
      if (finishedAlready !== undefined) {
        early.current.delete(started.flowId);
        finish(finishedAlready);
        return;
      }
      current.current.flowId = started.flowId;
      const waiting = {
        phase: 'waiting',
        flowId: started.flowId,
        authorizeUrl: started.authorizeUrl,
        redirectUri: started.redirectUri,
        ...intent,
        browserOpened: undefined,
      } as const;
      setState(waiting);
      // In Electron main opens the system browser as part of auth:start. The browser edition
      // asks main to try; if it cannot, the page shows the link for the admin to click.
      if (edition === 'browser') {
        let opened = false;
        try {
          opened = (await invoke('shell:open-external', { url: started.authorizeUrl })).opened;
        } catch {
          opened = false;
        }
        setShownState((now) => (now.phase === 'waiting' && now.flowId === started.flowId ? { ...now, browserOpened: opened } : now));
      }
    },
    [edition, finish, setState],
  );

  // The flow is state in main: after a reload the page has forgotten it, main has not.
  const resume = useCallback(async () => {
    if (current.current.flowId !== undefined) return;
    let pending: PendingSignInDto | null;
    try {
      pending = await invoke('auth:pending', {});
    } catch {
      // Nothing to show then: a sign-in main cannot report still finishes by itself, and
      // auth:finished reloads the connection list.
      return;
    }
    if (pending === null) return;
    // A sign-in this page started meanwhile wins over the one main remembered.
    if (phase.current !== 'idle' || current.current.flowId !== undefined) return;
    current.current = { flowId: pending.flowId, reauthorizing: pending.reauthorizeConnectionId !== undefined };
    setState({
      phase: 'waiting',
      flowId: pending.flowId,
      authorizeUrl: pending.authorizeUrl,
      redirectUri: pending.redirectUri,
      reauthorizeConnectionId: pending.reauthorizeConnectionId,
      acknowledgedApprovalId: undefined,
      // Nothing is opened again after a reload: the admin may still have that tab; the link is offered.
      browserOpened: edition === 'browser' ? false : undefined,
    });
    // auth:finished may have arrived while main answered.
    const finishedAlready = early.current.get(pending.flowId);
    if (finishedAlready !== undefined) {
      early.current.delete(pending.flowId);
      finish(finishedAlready);
    }
  }, [edition, finish, setState]);

  const cancel = useCallback(async () => {
    const flowId = current.current.flowId;
    current.current.flowId = undefined;
    setState({ phase: 'cancelled' });
    if (flowId === undefined) return;
    try {
      await invoke('auth:cancel', { flowId });
    } catch {
      // The flow may have finished or timed out meanwhile; nothing is left to cancel.
    }
  }, [setState]);

  const reset = useCallback(() => {
    current.current.flowId = undefined;
    setState({ phase: 'idle' });
  }, [setState]);

  const dismissRevocations = useCallback((flowId: string) => setRevocations((now) => now.filter((entry) => entry.flowId !== flowId)), []);

  const value = useMemo(
    () => ({ state, start, cancel, reset, resume, revocations, dismissRevocations }),
    [state, start, cancel, reset, resume, revocations, dismissRevocations],
  );
  return <AuthFlowContext.Provider value={value}>{children}</AuthFlowContext.Provider>;
}

export function useAuthFlow(): AuthFlowValue {
  const value = useContext(AuthFlowContext);
  if (value === undefined) throw new Error('useAuthFlow must be used inside <AuthFlowProvider>');
  return value;
}
