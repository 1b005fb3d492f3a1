/**
 * Describes as served: the stored JSON with `vxx.0`/recorded versions and recorded hosts
 * replaced by this request's version and the org's instance URL. Cached per schema revision.
 */
import { recordedGlobalShared } from '../schema/recorded';
import type { SObjectSchema } from '../schema/sobject-schema';
import type { OrgState } from '../org-state';
import type { DataUser } from '../seam';

type Json = Record<string, unknown>;

const cache = new WeakMap<SObjectSchema, Map<string, { revision: number; json: Json }>>();

export function rewriteUrls<T>(value: T, version: string, instanceUrl: string): T {
  const text = JSON.stringify(value)
    .replace(/\/services\/data\/v(?:\d+\.\d+|xx\.0)/g, `/services/data/v${version}`)
    .replace(/https:\/\/[A-Za-z0-9.-]+\.salesforce\.com/g, instanceUrl);
  return JSON.parse(text) as T;
}

export function describeSObject(org: OrgState, schema: SObjectSchema, version: string): Json {
  let perVersion = cache.get(schema);
  if (!perVersion) cache.set(schema, (perVersion = new Map()));
  const hit = perVersion.get(version);
  if (hit && hit.revision === schema.revision) return hit.json;
  const top = schema.virtual ? { ...schema.virtual.describe } : { ...schema.describeTop };
  // Key order as recorded: `fields` sits between extendsInterfaces… and hasSubtypes alphabetically.
  const ordered: Json = {};
  const keys = [...Object.keys(top).filter((k) => k !== 'fields'), 'fields'].sort();
  for (const key of keys) ordered[key] = key === 'fields' ? schema.fields.map((f) => f.json) : top[key];
  if (Array.isArray(ordered.childRelationships)) ordered.childRelationships = withTopicAssignments(ordered.childRelationships as Json[], schema);
  const json = rewriteUrls(ordered, version, org.options.instanceUrl);
  perVersion.set(version, { revision: schema.revision, json });
  return json;
}

export function globalEntry(org: OrgState, schema: SObjectSchema, version: string): Json {
  return rewriteUrls(schema.globalEntry, version, org.options.instanceUrl);
}

/** `GET sobjects/`: the recorded list (Lead's missing key prefix restored) plus every other supported object. */
export function globalDescribe(org: OrgState, version: string, user: DataUser): Json {
  const recorded = recordedGlobalShared();
  const listed = new Set<string>();
  const hidden = (schema: SObjectSchema | undefined): boolean => schema?.virtual?.accessible !== undefined && !schema.virtual.accessible(user);
  const sobjects: Json[] = [];
  for (const entry of recorded.sobjects as Json[]) {
    const name = String(entry.name);
    listed.add(name.toLowerCase());
    const schema = org.registry.get(name);
    if (!hidden(schema)) sobjects.push(schema ? schema.globalEntry : entry);
  }
  for (const schema of org.registry.all()) {
    if (!listed.has(schema.lower) && !hidden(schema)) sobjects.push(schema.globalEntry);
  }
  return rewriteUrls({ encoding: recorded.encoding, maxBatchSize: recorded.maxBatchSize, sobjects }, version, org.options.instanceUrl);
}

/**
 * Objects with topics enabled (Setup → Topics for Objects) have the `TopicAssignments` child
 * relationship (TopicAssignment.EntityId); objects without do not, so a client can tell from
 * the describe alone. UNCONFIRMED (see data/README.md): the recordings (topics on) have it;
 * that it disappears when topics are off is this emulator's model.
 */
const TOPIC_ASSIGNMENTS: Json = {
  cascadeDelete: true,
  childSObject: 'TopicAssignment',
  deprecatedAndHidden: false,
  field: 'EntityId',
  junctionIdListNames: [],
  junctionReferenceTo: [],
  relationshipName: 'TopicAssignments',
  restrictedDelete: false,
};

function isTopicAssignments(child: Json): boolean {
  return child.childSObject === 'TopicAssignment' && child.field === 'EntityId';
}

function withTopicAssignments(children: Json[], schema: SObjectSchema): Json[] {
  const has = children.some(isTopicAssignments);
  if (schema.topicsEnabled === has || schema.virtual) return children;
  if (!schema.topicsEnabled) return children.filter((child) => !isTopicAssignments(child));
  // Recorded child relationships are sorted by child object name.
  return [...children, TOPIC_ASSIGNMENTS].sort((a, b) => String(a.childSObject).localeCompare(String(b.childSObject)));
}

const modified = new WeakMap<SObjectSchema, { revision: number; at: number }>();

/**
 * When the object's describe last changed, to the second (HTTP dates have no milliseconds).
 * A schema change bumps its revision; the first describe that sees the new revision dates the
 * change to "now", which is never earlier than the change itself, so a client's
 * If-Modified-Since can miss nothing.
 */
export function describeLastModified(org: OrgState, schema: SObjectSchema): number {
  const seen = modified.get(schema);
  if (seen && seen.revision === schema.revision) return seen.at;
  const at = Math.floor(org.options.now() / 1000) * 1000;
  modified.set(schema, { revision: schema.revision, at });
  return at;
}
