import type { FieldChangeKind, FieldDiffDto } from '../../../../common/fields-models';
import { formatTime } from '../../ui/format';

const KIND: Record<FieldChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  retyped: 'Type changed',
  resized: 'Size changed',
  'now-required': 'Now required',
  'now-read-only': 'Now read-only',
  'picklist-added': 'Values added',
  'picklist-deactivated': 'Values deactivated',
  'picklist-removed': 'Values removed',
  'record-type-added': 'Record type added',
  'record-type-removed': 'Record type gone',
};

/** What changed in the org since the previous refresh, breaking changes first. */
export function FieldDiffPanel({ diff }: { readonly diff: FieldDiffDto }) {
  const changes = [...diff.changes].sort((a, b) => Number(b.breaks !== null) - Number(a.breaks !== null));
  const nothing = changes.length === 0 && diff.topicsAdded.length === 0 && diff.topicsRemoved.length === 0;
  return (
    <section className="panel" aria-labelledby="fields-diff-title">
      <h2 id="fields-diff-title" className="panel-title">
        Changes since {formatTime(diff.comparedWith)}
      </h2>
      {nothing ? (
        <p>Nothing changed in Salesforce since the previous refresh.</p>
      ) : (
        <>
          {diff.breaking > 0 && (
            <p className="notice notice-error" role="alert">
              {diff.breaking === 1 ? 'One change breaks' : `${diff.breaking} changes break`} this site’s mapping: fix {diff.breaking === 1 ? 'it' : 'them'} below, then save.
            </p>
          )}
          {changes.length > 0 && (
            <ul className="fields-changes" aria-label="Field changes">
              {changes.map((change) => (
                <li key={`${change.kind}-${change.field}`} className={change.breaks !== null ? 'fields-change fields-change-breaks' : 'fields-change'}>
                  <strong>{KIND[change.kind]}:</strong> {change.label} (<code>{change.field}</code>) — {change.detail}
                  {change.breaks !== null && (
                    <p className="verdict verdict-error">
                      <strong>Breaks the mapping:</strong> {change.breaks}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {diff.topicsAdded.length > 0 && <p>Topics added: {diff.topicsAdded.slice(0, 20).join(', ')}{diff.topicsAdded.length > 20 ? ` and ${diff.topicsAdded.length - 20} more` : ''}</p>}
          {diff.topicsRemoved.length > 0 && <p>Topics removed: {diff.topicsRemoved.slice(0, 20).join(', ')}{diff.topicsRemoved.length > 20 ? ` and ${diff.topicsRemoved.length - 20} more` : ''}</p>}
        </>
      )}
    </section>
  );
}
