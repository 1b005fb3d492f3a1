import type { ErrorDto } from '../../../../common/errors';
import type { MappingPreviewDto } from '../../../../common/fields-models';
import { ErrorNotice } from '../../ui/error-notice';

function shown(value: string | number | boolean | null): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Three real WordPress users as Salesforce would receive them with the settings on screen. */
export function MappingPreviewPanel({ preview, error, stale }: { readonly preview: MappingPreviewDto | undefined; readonly error: ErrorDto | undefined; readonly stale: boolean }) {
  if (error !== undefined) return <ErrorNotice error={error} title="ForceSites could not build the preview." />;
  if (preview === undefined) return null;
  if (preview.problem !== null) return <ErrorNotice error={preview.problem} title="The preview needs WordPress." />;
  if (preview.users.length === 0) return <p className="muted">The site has no WordPress users to preview.</p>;
  return (
    <section className="fields-preview" aria-label="Preview with WordPress users">
      {stale && <p className="notice notice-info">The settings changed since this preview: preview again to see their effect.</p>}
      {preview.users.map((user) => {
        const refused = user.values.filter((value) => value.problem !== null).length;
        return (
          <article key={user.wordpressId} className="fields-preview-user" aria-label={`Preview of ${user.username}`}>
            <h4 className="fields-preview-title">
              {user.username} <span className="muted">(WordPress user {user.wordpressId})</span>
            </h4>
            <p>
              Match key {user.key.field}: {user.key.value === null ? <strong className="verdict-error">{user.key.problem}</strong> : <code>{user.key.value}</code>}
            </p>
            {user.missingRequired.length > 0 && (
              <p className="verdict verdict-error">
                <strong>Cannot be created:</strong> nothing fills {user.missingRequired.join(', ')}.
              </p>
            )}
            {refused > 0 && (
              <p className="verdict verdict-error">
                <strong>Salesforce would refuse {refused === 1 ? 'one value' : `${refused} values`}.</strong>
              </p>
            )}
            <table className="mapping-table">
              <thead>
                <tr>
                  <th scope="col">Salesforce field</th>
                  <th scope="col">Value sent</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {user.values.map((value) => (
                  <tr key={value.salesforceField}>
                    <th scope="row">{value.salesforceField}</th>
                    <td>
                      {value.problem !== null ? (
                        <span className="verdict-error">
                          <strong>Refused:</strong> {value.problem}
                        </span>
                      ) : value.sent ? (
                        <code className="wrap">{shown(value.value)}</code>
                      ) : (
                        <span className="muted">{value.note ?? 'Not sent.'}</span>
                      )}
                      {value.note !== null && value.problem === null && value.sent && <span className="muted"> · {value.note}</span>}
                    </td>
                    <td>{value.wordpressField ?? 'default'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </article>
        );
      })}
    </section>
  );
}
