/**
 * The site form's Salesforce object and tag field choices, fed by main: the objects the
 * chosen connection's user can create, update and query (`fields:objects`, the global
 * describe), and the picklist fields of the site's refreshed field list (`fields:cached`).
 * Without a connection, or when Salesforce cannot be asked, Contact, Lead and a typed API
 * name still work.
 */
import { useEffect, useId, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { FieldCacheDto, SalesforceObjectDto } from '../../../../common/fields-models';
import { invoke, toErrorDto } from '../../bridge';
import { FieldShell } from '../../ui/field';

type Loaded = { readonly objects: readonly SalesforceObjectDto[] } | { readonly error: ErrorDto };

export interface ObjectTypeFieldProps {
  readonly connectionId: string;
  /** An object API name, or `custom` while the admin types one. */
  readonly value: string;
  /** The object the saved profile uses (undefined for a new site). */
  readonly savedObjectType: string | undefined;
  readonly onChange: (value: string) => void;
}

export function ObjectTypeField({ connectionId, value, savedObjectType, onChange }: ObjectTypeFieldProps) {
  const [lists, setLists] = useState<Readonly<Record<string, Loaded>>>({});
  useEffect(() => {
    if (connectionId === '') return;
    let active = true;
    invoke('fields:objects', { connectionId }).then(
      (list) => active && setLists((current) => ({ ...current, [connectionId]: { objects: list.objects } })),
      (failure: unknown) => active && setLists((current) => ({ ...current, [connectionId]: { error: toErrorDto(failure) } })),
    );
    return () => {
      active = false;
    };
  }, [connectionId]);

  const loaded = connectionId === '' ? undefined : lists[connectionId];
  const objects = loaded !== undefined && 'objects' in loaded ? loaded.objects : [];
  const others = objects.filter((object) => object.name !== 'Contact' && object.name !== 'Lead');
  const known = new Set(['Contact', 'Lead', 'custom', ...objects.map((object) => object.name)]);
  const changed = savedObjectType !== undefined && value !== 'custom' && value !== savedObjectType;
  const hint = [
    'Where WordPress users are stored in Salesforce: objects the connection’s user can create, update and query.',
    changed ? `Changing it from ${savedObjectType} makes the site’s field list out of date: after saving, refresh it on the Fields page.` : '',
    loaded !== undefined && 'error' in loaded ? `The object list could not be loaded (${loaded.error.message}); Contact, Lead or a typed API name still work.` : '',
    connectionId === '' ? 'Choose a connection to see every object of the org.' : '',
  ]
    .filter((part) => part !== '')
    .join(' ');

  return (
    <FieldShell label="Salesforce object" hint={hint}>
      {({ id, describedBy }) => (
        <select id={id} name="objectKind" className="input" value={value} aria-describedby={describedBy} onChange={(event) => onChange(event.target.value)}>
          <option value="Contact">Contact</option>
          <option value="Lead">Lead</option>
          {!known.has(value) && <option value={value}>{value}</option>}
          {others.map((object) => (
            <option key={object.name} value={object.name}>
              {object.label} ({object.name})
            </option>
          ))}
          <option value="custom">Other object (type its API name)…</option>
        </select>
      )}
    </FieldShell>
  );
}

export interface TagFieldInputProps {
  readonly siteId: string | undefined;
  readonly objectType: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
}

/** The tag field's API name, with the object's picklist fields offered once they are refreshed. */
export function TagFieldInput({ siteId, objectType, value, onChange, error }: TagFieldInputProps) {
  const listId = useId();
  const [cache, setCache] = useState<FieldCacheDto | null>(null);
  useEffect(() => {
    if (siteId === undefined) return;
    let active = true;
    invoke('fields:cached', { siteId }).then(
      (state) => active && setCache(state.cache),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [siteId]);
  const picklists = cache !== null && cache.objectType.toLowerCase() === objectType.toLowerCase() ? cache.fields.filter((field) => field.type === 'multipicklist' || field.type === 'picklist') : [];
  return (
    <FieldShell
      label="Tag field API name"
      error={error}
      hint={picklists.length > 0 ? `Picklist fields of ${cache?.objectLabel ?? objectType}: ${picklists.map((field) => field.name).join(', ')}.` : 'A multi-select picklist of the object; refresh its fields on the Fields page to pick from a list.'}
    >
      {({ id, describedBy, invalid }) => (
        <>
          <input
            id={id}
            name="tagField"
            className="input"
            value={value}
            list={picklists.length > 0 ? listId : undefined}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            aria-required
            placeholder="Interests__c"
            spellCheck={false}
            autoComplete="off"
          />
          {picklists.length > 0 && (
            <datalist id={listId}>
              {picklists.map((field) => (
                <option key={field.name} value={field.name}>
                  {field.label}
                  {field.type === 'multipicklist' ? ' (multi-select)' : ''}
                  {field.restrictedPicklist ? ', restricted' : ''}
                </option>
              ))}
            </datalist>
          )}
        </>
      )}
    </FieldShell>
  );
}
