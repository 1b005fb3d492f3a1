/**
 * The refresh token policy check. Sites need "Refresh token is valid until revoked"; any other
 * policy disconnects them after a while, and Salesforce says so only as `invalid_grant` on the
 * next refresh. Two sources, in order of trust:
 *
 * 1. the Metadata API `ConnectedApp.oauthPolicy.refreshTokenPolicy` (needs Modify Metadata /
 *    Customize Application): `infinite`, `zero`, `specific_lifetime:N:UNIT`,
 *    `specific_inactivity:N:UNIT` — documented, so CONFIRMED;
 * 2. the `ConnectedApplication` row (needs View Setup): `RefreshTokenValidityPeriod` and
 *    `OptionsRefreshTokenValidityMetric`. That a null period means "valid until revoked", that
 *    0 means "immediately" and that the period counts hours are inferences (UNCONFIRMED), and
 *    the report says so.
 */
import type { PermissionGap, PolicyEvidence, PolicyReportDto, RefreshPolicyVerdict, TimeUnitName } from '../../common/health-models';
import type { ConnectedApplicationRead, ConnectedApplicationRow } from './connected-application';
import { defaultDeveloperName, readConnectedApplication } from './connected-application';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { errorCodeOf } from '../salesforce/salesforce-errors';
import type { UserPermissions } from './user-permissions';
import { GAPS } from './user-permissions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Salesforce counts months; we take 30 days (UNCONFIRMED), erring towards refreshing early. */
export const UNIT_MS: Record<TimeUnitName, number> = { minutes: MINUTE, hours: HOUR, days: DAY, months: 30 * DAY };

export function policyFixPath(appName: string): string {
  return `Setup » Connected Apps » ${appName} » Edit Policies » Refresh Token Policy: Refresh token is valid until revoked`;
}

function unitOf(text: string): TimeUnitName | null {
  const u = text.trim().toLowerCase().replace(/s$/, '');
  if (u === 'minute') return 'minutes';
  if (u === 'hour') return 'hours';
  if (u === 'day') return 'days';
  if (u === 'month') return 'months';
  return null;
}

function timed(kind: 'expires-after' | 'expires-if-unused', amount: number, unit: TimeUnitName): RefreshPolicyVerdict {
  return { kind, amount, unit, periodMs: amount * UNIT_MS[unit] };
}

/** The Metadata API's `refreshTokenPolicy` string. Unknown spellings give `unknown`, never a guess. */
export function parseMetadataRefreshTokenPolicy(value: string | null | undefined): RefreshPolicyVerdict {
  if (typeof value !== 'string') return { kind: 'unknown' };
  const v = value.trim().toLowerCase();
  if (v === 'infinite') return { kind: 'valid-until-revoked' };
  if (v === 'zero') return { kind: 'expires-immediately' };
  const m = /^specific_(lifetime|inactivity):(\d+):([a-z]+)$/.exec(v);
  const unit = m ? unitOf(m[3]!) : null;
  if (!m || !unit || Number(m[2]) <= 0) return { kind: 'unknown' };
  return timed(m[1] === 'lifetime' ? 'expires-after' : 'expires-if-unused', Number(m[2]), unit);
}

/** External Client Apps: `refreshTokenPolicyType` + `refreshTokenValidityPeriod` + `refreshTokenValidityUnit`. */
export function parseExternalClientAppPolicy(type: string | null | undefined, period: number | null | undefined, unit: string | null | undefined): RefreshPolicyVerdict {
  switch ((type ?? '').toLowerCase()) {
    case 'infinite':
      return { kind: 'valid-until-revoked' };
    case 'zero':
      return { kind: 'expires-immediately' };
    case 'specificlifetime':
    case 'specificinactivity': {
      const u = unit ? unitOf(unit) : null;
      if (!u || typeof period !== 'number' || period <= 0) return { kind: 'unknown' };
      return timed((type ?? '').toLowerCase() === 'specificlifetime' ? 'expires-after' : 'expires-if-unused', period, u);
    }
    default:
      return { kind: 'unknown' };
  }
}

