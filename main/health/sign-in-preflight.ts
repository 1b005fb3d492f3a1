/**
 * The check before a sign-in: will authorizing now revoke another site's approval?
 *
 * Salesforce revokes the user's OLDEST approval for the app when one more than the cap is made,
 * without telling anyone; the site that used it finds out at its next sync. So before the
 * browser opens we say "authorizing now as USER will disconnect SITE (authorized DATE)", and
 * suggest the connector guide's fix: a dedicated integration user per group of sites.
 */
import type { ConnectionDto, RevokedBySignIn, SiteProfileDto } from '../../common/models';
import type { ApprovalCensusDto, PreflightEviction, PreflightRequest, PreflightResult, UserAppApprovals } from '../../common/health-models';
import type { AttributionCandidate, CapSettings } from './approval-census';
import { ApprovalCensusService } from './approval-census';
import type { SalesforceApi } from '../salesforce/salesforce-api';

/** Locale-independent, so the sentence reads the same in tests, logs and every UI language. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

function whoseApproval(eviction: PreflightEviction): string {
  if (eviction.attribution.kind === 'site') {
    const names = eviction.attribution.siteNames;
    if (names.length === 1) return names[0]!;
    if (names.length > 1) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    return 'a ForceSites connection with no site';
  }
  return 'an unknown site or app';
}

export function dedicatedUserSuggestion(appName: string, cap: number): string {
  const perUser = Math.max(1, cap - 1);
  return (
    `Use a dedicated Salesforce integration user per group of at most ${perUser} sites, so no user reaches ${cap} approvals for ${appName}: ` +
    'choose another user, or revoke an approval nobody uses before continuing.'
  );
}

export interface PreflightInput extends CapSettings {
  readonly appName: string;
  /** The user about to authorize, when known. */
  readonly user: { readonly userId: string; readonly label: string } | null;
  readonly census: ApprovalCensusDto | null;
  /** When reauthorizing: the connection whose own old approval may be the one replaced. */
  readonly reauthorizeConnectionId?: string | null;
}

function groupFor(census: ApprovalCensusDto, appName: string, userId: string): UserAppApprovals | undefined {
  const app = appName.trim().toLowerCase();
  return census.groups.find((g) => g.appName.trim().toLowerCase() === app && g.userId.slice(0, 15) === userId.slice(0, 15));
}

