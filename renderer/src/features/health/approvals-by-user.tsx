import { useId } from 'react';
import type { ApprovalCensusDto, ApprovalDto, UserAppApprovals } from '../../../../common/health-models';
import type { ConnectionDto } from '../../../../common/models';
import { formatTime } from '../../ui/format';
import { ApprovalsGauge } from './approvals-gauge';
import { PermissionGaps } from './permission-gaps';

export interface ApprovalsByUserProps {
  readonly censuses: readonly ApprovalCensusDto[];
  readonly connections: readonly ConnectionDto[];
  /** The report predates the current connections: no census says nothing about them. */
  readonly outdated?: boolean;
  readonly onRevoke: (approval: ApprovalDto, group: UserAppApprovals, connectionId: string) => void;
}

const sameId = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);

/**
 * The connection that counted the group can revoke from it. A census from elsewhere lacks
 * that, so pick one that can see the group: the group's own user always sees their
 * approvals; with an all-users census any working connection in the org could.
 */
export function revokingConnection(census: ApprovalCensusDto, group: UserAppApprovals, connections: readonly ConnectionDto[]): string | null {
  const via = group.viaConnectionId === undefined ? undefined : connections.find((c) => c.id === group.viaConnectionId && c.state.kind === 'connected');
  if (via !== undefined) return via.id;
  const usable = connections.filter((c) => c.state.kind === 'connected' && (census.orgId === null || sameId(c.orgId, census.orgId)));
  const own = usable.find((c) => sameId(c.userId, group.userId));
  if (own !== undefined) return own.id;
  return census.scope === 'all-users' ? (usable[0]?.id ?? null) : null;
}

function orgLabel(census: ApprovalCensusDto, connections: readonly ConnectionDto[]): string {
  const connection = census.orgId === null ? undefined : connections.find((c) => sameId(c.orgId, census.orgId ?? ''));
  if (connection === undefined) return census.orgId === null ? 'Salesforce org' : `Org ${census.orgId}`;
  try {
    return `Org at ${new URL(connection.instanceUrl).host}`;
  } catch {
    return `Org at ${connection.instanceUrl}`;
  }
}

const SCOPE_TEXT: Readonly<Record<ApprovalCensusDto['scope'], string>> = {
  'all-users': 'You see every user’s approvals in this org.',
  'own-only':
    'You see only your own approvals: each connected user’s approvals are counted with that user’s connection. Other users’ approvals are not visible without Customize Application.',
  unknown: 'ForceSites could not tell whose approvals it can see, so some may be missing.',
};

/** Every user+app group the censuses found, including other apps' and unknown sites' approvals. */
export function ApprovalsByUser({ censuses, connections, outdated = false, onRevoke }: ApprovalsByUserProps) {
  const headingId = useId();
  return (
    <section className="health-block" aria-labelledby={headingId}>
      <h2 id={headingId} className="health-block-title">
        Approvals by user
      </h2>
      <p className="muted">
        Every approval the last check found, oldest first: ForceSites’ own, the watched apps’ (such as WordPress sites running WP Fusion) and approvals no
        site here accounts for.
      </p>
      {censuses.length === 0 && outdated ? (
        <p className="muted">This report counted no approvals because it was made before your current connections. Check now to count them.</p>
      ) : censuses.length === 0 ? (
        <p className="muted">No approvals were counted: the last check had no working connection to count them with.</p>
      ) : (
        censuses.map((census, index) => <CensusView key={`${census.orgId ?? 'org'}-${index}`} census={census} connections={connections} onRevoke={onRevoke} />)
      )}
    </section>
  );
}

function CensusView({ census, connections, onRevoke }: { readonly census: ApprovalCensusDto } & Omit<ApprovalsByUserProps, 'censuses' | 'outdated'>) {
  const headingId = useId();
  return (
    <section className="panel health-census" aria-labelledby={headingId}>
      <h3 id={headingId} className="panel-title">
        {orgLabel(census, connections)}
      </h3>
      <p className="muted">Counted {formatTime(census.takenAt)}.</p>
      <p className={`health-scope health-scope-${census.scope}`}>{SCOPE_TEXT[census.scope]}</p>
      {census.truncated !== null && (
        <div className="notice notice-warning">
          <p className="notice-title">
            Only {census.truncated.listed.toLocaleString()}
            {census.truncated.total !== null ? ` of ${census.truncated.total.toLocaleString()}` : ''} approvals are listed
          </p>
          <p>{census.truncated.message}</p>
        </div>
      )}
      {census.apps.length > 0 && (
        <ul className="health-apps" aria-label="Apps counted">
          {census.apps.map((app) => (
            <li key={app.appName}>
              <strong>{app.appName}</strong>: {app.approvals === 1 ? '1 approval' : `${app.approvals.toLocaleString()} approvals`}
              {app.source !== null && <span className="muted"> (from {app.source === 'usage-api' ? 'the OAuth Usage API' : 'the OauthToken list'})</span>}
              {app.fallbackReason !== null && <span className="muted"> · {app.fallbackReason}</span>}
            </li>
          ))}
        </ul>
      )}
      {census.notes.length > 0 && (
        <ul className="health-notes" aria-label="Notes">
          {census.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <PermissionGaps gaps={census.permissionGaps} />
      {census.groups.length === 0 ? (
        <p>No approvals found for the watched apps.</p>
      ) : (
        <ul className="health-groups" aria-label={`Approvals in ${orgLabel(census, connections)}`}>
          {census.groups.map((group) => {
            const connectionId = revokingConnection(census, group, connections);
            return (
              <li key={`${group.userId}:${group.appName}`}>
                <ApprovalsGauge group={group} {...(connectionId !== null ? { onRevoke: (approval: ApprovalDto) => onRevoke(approval, group, connectionId) } : {})} />
                {connectionId === null && (
                  <p className="field-hint">
                    No working connection here can revoke these. Revoke them in Salesforce Setup (Connected Apps OAuth Usage) or sign in as{' '}
                    {group.username ?? 'this user'}.
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