/** Reads the ConnectedApplication row. Hours are the assumed unit of the period (UNCONFIRMED). */
export function classifyConnectedApplicationRow(row: ConnectedApplicationRow): { verdict: RefreshPolicyVerdict; evidence: PolicyEvidence[] } {
  const period = row.RefreshTokenValidityPeriod;
  const fromLastUse = row.OptionsRefreshTokenValidityMetric;
  const evidence: PolicyEvidence[] = [];
  let verdict: RefreshPolicyVerdict;
  if (period === null || period === undefined) {
    verdict = { kind: 'valid-until-revoked' };
    evidence.push({ source: 'ConnectedApplication', field: 'RefreshTokenValidityPeriod', value: null, reading: 'no period: read as "valid until revoked" (an inference Salesforce does not document)', confirmed: false });
  } else if (period === 0) {
    verdict = { kind: 'expires-immediately' };
    evidence.push({ source: 'ConnectedApplication', field: 'RefreshTokenValidityPeriod', value: 0, reading: 'zero: read as "immediately expire refresh token" (UNCONFIRMED encoding)', confirmed: false });
  } else {
    const amount = period % 24 === 0 ? period / 24 : period;
    const unit: TimeUnitName = period % 24 === 0 ? 'days' : 'hours';
    verdict = timed(fromLastUse ? 'expires-if-unused' : 'expires-after', amount, unit);
    evidence.push({ source: 'ConnectedApplication', field: 'RefreshTokenValidityPeriod', value: period, reading: `${period} (read as hours, UNCONFIRMED unit)`, confirmed: false });
  }
  if (fromLastUse !== null && fromLastUse !== undefined) {
    evidence.push({
      source: 'ConnectedApplication',
      field: 'OptionsRefreshTokenValidityMetric',
      value: fromLastUse,
      reading: fromLastUse ? 'validity counted from last use (expire if not used)' : 'validity counted from issue (expire after)',
      confirmed: true,
    });
  }
  return { verdict, evidence };
}

export function describeVerdict(verdict: RefreshPolicyVerdict): string {
  const span = (v: { amount: number; unit: TimeUnitName }): string => `${v.amount} ${v.amount === 1 ? v.unit.replace(/s$/, '') : v.unit}`;
  switch (verdict.kind) {
    case 'valid-until-revoked':
      return 'Refresh token is valid until revoked: sites stay connected.';
    case 'expires-after':
      return `Refresh tokens expire ${span(verdict)} after authorization: every site must be authorized again by then.`;
    case 'expires-if-unused':
      return `Refresh tokens expire when not used for ${span(verdict)}: a site that does not sync that long is disconnected (ForceSites refreshes idle connections to prevent it).`;
    case 'expires-immediately':
      return 'Refresh tokens expire immediately: no site can stay connected.';
    case 'unknown':
      return 'ForceSites could not read the refresh token policy.';
  }
}

export function verdictSeverity(verdict: RefreshPolicyVerdict): PolicyReportDto['severity'] {
  switch (verdict.kind) {
    case 'valid-until-revoked':
      return 'ok';
    case 'expires-if-unused':
      return 'warning';
    case 'expires-after':
    case 'expires-immediately':
      return 'error';
    case 'unknown':
      return 'unknown';
  }
}

function sameVerdict(a: RefreshPolicyVerdict, b: RefreshPolicyVerdict): boolean {
  if (a.kind !== b.kind) return false;
  if ('periodMs' in a && 'periodMs' in b) return a.periodMs === b.periodMs;
  return true;
}

/**
 * Combines what each source said. The Metadata API wins when it answered; a disagreement is
 * kept in the evidence so an admin can see why ForceSites believes what it shows.
 */