/** Pure: the preflight verdict from a census. */
export function preflightFromCensus(input: PreflightInput): PreflightResult {
  const { appName, user, census, approvalCap: cap } = input;
  const base = { appName, userLabel: user?.label ?? null, cap };
  if (!census) {
    return {
      ...base,
      verdict: 'unknown',
      used: null,
      evicts: null,
      message: `ForceSites could not count ${appName} approvals, so it cannot tell whether this sign-in will disconnect a site. Salesforce keeps ${cap} approvals per user and revokes the oldest.`,
      suggestion: dedicatedUserSuggestion(appName, cap),
    };
  }
  if (!user) {
    const full = census.groups.filter((g) => g.appName.trim().toLowerCase() === appName.trim().toLowerCase() && g.used >= cap);
    const names = full.map((g) => g.username ?? g.userId);
    return {
      ...base,
      verdict: 'unknown-user',
      used: null,
      evicts: null,
      message:
        `Salesforce will ask who signs in. If that user already holds ${cap} ${appName} approvals, authorizing revokes their oldest and disconnects the site that used it.` +
        (names.length > 0 ? ` At the cap now: ${names.join(', ')}.` : ''),
      suggestion: names.length > 0 ? dedicatedUserSuggestion(appName, cap) : null,
    };
  }
  const group = groupFor(census, appName, user.userId);
  const used = group?.used ?? 0;
  const oldest = group?.approvals[0];
  if (group && oldest && used >= cap) {
    const evicts: PreflightEviction = { approvalId: oldest.id, authorizedAt: oldest.createdAt, attribution: oldest.attribution };
    const replacesOwn = !!input.reauthorizeConnectionId && oldest.attribution.kind === 'site' && oldest.attribution.connectionId === input.reauthorizeConnectionId;
    if (replacesOwn) {
      return {
        ...base,
        verdict: 'safe',
        used,
        evicts,
        message: `Authorizing now as ${user.label} replaces this connection's own previous approval (authorized ${formatWhen(oldest.createdAt)}); no other site is disconnected.`,
        suggestion: null,
      };
    }
    return {
      ...base,
      verdict: 'will-disconnect',
      used,
      evicts,
      message: `Authorizing now as ${user.label} will disconnect ${whoseApproval(evicts)} (authorized ${formatWhen(oldest.createdAt)}): ${user.label} already holds ${used} of ${cap} ${appName} approvals and Salesforce revokes the oldest.`,
      suggestion: dedicatedUserSuggestion(appName, cap),
    };
  }
  // Reauthorizing replaces the connection's own approval: Salesforce holds as many after as
  // before, and the approval that goes next is the oldest OTHER one.
  const own = input.reauthorizeConnectionId
    ? group?.approvals.find((a) => a.attribution.kind === 'site' && a.attribution.connectionId === input.reauthorizeConnectionId)
    : undefined;
  if (own) {
    const nextToGo = group?.approvals.find((a) => a !== own);
    const atCapAfter = used >= cap - 1 && nextToGo !== undefined;
    return {
      ...base,
      verdict: 'safe',
      used,
      evicts: null,
      message:
        `Reauthorizing replaces this connection's own approval: ${user.label} holds ${used} of ${cap} ${appName} approvals before and after; this sign-in disconnects nothing.` +
        (atCapAfter && nextToGo
          ? ` A new sign-in as ${user.label} elsewhere would disconnect ${whoseApproval({ approvalId: nextToGo.id, authorizedAt: nextToGo.createdAt, attribution: nextToGo.attribution })} (authorized ${formatWhen(nextToGo.createdAt)}).`
          : ''),
      suggestion: null,
    };
  }
  if (used + 1 >= cap || used >= input.approvalWarnAt) {
    const after = used + 1;
    return {
      ...base,
      verdict: 'warning',
      used,
      evicts: null,
      message: `${user.label} holds ${used} of ${cap} ${appName} approvals; after this sign-in ${after} of ${cap}.${after >= cap && oldest ? ` The next one will disconnect ${whoseApproval({ approvalId: oldest.id, authorizedAt: oldest.createdAt, attribution: oldest.attribution })}.` : ''}`,
      suggestion: dedicatedUserSuggestion(appName, cap),
    };
  }
  return { ...base, verdict: 'safe', used, evicts: null, message: `${user.label} holds ${used} of ${cap} ${appName} approvals; this sign-in disconnects nothing.`, suggestion: null };
}

// ---------------------------------------------------------------- the async wrapper

export interface PreflightPorts {
  listConnections(): Promise<readonly ConnectionDto[]>;
  listSites(): Promise<readonly SiteProfileDto[]>;
  /** A live API for a stored connection; rejects when it needs reauthorization. */
  openConnection(connectionId: string): Promise<SalesforceApi>;
  settings(): Promise<CapSettings & { readonly watchedApps: readonly string[] }>;
}

export interface SignInPreflightOptions {
  readonly ports: PreflightPorts;
  readonly census?: ApprovalCensusService;
  /** ForceSites' connected app name in the org (ConnectedApplication.Name). */
  readonly ownAppName?: string;
  readonly toleranceMs?: number;
}

/** Builds attribution candidates: each connection's sign-in time, and the sites that use it. */
export function candidatesFrom(connections: readonly ConnectionDto[], sites: readonly SiteProfileDto[], appName: string): AttributionCandidate[] {
  return connections.map((c) => {
    const own = sites.filter((s) => s.connectionId === c.id || c.siteIds.includes(s.id));
    return { connectionId: c.id, userId: c.userId, appName, authorizedAt: Date.parse(c.authorizedAt), siteIds: own.map((s) => s.id), siteNames: own.map((s) => s.name) };
  });
}

export class SignInPreflight {
  private readonly census: ApprovalCensusService;
  private readonly ownAppName: string;

  constructor(private readonly options: SignInPreflightOptions) {
    this.census = options.census ?? new ApprovalCensusService();
    this.ownAppName = options.ownAppName ?? 'ForceSites';
  }

  async check(request: PreflightRequest): Promise<PreflightResult> {
    return (await this.checkWithCensus(request)).result;
  }

