import type { PermissionGap } from '../../../../common/health-models';

/** Salesforce permissions the signed-in user lacks, each with what ForceSites would show with it. */
export function PermissionGaps({ gaps, title = 'Missing permissions' }: { readonly gaps: readonly PermissionGap[]; readonly title?: string }) {
  if (gaps.length === 0) return null;
  return (
    <div className="health-gaps">
      <p className="health-subtitle">{title}</p>
      <ul>
        {gaps.map((gap) => (
          <li key={gap.permission}>
            <strong>{gap.permission}</strong> is missing: with it ForceSites would show {gap.wouldShow}
            {/[.!?]$/.test(gap.wouldShow) ? '' : '.'}
          </li>
        ))}
      </ul>
    </div>
  );
}
