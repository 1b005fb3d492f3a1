import type { ApprovalDto, UserAppApprovals } from '../../../../common/health-models';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatTime } from '../../ui/format';

export interface RevokeTarget {
  readonly approval: ApprovalDto;
  readonly group: UserAppApprovals;
  /** The connection main revokes through: one that can see the approval. */
  readonly connectionId: string;
}

export interface RevokeApprovalDialogProps {
  readonly target: RevokeTarget;
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
}

function whoUsesIt(approval: ApprovalDto): string {
  if (approval.attribution.kind === 'unknown-site') return 'ForceSites does not know what uses it: it may be a WordPress site, a plugin or an integration you still need.';
  const names = approval.attribution.siteNames;
  if (names.length === 0) return 'A ForceSites connection uses it, but no site profile does.';
  return `ForceSites uses it for ${names.join(', ')}: ${names.length === 1 ? 'that site stops' : 'those sites stop'} syncing until the connection is reauthorized.`;
}

/** Asks before revoking: a revoked approval disconnects whatever uses it, at once and for good. */
export function RevokeApprovalDialog({ target, onConfirm, onCancel }: RevokeApprovalDialogProps) {
  const { approval, group } = target;
  const who = group.username ?? group.userId;
  return (
    <ConfirmDialog title="Revoke this approval?" confirmLabel="Revoke approval" busyLabel="Revoking…" onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        The approval of <strong>{who}</strong> for <strong>{group.appName}</strong>, authorized {formatTime(approval.createdAt)} and last used{' '}
        {formatTime(approval.lastUsedAt)}.
      </p>
      <p>Revoking it disconnects whatever uses it, immediately. {whoUsesIt(approval)}</p>
      <p className="muted">Salesforce cannot restore a revoked approval; whatever used it has to be authorized again, which uses a new approval.</p>
    </ConfirmDialog>
  );
}