  /** The verdict, and the census it came from (kept to compare with one taken after the sign-in). */
  async checkWithCensus(request: PreflightRequest): Promise<{ readonly result: PreflightResult; readonly census: ApprovalCensusDto | null }> {
    const { ports } = this.options;
    const [connections, sites, settings] = await Promise.all([ports.listConnections(), ports.listSites(), ports.settings()]);
    const appName = request.appName ?? this.ownAppName;
    const target = request.connectionId ? connections.find((c) => c.id === request.connectionId) : undefined;
    const byUsername = request.username === undefined ? undefined : connections.find((c) => c.username.toLowerCase() === request.username!.toLowerCase());
    let userId = target?.userId ?? request.userId ?? byUsername?.userId ?? null;
    const label = target?.username ?? byUsername?.username ?? connections.find((c) => userId !== null && c.userId === userId)?.username ?? request.username ?? userId;

    // Who can count: the user's own live connections see at least their own approvals; any
    // other live connection of the org helps only if its user sees everybody's. The target may
    // be the dead one being reauthorized, so it is tried only if it is connected.
    const orgId = target?.orgId ?? (userId ? connections.find((c) => c.userId === userId)?.orgId : undefined);
    const sameOrg = connections.filter((c) => orgId === undefined || c.orgId === orgId);
    const live = sameOrg.filter((c) => c.state.kind === 'connected');
    const sameUser = (c: ConnectionDto): boolean => userId !== null && c.userId.slice(0, 15) === userId.slice(0, 15);
    const ordered = [...live.filter(sameUser), ...live.filter((c) => !sameUser(c))];
    let census: ApprovalCensusDto | null = null;
    for (const connection of ordered) {
      try {
        const api = await ports.openConnection(connection.id);
        const taken = await this.census.take(api, {
          watchedApps: [appName],
          approvalCap: settings.approvalCap,
          approvalWarnAt: settings.approvalWarnAt,
          candidates: candidatesFrom(sameOrg, sites, this.ownAppName),
          toleranceMs: this.options.toleranceMs,
          orgId: connection.orgId,
        });
        if (taken.dto.scope === 'all-users' || userId === null || sameUser(connection)) {
          census = taken.dto;
          break;
        }
      } catch {
        continue;
      }
    }
    // A username typed before a new sign-in: an admin's census names every user, so a user
    // ForceSites holds no connection for is found there (or holds no approval at all).
    if (userId === null && request.username !== undefined && census !== null) {
      const wanted = request.username.toLowerCase();
      const group = census.groups.find((g) => g.username?.toLowerCase() === wanted);
      if (group) userId = group.userId;
      else if (census.scope === 'all-users') userId = `username:${wanted}`;
    }
    const user = userId && label ? { userId, label } : null;
    const result = preflightFromCensus({ appName, user, census, approvalCap: settings.approvalCap, approvalWarnAt: settings.approvalWarnAt, reauthorizeConnectionId: target?.id ?? null });
    return { result, census };
  }
}

/**
 * Approvals Salesforce revoked because of a sign-in: those of the signed-in user and app that
 * the census before listed and the census after does not, except the connection's own previous
 * approval (ForceSites revokes that one itself when a sign-in replaces it).
 */
export function revokedBetween(
  before: ApprovalCensusDto | null,
  after: ApprovalCensusDto | null,
  signedIn: { readonly connectionId: string; readonly userId: string; readonly username: string },
  appName: string,
): RevokedBySignIn[] {
  if (before === null || after === null) return [];
  const app = appName.trim().toLowerCase();
  const user = signedIn.userId.slice(0, 15);
  const groupOf = (census: ApprovalCensusDto) => census.groups.find((g) => g.appName.trim().toLowerCase() === app && g.userId.slice(0, 15) === user);
  const was = groupOf(before);
  const now = groupOf(after);
  if (was === undefined || now === undefined) return [];
  const still = new Set(now.approvals.map((a) => a.id));
  return was.approvals
    .filter((a) => !still.has(a.id) && !(a.attribution.kind === 'site' && a.attribution.connectionId === signedIn.connectionId))
    .map((a) => ({
      appName: was.appName,
      username: signedIn.username,
      authorizedAt: a.createdAt,
      belongedTo: a.attribution.kind === 'site' ? (a.attribution.siteNames.length > 0 ? `site ${a.attribution.siteNames.map((n) => `“${n}”`).join(', ')}` : 'a ForceSites connection with no site') : 'another app, device or site outside ForceSites',
      siteIds: a.attribution.kind === 'site' ? a.attribution.siteIds : [],
    }));
}
