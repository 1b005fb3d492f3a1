import { useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { ConnectionDto } from '../../../../common/models';
import { invoke, toErrorDto } from '../../bridge';
import { Dialog } from '../../ui/dialog';
import { ErrorNotice } from '../../ui/error-notice';

/** What a finished disconnect tells the page: main's message and the sites left without a connection. */
export interface DisconnectOutcome {
  readonly message: string;
  readonly detachedSites: readonly string[];
}

export interface DisconnectDialogProps {
  readonly connection: ConnectionDto;
  readonly siteNames: readonly string[];
  readonly onDone: (outcome: DisconnectOutcome) => void;
  readonly onCancel: () => void;
}

/**
 * Disconnect in up to two steps: revoke at Salesforce and remove locally; if Salesforce does
 * not confirm the revocation, say so and let the admin decide whether to remove the local
 * entry anyway (the approval may then stay active in Salesforce).
 */
export function DisconnectDialog({ connection, siteNames, onDone, onCancel }: DisconnectDialogProps) {
  const [step, setStep] = useState<{ kind: 'confirm' } | { kind: 'revoke-failed'; message: string }>({ kind: 'confirm' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);

  async function disconnect(removeLocallyIfRevokeFails: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await invoke('connections:disconnect', { connectionId: connection.id, removeLocallyIfRevokeFails });
      if (answer.removedLocally) {
        // Main names the sites it detached; an older main does not, and then the sites this
        // dialog listed as using the connection are the ones left without one.
        onDone({ message: answer.message, detachedSites: answer.detachedSites?.map((site) => site.name) ?? siteNames });
        return;
      }
      setStep({ kind: 'revoke-failed', message: answer.message });
    } catch (failure) {
      setError(toErrorDto(failure));
    }
    setBusy(false);
  }

  const status = <p role="status" aria-live="polite" className="visually-hidden">{busy ? 'Disconnecting…' : ''}</p>;

  if (step.kind === 'revoke-failed') {
    return (
      <Dialog
        key="revoke-failed"
        title="Salesforce did not confirm the revocation"
        onClose={busy ? undefined : onCancel}
        actions={
          <>
            <button type="button" className="button" onClick={onCancel} disabled={busy}>
              Keep the connection
            </button>
            <button type="button" className="button button-danger" onClick={() => void disconnect(true)} disabled={busy}>
              Remove from ForceSites anyway
            </button>
          </>
        }
      >
        <p>{step.message}</p>
        <p>
          Remove the local entry anyway? ForceSites will forget the connection and its token, but the approval may stay active in Salesforce until you
          revoke it there (Setup → Connected Apps OAuth Usage, or the user’s own settings).
        </p>
        {error !== undefined && <ErrorNotice error={error} />}
        {status}
      </Dialog>
    );
  }

  return (
    <Dialog
      key="confirm"
      title={`Disconnect ${connection.username}?`}
      tone="danger"
      onClose={busy ? undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => void disconnect(false)} disabled={busy}>
            {busy ? 'Disconnecting…' : 'Disconnect'}
          </button>
        </>
      }
    >
      <p>ForceSites revokes this approval at Salesforce and removes the connection and its token from the keychain.</p>
      {siteNames.length > 0 ? (
        <p>
          {siteNames.length === 1 ? 'This site uses it and will stop syncing' : `These ${siteNames.length} sites use it and will stop syncing`} until you pick
          another connection: {siteNames.join(', ')}.
        </p>
      ) : (
        <p>No site uses this connection.</p>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      {status}
    </Dialog>
  );
}
