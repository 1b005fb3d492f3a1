import { unmatchedTags } from '../../../../common/field-rules';
import type { TagsDto, WordpressFieldsDto } from '../../../../common/fields-models';

const SHOWN = 30;

function List({ label, values }: { readonly label: string; readonly values: readonly string[] }) {
  if (values.length === 0) return null;
  return (
    <ul className="tag-list" aria-label={label}>
      {values.slice(0, SHOWN).map((value) => (
        <li key={value} className="tag">
          {value}
        </li>
      ))}
      {values.length > SHOWN && <li className="muted">and {values.length - SHOWN} more</li>}
    </ul>
  );
}

/** The tags of the site's tag mode, what stops them, and which WordPress tags have no match. */
export function TagsPanel({ tags, wordpress }: { readonly tags: TagsDto; readonly wordpress: WordpressFieldsDto | undefined }) {
  const wordpressTags = wordpress?.problem === null ? wordpress.tags : undefined;
  const unmatched = wordpressTags === undefined ? [] : unmatchedTags(wordpressTags, tags);
  return (
    <section className="panel" aria-labelledby="fields-tags-title">
      <h2 id="fields-tags-title" className="panel-title">
        Tags
      </h2>
      {tags.mode === 'none' && <p>This site does not sync tags. Choose Topics or a picklist field on the Sites page to sync them.</p>}
      {tags.mode === 'topics' && (
        <>
          {tags.problem !== null && (
            <div className={`notice ${tags.enabled ? 'notice-warning' : 'notice-error'}`} role={tags.enabled ? undefined : 'alert'}>
              <p className="notice-message">{tags.problem.message}</p>
              {tags.problem.hint !== undefined && <p className="notice-hint">{tags.problem.hint}</p>}
            </div>
          )}
          {tags.enabled && (
            <>
              <p>
                {tags.topics.length === 0 ? 'Topics are enabled, and the org has no topics yet: ForceSites creates them from WordPress tags.' : `${tags.topics.length} ${tags.topics.length === 1 ? 'topic' : 'topics'} in the org.`}
              </p>
              <List label="Topics" values={tags.topics} />
              {unmatched.length > 0 && (
                <p>
                  {unmatched.length} WordPress {unmatched.length === 1 ? 'tag has' : 'tags have'} no topic yet; ForceSites creates {unmatched.length === 1 ? 'it' : 'them'} when it syncs: {unmatched.slice(0, SHOWN).join(', ')}
                  {unmatched.length > SHOWN ? ' …' : ''}
                </p>
              )}
            </>
          )}
        </>
      )}
      {tags.mode === 'picklist' && (
        <>
          <p>
            Tags are the values of <code>{tags.field || '(no field chosen)'}</code>
            {tags.fieldLabel !== null ? ` (${tags.fieldLabel})` : ''}
            {tags.fieldLabel !== null ? `, a ${tags.multiSelect ? 'multi-select' : 'single-select'}${tags.restricted ? ' restricted' : ''} picklist` : ''}.
          </p>
          {tags.problem !== null && (
            <div className={`notice ${tags.fieldLabel === null ? 'notice-error' : 'notice-warning'}`}>
              <p className="notice-message">{tags.problem.message}</p>
              {tags.problem.hint !== undefined && <p className="notice-hint">{tags.problem.hint}</p>}
            </div>
          )}
          <List label="Active values" values={tags.values} />
          {tags.inactiveValues.length > 0 && <p className="muted">Inactive values (refused): {tags.inactiveValues.join(', ')}</p>}
          {unmatched.length > 0 && (
            <div className={`notice ${tags.restricted ? 'notice-warning' : 'notice-info'}`}>
              <p className="notice-title">
                {unmatched.length} WordPress {unmatched.length === 1 ? 'tag has' : 'tags have'} no matching value
              </p>
              <List label="WordPress tags without a value" values={unmatched} />
              <p className="notice-hint">{tags.restricted ? 'Salesforce refuses these until they are added to the picklist in Setup.' : 'They are stored as typed, outside the list of values.'}</p>
            </div>
          )}
        </>
      )}
      {wordpress !== undefined && wordpress.problem === null && !wordpress.tagsComplete && <p className="muted">WordPress tags were read from the first {wordpress.usersRead} users.</p>}
      {wordpress !== undefined && wordpress.problem === null && !wordpress.companionPlugin && tags.mode !== 'none' && (
        <p className="muted">WordPress tags need the ForceSites Companion plugin on the site; without it no tags are read.</p>
      )}
    </section>
  );
}
