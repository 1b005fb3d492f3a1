import type { HealthSeverity } from '../../../../common/health-models';
import { SEVERITY_LABELS } from './health-format';

/** The severity as a word in a pill; the colour and the border style only repeat the word. */
export function SeverityBadge({ severity, label }: { readonly severity: HealthSeverity; readonly label?: string }) {
  return <span className={`health-badge health-badge-${severity}`}>{label ?? SEVERITY_LABELS[severity]}</span>;
}
