/**
 * The tags of a site's tag mode, from what a refresh loaded. Topics that are not enabled for
 * the object are a problem to show with the Setup path — never an empty list that looks like
 * "no topics yet". A picklist that is missing, not a picklist, or restricted says so.
 */
import type { SalesforceFieldDto, TagsDto } from '../../common/fields-models';
import type { TagMode } from '../../common/models';

export const TOPICS_SETUP_PATH = 'Setup → Topics for Objects';

export function topicsNotEnabled(objectLabel: string, objectType: string): { message: string; hint: string } {
  return {
    message: `Topics are not enabled for ${objectLabel} (${objectType}), so Salesforce does not let ForceSites tag these records with topics.`,
    hint: `In Salesforce: ${TOPICS_SETUP_PATH} → ${objectLabel} → tick “Enable Topics” → Save. Then refresh here. Or use a picklist field for tags.`,
  };
}

export function buildTags(input: {
  readonly tagMode: TagMode;
  readonly tagField: string | null;
  readonly objectType: string;
  readonly objectLabel: string;
  readonly fields: readonly SalesforceFieldDto[];
  readonly topicsEnabled: boolean;
  readonly topics: readonly string[];
  /** Why Topics could not be read although enabled (no access to Topic). */
  readonly topicsProblem?: { message: string; hint: string } | null;
}): TagsDto {
  if (input.tagMode === 'none') return { mode: 'none' };
  if (input.tagMode === 'topics') {
    if (!input.topicsEnabled) return { mode: 'topics', enabled: false, topics: [], problem: topicsNotEnabled(input.objectLabel, input.objectType) };
    return { mode: 'topics', enabled: true, topics: input.topics, problem: input.topicsProblem ?? null };
  }
  const empty = { mode: 'picklist' as const, field: input.tagField ?? '', fieldLabel: null, multiSelect: false, restricted: false, values: [], inactiveValues: [] };
  if (input.tagField === null || input.tagField === '') {
    return { ...empty, problem: { message: 'No tag field is chosen.', hint: `Choose the multi-select picklist of ${input.objectType} that holds tags, on the Sites page.` } };
  }
  const field = input.fields.find((candidate) => candidate.name.toLowerCase() === input.tagField!.toLowerCase());
  if (field === undefined) {
    return { ...empty, problem: { message: `${input.objectType} has no field ${input.tagField}.`, hint: 'Check the API name (it ends in __c for a custom field), or create the field in Setup, then refresh.' } };
  }
  const multiSelect = field.type === 'multipicklist';
  if (!multiSelect && field.type !== 'picklist') {
    return { ...empty, field: field.name, fieldLabel: field.label, problem: { message: `${field.name} is a ${field.type} field, not a picklist.`, hint: 'Tags need a picklist field, ideally a multi-select one. Choose another field.' } };
  }
  const values = field.picklistValues.filter((value) => value.active).map((value) => value.value);
  const inactiveValues = field.picklistValues.filter((value) => !value.active).map((value) => value.value);
  const notes: string[] = [];
  if (field.restrictedPicklist) {
    notes.push(
      `${field.name} is a restricted picklist: Salesforce refuses tags that are not among its values (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST), and ForceSites cannot add values from here — the data API cannot change a picklist.`,
    );
  }
  if (!multiSelect) notes.push(`${field.name} holds one value, so a record keeps only one tag.`);
  if (!field.createable && !field.updateable) notes.push(`${field.name} is read-only for the connection’s user, so tags cannot be written to it.`);
  return {
    mode: 'picklist',
    field: field.name,
    fieldLabel: field.label,
    multiSelect,
    restricted: field.restrictedPicklist,
    values,
    inactiveValues,
    problem:
      notes.length === 0
        ? null
        : { message: notes.join(' '), hint: field.restrictedPicklist ? `Add the missing values in Setup → Object Manager → ${input.objectType} → Fields & Relationships → ${field.label} → Values, then refresh.` : 'Choose a multi-select picklist to keep several tags.' },
  };
}
