/**
 * Topic and TopicAssignment rules (reference section 7): case-insensitively unique topic
 * names, topics only on objects where they are enabled, at most 100 topics per record,
 * no update of assignments, and the query restriction for users without View All Data.
 */
import { dmlError } from '../errors';
import { normalizeId } from '../ids';
import type { RuleHooks } from '../dml/dml-engine';
import type { Condition, SoqlQuery } from '../soql/ast';
import { SoqlError } from '../soql/soql-error';
import type { DataUser } from '../seam';

export const MAX_TOPICS_PER_RECORD = 100;
export const TOPIC_ASSIGNMENT_QUERY_LIMIT = 1100;

export function topicRules(): RuleHooks {
  return {
    beforeInsert(schema, rec, ctx) {
      if (schema.name === 'Topic') checkTopicName(rec, ctx);
      if (schema.name !== 'TopicAssignment') return;
      const entityId = normalizeId(rec.EntityId);
      if (!entityId) throw dmlError('MALFORMED_ID', `Entity ID: id value of incorrect type: ${String(rec.EntityId)}`, ['EntityId']);
      rec.EntityId = entityId;
      const entityTable = ctx.store.tableForId(entityId);
      if (!entityTable || entityTable.schema.virtual) {
        throw dmlError('FIELD_INTEGRITY_EXCEPTION', `Entity ID: id value of incorrect type: ${entityId}`, ['EntityId']);
      }
      if (!entityTable.schema.topicsEnabled) {
        // UNCONFIRMED wording (see data/README.md).
        throw dmlError('FIELD_INTEGRITY_EXCEPTION', `Topics aren't enabled for this object: ${entityTable.schema.name}`, ['EntityId']);
      }
      if (!entityTable.live.has(entityId)) {
        throw entityTable.deleted.has(entityId)
          ? dmlError('ENTITY_IS_DELETED', 'entity is deleted', ['EntityId'])
          : dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['EntityId']);
      }
      const assignments = ctx.engine.tableOf(schema);
      assignments.ensureIndex('EntityId');
      const entityField = schema.field('EntityId');
      const existing = entityField ? assignments.lookup(entityField, entityId) : [];
      const same = existing.find((id) => assignments.live.get(id)?.TopicId === rec.TopicId);
      if (same) throw dmlError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${same}`, []);
      if (existing.length >= MAX_TOPICS_PER_RECORD) {
        // UNCONFIRMED wording (see data/README.md).
        throw dmlError('LIMIT_EXCEEDED', `You can't assign more than ${MAX_TOPICS_PER_RECORD} topics to a record.`, []);
      }
      rec.EntityKeyPrefix = entityId.slice(0, 3);
      rec.EntityType = entityTable.schema.name;
    },
    beforeUpdate(schema, _old, rec, ctx) {
      if (schema.name === 'Topic') checkTopicName(rec, ctx);
    },
    afterDelete(schema, rec, ctx) {
      // Deleting a record or a topic removes its assignments, as Salesforce's cascade does.
      const assignmentSchema = ctx.registry.get('TopicAssignment');
      if (!assignmentSchema || schema === assignmentSchema) return;
      const table = ctx.engine.tableOf(assignmentSchema);
      const key = schema.name === 'Topic' ? 'TopicId' : schema.topicsEnabled || table.live.size > 0 ? 'EntityId' : undefined;
      if (!key) return;
      table.ensureIndex(key);
      const field = assignmentSchema.field(key);
      if (!field) return;
      for (const id of table.lookup(field, rec.Id)) ctx.engine.delete(id, ctx.dml);
    },
  };
}

function checkTopicName(rec: Record<string, unknown>, ctx: Parameters<NonNullable<RuleHooks['beforeInsert']>>[2]): void {
  const schema = ctx.registry.get('Topic');
  const nameField = schema?.field('Name');
  if (!schema || !nameField || typeof rec.Name !== 'string') return;
  rec.Name = rec.Name.trim();
  const clash = ctx.engine.tableOf(schema).lookup(nameField, rec.Name).find((id) => id !== rec.Id);
  // UNCONFIRMED wording: the generic unique-field message.
  if (clash) throw dmlError('DUPLICATE_VALUE', `duplicate value found: Name duplicates value on record with id: ${clash}`, []);
}

function mentionsField(cond: Condition | undefined, name: string): boolean {
  if (!cond) return false;
  switch (cond.kind) {
    case 'and':
      return cond.items.some((c) => mentionsField(c, name));
    case 'or':
      return cond.items.every((c) => mentionsField(c, name));
    case 'not':
      return false;
    case 'compare':
      // The object reference: "Filter on Id or Entity when using a WHERE clause with '='".
      return cond.op === '=' && cond.field.path.length === 1 && cond.field.path[0]?.toLowerCase() === name.toLowerCase();
    default:
      return false;
  }
}

/** Without View All Data, a TopicAssignment query must filter on EntityId or LIMIT ≤ 1,100. */
export function checkTopicAssignmentQuery(query: SoqlQuery, user: DataUser): void {
  if (query.from.name.toLowerCase() !== 'topicassignment' || user.permissions.has('ViewAllData')) return;
  if (mentionsField(query.where, 'EntityId') || mentionsField(query.where, 'Id')) return;
  if (query.limit !== undefined && query.limit <= TOPIC_ASSIGNMENT_QUERY_LIMIT) return;
  // UNCONFIRMED wording (see data/README.md).
  throw new SoqlError(
    'MALFORMED_QUERY',
    `Implementation restriction: TopicAssignment requires a filter by EntityId or a LIMIT of ${TOPIC_ASSIGNMENT_QUERY_LIMIT} or less unless you have the View All Data permission.`,
  );
}
