/** Words for the health DTOs' codes. Every status is written out; colour only repeats it. */
import type { ApiUsageLevel, HealthReport, HealthSeverity, InstallReportDto, PolicyEvidence, RefreshPolicyVerdict, TimeUnitName } from '../../../../common/health-models';

export const SEVERITY_LABELS: Readonly<Record<HealthSeverity, string>> = {
  ok: 'OK',
  warning: 'Needs attention',
  error: 'Problem',
  unknown: 'Not known',
};

export const REPORT_STATUS_LABELS: Readonly<Record<HealthReport['status'], string>> = {
  'never-checked': 'Not checked yet',
  ok: 'Checked',
  offline: 'Offline',
  error: 'Check failed',
};

export const API_LEVEL_LABELS: Readonly<Record<ApiUsageLevel, string>> = {
  ok: 'OK',
  warning: 'Above 80 %',
  critical: 'Above 95 %',
  unknown: 'Not known',
};

export const INSTALL_LABELS: Readonly<Record<InstallReportDto['verdict'], string>> = {
  installed: 'Installed in the org',
  uninstalled: 'Not installed in the org',
  unknown: 'Not known',
};

function unitText(amount: number, unit: TimeUnitName): string {
  const singular = unit.slice(0, -1);
  return `${amount} ${amount === 1 ? singular : unit}`;
}

export function policyVerdictText(verdict: RefreshPolicyVerdict): string {
  switch (verdict.kind) {
    case 'valid-until-revoked':
      return 'Refresh token is valid until revoked';
    case 'expires-after':
      return `Refresh token expires ${unitText(verdict.amount, verdict.unit)} after it is issued`;
    case 'expires-if-unused':
      return `Refresh token expires if unused for ${unitText(verdict.amount, verdict.unit)}`;
    case 'expires-immediately':
      return 'Refresh token expires immediately';
    case 'unknown':
      return 'Policy not known';
  }
}

export function evidenceValue(value: PolicyEvidence['value']): string {
  if (value === null) return 'empty';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'number' ? value.toLocaleString() : value;
}

/** "6 hours", "1.5 days": the coarsest unit that reads naturally, to one decimal. */
export function formatDuration(ms: number): string {
  const oneDecimal = (value: number) => Math.round(value * 10) / 10;
  const days = oneDecimal(ms / 86_400_000);
  if (days >= 1) return `${days.toLocaleString()} ${days === 1 ? 'day' : 'days'}`;
  const hours = oneDecimal(ms / 3_600_000);
  if (hours >= 1) return `${hours.toLocaleString()} ${hours === 1 ? 'hour' : 'hours'}`;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

export function formatPercent(fraction: number): string {
  return fraction.toLocaleString(undefined, { style: 'percent', maximumFractionDigits: fraction < 0.1 ? 1 : 0 });
}

export function formatCount(value: number): string {
  return value.toLocaleString();
}
