import { useCallback, useState } from 'react';
import type { PreflightResult } from '../../../../common/health-models';
import type { ConnectionDto } from '../../../../common/models';
import { invoke, toErrorDto } from '../../bridge';
import type { SignInRequest } from './auth-flow';

/** Whose approvals to check: an existing connection's user, or a username the admin typed. */
export type PreflightTarget = { readonly connectionId: string } | { readonly username: string };

export interface PendingSignIn {
  readonly request: SignInRequest;
  readonly result: PreflightResult;
  readonly target: PreflightTarget;
}

export interface SignInPreflight {
  /** True while `auth:preflight` runs. */
  readonly checking: boolean;
  /** A sign-in waiting for the admin's answer in the preflight dialog. */
  readonly pending: PendingSignIn | undefined;
  /** Shown next to the sign-in when the approvals could not be checked. */
  readonly note: string | undefined;
  /** Checks (when there is a target), then starts or asks. */
  readonly begin: (request: SignInRequest, target: PreflightTarget | undefined) => Promise<void>;
  readonly continueAsPlanned: () => void;
  readonly chooseAnotherUser: () => void;
  readonly cancel: () => void;
}

/**
 * Which existing connection's user the browser will most likely sign in as when the admin adds
 * a connection without "Choose another user": Salesforce reuses the browser's session, which
 * belongs to the last user who authorized this app there. Undefined when nobody can tell.
 */
export function likelyReusedConnection(request: SignInRequest, connections: readonly ConnectionDto[]): ConnectionDto | undefined {
  if (request.chooseAnotherUser || request.reauthorizeConnectionId !== undefined) return undefined;
  const sameApp = connections.filter((connection) => connection.clientId === request.clientId);
  return [...sameApp].sort((a, b) => Date.parse(b.authorizedAt) - Date.parse(a.authorizedAt))[0];
}

export interface PreflightOptions {
  /** "Choose another user" after a check of a typed username: ask for the other username. */
  readonly onChooseAnotherUsername?: () => void;
}

/**
 * Asks main before a sign-in whether one more approval would make Salesforce revoke another
 * site's (`auth:preflight`). 'will-disconnect' and 'warning' wait for the admin; every other
 * verdict goes ahead, because the check is advice and must never block a sign-in on its own.
 */
export function useSignInPreflight(start: (request: SignInRequest) => void, options: PreflightOptions = {}): SignInPreflight {
  const { onChooseAnotherUsername } = options;
  const [checking, setChecking] = useState(false);
  const [pending, setPending] = useState<PendingSignIn | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);

  const proceed = useCallback(
    (request: SignInRequest) => {
      setPending(undefined);
      start(request);
    },
    [start],
  );

  const begin = useCallback(
    async (request: SignInRequest, target: PreflightTarget | undefined) => {
      setNote(undefined);
      if (target === undefined) {
        proceed(request);
        return;
      }
      setChecking(true);
      let result: PreflightResult;
      try {
        result = await invoke('auth:preflight', 'username' in target ? { username: target.username } : { connectionId: target.connectionId });
      } catch (error) {
        setChecking(false);
        setNote(`ForceSites could not check this user’s approvals before the sign-in: ${toErrorDto(error).message}`);
        proceed(request);
        return;
      }
      setChecking(false);
      if (result.verdict === 'will-disconnect' || result.verdict === 'warning') {
        setPending({ request, result, target });
        return;
      }
      if (result.verdict === 'unknown') setNote(result.message);
      proceed(request);
    },
    [proceed],
  );

  // Main refuses a sign-in that evicts another site's approval unless it names that approval.
  const continueAsPlanned = useCallback(() => {
    if (pending === undefined) return;
    const evicts = pending.result.evicts;
    proceed(evicts ? { ...pending.request, acknowledgedApprovalId: evicts.approvalId } : pending.request);
  }, [pending, proceed]);

  // A typed username named the user to check; signing in as someone else unchecked would be
  // the silent revocation the check exists to prevent, so the admin types that user instead.
  const chooseAnotherUser = useCallback(() => {
    if (pending === undefined) return;
    if ('username' in pending.target && onChooseAnotherUsername !== undefined) {
      setPending(undefined);
      onChooseAnotherUsername();
      return;
    }
    // Main checks the expected username again in auth:start, so it must not travel with a sign-in as someone else.
    const { expectedUsername: _dropped, ...request } = pending.request;
    proceed({ ...request, chooseAnotherUser: true });
  }, [pending, proceed, onChooseAnotherUsername]);

  const cancel = useCallback(() => setPending(undefined), []);

  return { checking, pending, note, begin, continueAsPlanned, chooseAnotherUser, cancel };
}
