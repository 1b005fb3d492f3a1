import { useId } from 'react';
import type { RevokedBySignIn, SiteProfileDto } from '../../../../common/models';
import { routeHref } from '../../app/routes';
import { Timestamp } from '../../ui/timestamp';
import type { SignInRevocations } from './auth-flow';

export interface RevokedBySignInNoticeProps {
  readonly entry: SignInRevocations;
  readonly sites: readonly SiteProfileDto[];
  readonly onDismiss: () => void;
}

function approvals(count: number): string {
  return count === 1 ? '1 approval' : `${count} approvals`;
}

function byUser(revoked: readonly RevokedBySignIn[]): readonly (readonly [string, readonly RevokedBySignIn[]])[] {
  const groups = new Map<string, RevokedBySignIn[]>();
  for (const item of revoked) groups.set(item.username, [...(groups.get(item.username) ?? []), item]);
  return [...groups.entries()];
}

/**
 * After a sign-in that made Salesforce revoke approvals because the user was at the cap: says
 * plainly which approval went, whose it was, and which sites lost their connection with it.
 * It stays until dismissed: nothing else would tell the admin that another tool just lost access.
 */
export function RevokedBySignInNotice({ entry, sites, onDismiss }: RevokedBySignInNoticeProps) {
  const headingId = useId();
  const groups = byUser(entry.revoked);
  const total = entry.revoked.length;
  const users = groups.map(([username]) => username);
  const siteName = (id: string) => sites.find((site) => site.id === id)?.name ?? id;
  const affected = [...new Set(entry.revoked.flatMap((item) => item.siteIds))];
  return (
    <section className="notice notice-warning" aria-labelledby={headingId}>
      <div role="alert">
        <h2 id={headingId} className="notice-title">
          Salesforce revoked {approvals(total)} because {users.join(' and ')} {users.length === 1 ? 'was' : 'were'} at the cap
        </h2>
        {groups.map(([username, items]) => (
          <div key={username}>
            {groups.length > 1 && (
              <p>
                {username} already held as many approvals as Salesforce allows; the new one made Salesforce revoke:
              </p>
            )}
            <ul aria-label={`Approvals of ${username} that Salesforce revoked`}>
              {items.map((item) => (
                <li key={`${item.appName}-${item.authorizedAt}`}>
                  {item.appName} authorized <Timestamp iso={item.authorizedAt} />, which belonged to {item.belongedTo}.
                </li>
              ))}
            </ul>
          </div>
        ))}
        {groups.length === 1 && (
          <p className="notice-hint">
            {users[0]} already held as many approvals of the app as Salesforce allows, so the new one made Salesforce revoke the oldest.
          </p>
        )}
      </div>
      {affected.length > 0 && (
        <>
          <p>
            {affected.length === 1 ? 'The site that lost its connection: ' : 'The sites that lost their connection: '}
            {affected.map((id, index) => (
              <span key={id}>
                {index > 0 && ', '}
                <a href={routeHref('sites')}>{siteName(id)}</a>
              </span>
            ))}
            .
          </p>
          <p className="notice-hint">
            They stop syncing until they have a working connection again. On the Sites page, give them a connection whose user has an approval to spare:
            reauthorizing as {users.join(' or ')} would make Salesforce revoke that user’s next-oldest approval.
          </p>
        </>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
