import type { ConnectionDto, LoginHostKind, ReauthorizationCause } from '../../../../common/models';
import type { SignInRequest } from './auth-flow';

export const LOGIN_HOST_KINDS: readonly { value: LoginHostKind; label: string; hint: string }[] = [
  { value: 'production', label: 'Production or Developer Edition', hint: 'Signs in at login.salesforce.com.' },
  { value: 'sandbox', label: 'Sandbox', hint: 'Signs in at test.salesforce.com.' },
  { value: 'mydomain', label: 'My Domain', hint: 'Your org’s own login address, such as acme.my.salesforce.com.' },
  { value: 'custom', label: 'Custom login URL', hint: 'Any other Salesforce login address, such as an Experience Cloud site.' },
];

/** Works out how to reauthorize from what the connection remembers. */
export function reauthorizeRequest(connection: ConnectionDto): SignInRequest {
  let host = '';
  try {
    host = new URL(connection.loginUrl).hostname.toLowerCase();
  } catch {
    host = '';
  }
  const base = { clientId: connection.clientId, chooseAnotherUser: true, reauthorizeConnectionId: connection.id } as const;
  if (host === 'login.salesforce.com') return { loginHostKind: 'production', ...base };
  if (host === 'test.salesforce.com') return { loginHostKind: 'sandbox', ...base };
  if (host.endsWith('.my.salesforce.com')) return { loginHostKind: 'mydomain', loginHost: connection.loginUrl, ...base };
  return { loginHostKind: 'custom', loginHost: connection.loginUrl, ...base };
}

export function causeText(cause: ReauthorizationCause): string {
  switch (cause) {
    case 'evicted-by-approval-cap':
      return 'Salesforce revoked this approval because the same user approved the app more times than Salesforce allows, and the oldest approval is dropped.';
    case 'policy-expiry':
      return 'The app’s refresh token policy expired this approval. Set the policy to “Refresh token is valid until revoked” so it does not happen again.';
    case 'revoked':
      return 'The approval was revoked in Salesforce, by an admin or by the user.';
    case 'org-refreshed':
      return 'The org was refreshed or moved, so its earlier approvals no longer exist.';
    case 'unknown':
      return 'Salesforce no longer accepts this approval.';
  }
}

/** Shows enough of a consumer key to recognise it. */
export function shortKey(key: string): string {
  return key.length <= 14 ? key : `${key.slice(0, 8)}…${key.slice(-4)}`;
}

export function validateLoginHost(kind: LoginHostKind, value: string): string | undefined {
  if (kind === 'production' || kind === 'sandbox') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') {
    return kind === 'mydomain' ? 'Enter your My Domain login address, for example acme.my.salesforce.com.' : 'Enter the login URL, for example https://login.example.com.';
  }
  if (trimmed.length > 255) return 'This address is too long (255 characters at most).';
  let url: URL | undefined;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '' || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return 'Enter a host such as acme.my.salesforce.com or a full https:// address.';
  }
  return undefined;
}