export function buildPolicyReport(appName: string, input: { row: ConnectedApplicationRead; metadataPolicy: string | null | undefined; metadataError?: string | null; permissionGaps?: readonly PermissionGap[] }): PolicyReportDto {
  const evidence: PolicyEvidence[] = [];
  const gaps: PermissionGap[] = [...(input.permissionGaps ?? [])];
  let rowVerdict: RefreshPolicyVerdict = { kind: 'unknown' };
  let adminApprovedOnly: boolean | null = null;
  if (input.row.kind === 'found') {
    const classified = classifyConnectedApplicationRow(input.row.row);
    rowVerdict = classified.verdict;
    evidence.push(...classified.evidence);
    adminApprovedOnly = input.row.row.OptionsAllowAdminApprovedUsersOnly ?? null;
    if (adminApprovedOnly !== null) {
      evidence.push({
        source: 'ConnectedApplication',
        field: 'OptionsAllowAdminApprovedUsersOnly',
        value: adminApprovedOnly,
        reading: adminApprovedOnly ? 'only admin-approved users (profiles / permission sets) may authorize' : 'all users may self-authorize',
        confirmed: true,
      });
    }
  } else if (input.row.kind === 'no-access') {
    if (!gaps.includes(GAPS.viewSetupPolicy)) gaps.push(GAPS.viewSetupPolicy);
  }

  let metadataVerdict: RefreshPolicyVerdict = { kind: 'unknown' };
  if (typeof input.metadataPolicy === 'string') {
    metadataVerdict = parseMetadataRefreshTokenPolicy(input.metadataPolicy);
    evidence.push({ source: 'Metadata API', field: 'oauthPolicy.refreshTokenPolicy', value: input.metadataPolicy, reading: describeVerdict(metadataVerdict), confirmed: metadataVerdict.kind !== 'unknown' });
  } else if (input.metadataError) {
    if (!gaps.includes(GAPS.metadataPolicy)) gaps.push(GAPS.metadataPolicy);
  }

  const verdict = metadataVerdict.kind !== 'unknown' ? metadataVerdict : rowVerdict;
  let summary = describeVerdict(verdict);
  if (metadataVerdict.kind !== 'unknown' && rowVerdict.kind !== 'unknown' && !sameVerdict(metadataVerdict, rowVerdict)) {
    summary += ' (The ConnectedApplication row suggested otherwise; the Metadata API is trusted.)';
  } else if (metadataVerdict.kind === 'unknown' && rowVerdict.kind === 'valid-until-revoked') {
    summary = 'Refresh token is probably valid until revoked (inferred from an empty period; confirm under Setup » Connected Apps).';
  }
  const severity = verdictSeverity(verdict);
  return {
    appName,
    verdict,
    severity,
    summary,
    evidence,
    adminApprovedOnly,
    fix: severity === 'ok' ? null : policyFixPath(appName),
    permissionGaps: gaps,
  };
}

/** Reads `oauthPolicy.refreshTokenPolicy` from whatever shape jsforce's metadata.read answers. */
export function metadataRefreshTokenPolicy(result: unknown): string | null | undefined {
  const first = Array.isArray(result) ? result[0] : result;
  if (!first || typeof first !== 'object') return undefined;
  const record = first as { fullName?: unknown; oauthConfig?: { oauthPolicy?: { refreshTokenPolicy?: unknown } }; oauthPolicy?: { refreshTokenPolicy?: unknown } };
  // A read for a name that does not exist answers an empty record without fullName.
  if (typeof record.fullName !== 'string' || record.fullName === '') return undefined;
  const policy = record.oauthPolicy?.refreshTokenPolicy ?? record.oauthConfig?.oauthPolicy?.refreshTokenPolicy;
  return typeof policy === 'string' ? policy : null;
}

export interface PolicyCheckRequest {
  readonly appName: string;
  /** Metadata API fullName; defaults to the name as an API name ("WP_Fusion_OAuth"). */
  readonly developerName?: string;
  /** A row already read for the install check, to save a call. */
  readonly row?: ConnectedApplicationRead;
  readonly permissions?: UserPermissions;
}

export class PolicyCheck {
  async check(api: SalesforceApi, request: PolicyCheckRequest): Promise<PolicyReportDto> {
    const row = request.row ?? (await readConnectedApplication(api, request.appName));
    let metadataPolicy: string | null | undefined;
    let metadataError: string | null = null;
    // Skip the Metadata API when we know it will refuse: it costs a call and says nothing.
    if (request.permissions?.customizeApplication !== false || request.permissions?.modifyMetadata === true) {
      try {
        metadataPolicy = metadataRefreshTokenPolicy(await api.metadata.read('ConnectedApp', [request.developerName ?? defaultDeveloperName(request.appName)]));
      } catch (error) {
        metadataError = errorCodeOf(error);
      }
    } else {
      metadataError = 'INSUFFICIENT_ACCESS';
    }
    return buildPolicyReport(request.appName, { row, metadataPolicy, metadataError });
  }
}
