/**
 * Sign-ins against the emulator for the health tests: real authorize forms (fetch), real token
 * endpoint, real jsforce Connections — so the census sees approvals the way Salesforce makes
 * them. Bulk seeding for the 2,500-row test goes through the emulator's in-process org instead,
 * because thousands of browser logins would take minutes.
 */
import type { Connection } from 'jsforce';
import type { RunningEmulator } from '../../salesforce-emulator/index';
import { browserLogin, connectWithPkce, tokenCall } from '../../salesforce-emulator/test-support';
import type { AttributionCandidate } from '../../../main/health/approval-census';
import type { SalesforceApi } from '../../../main/salesforce/salesforce-api';
import type { ConnectionDto } from '../../../common/models';

export const WP_FUSION = { name: 'WP Fusion (OAuth)', clientId: '3MVG9wpfusion.emulator.client', secret: 'wp-fusion-secret', redirectUri: 'https://wpfusion.com/oauth/salesforce' };

export interface SignedIn {
  readonly conn: Connection;
  readonly api: SalesforceApi;
  readonly refreshToken: string;
  readonly userId: string;
  readonly username: string;
  /** Emulator clock at the sign-in: what the approval's CreatedDate says. */
  readonly authorizedAt: number;
}

/** A ForceSites sign-in (PKCE) through the HTML forms; then the clock moves a minute. */
export async function signIn(emu: RunningEmulator, username: string, password: string): Promise<SignedIn> {
  const authorizedAt = emu.handle.now();
  const { conn } = await connectWithPkce(emu, { username, password });
  const userId = conn.userInfo?.id ?? '';
  emu.handle.advanceClock({ minutes: 1 });
  return { conn, api: asApi(conn), refreshToken: conn.refreshToken ?? '', userId, username, authorizedAt };
}

/** The jsforce Connection is the SalesforceApi port as is; this only pins the type. */
export function asApi(conn: Connection): SalesforceApi {
  return conn;
}

/** A WP Fusion authorization (confidential client, no PKCE), as a WordPress site makes it. */
export async function authorizeWpFusion(emu: RunningEmulator, username: string, password: string): Promise<string> {
  const login = await browserLogin(emu, { clientId: WP_FUSION.clientId, redirectUri: WP_FUSION.redirectUri, noPkce: true, username, password });
  if (!login.code) throw new Error(`no code: ${login.location.href}`);
  const r = await tokenCall(emu, { grant_type: 'authorization_code', code: login.code, client_id: WP_FUSION.clientId, client_secret: WP_FUSION.secret, redirect_uri: WP_FUSION.redirectUri });
  emu.handle.advanceClock({ minutes: 1 });
  return (r.body as Record<string, string>).refresh_token ?? '';
}

export function candidate(s: SignedIn, connectionId: string, siteName: string): AttributionCandidate {
  return { connectionId, userId: s.userId, appName: 'ForceSites', authorizedAt: s.authorizedAt, siteIds: [`site-${connectionId}`], siteNames: [siteName] };
}

/**
 * Seeds approvals without the browser: the same code path the token endpoint runs
 * (issueCode + exchangeCode), including the approval cap.
 */
export function seedApprovals(emu: RunningEmulator, users: number, perUser: number, appName = 'ForceSites'): void {
  const org = emu.handle.org();
  const app = org.requireApp(appName);
  for (let u = 0; u < users; u++) {
    const user = org.addUser({ username: `bulk${u}@forcesites.test`, password: 'bulk-password-1', permissions: ['ApiEnabled'] });
    for (let i = 0; i < perUser; i++) {
      const code = org.issueCode(app, user, app.redirectUris[0]!, undefined, ['api', 'refresh_token']);
      const params = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId, redirect_uri: app.redirectUris[0]! });
      if (app.clientSecret) params.set('client_secret', app.clientSecret);
      const result = org.exchangeCode(params);
      if (!result.ok) throw new Error(`seeding failed: ${JSON.stringify(result.body)}`);
    }
  }
}

/**
 * The same connection seen as an org on API 58.0 (before the OAuth Usage API), while calls
 * still go to the emulator's lowest served version (59.0+): the emulator serves no older
 * version, so this is how the SOQL fallback is driven end to end.
 */
export function asApi58(api: SalesforceApi): SalesforceApi {
  return {
    instanceUrl: api.instanceUrl,
    version: '58.0',
    request: (r) => api.request(r),
    metadata: api.metadata,
  };
}

/** The ConnectionDto ForceSites would hold for a sign-in, as the health code receives it. */
export function connectionDtoFor(emu: RunningEmulator, s: SignedIn, id: string, overrides: Partial<ConnectionDto> = {}): ConnectionDto {
  return {
    id,
    loginUrl: emu.loginUrl,
    instanceUrl: emu.instanceUrl,
    clientId: emu.clientId,
    orgId: emu.orgId,
    userId: s.userId,
    username: s.username,
    displayName: s.username,
    apiVersion: '66.0',
    authorizedAt: new Date(s.authorizedAt).toISOString(),
    state: { kind: 'connected' },
    siteIds: [],
    ...overrides,
  };
}
