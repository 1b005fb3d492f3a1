/**
 * Binds a parsed SOQL query to the org's schemas and runs it.
 *
 * WHERE is compiled once into closures, so a 100,000-row scan does no per-row parsing of the
 * query. The result is the ordered list of matching rows plus a projector; paging slices that
 * list lazily (see rest/query.ts) instead of materialising every page up front.
 */
import { parseDate, parseDateTime } from '../datetime';
import { normalizeId } from '../ids';
import type { FieldDef, SObjectSchema } from '../schema/sobject-schema';
import type { Rec } from '../store/record-store';
import type { Condition, FieldRef, Literal, SelectItem, SoqlQuery } from './ast';
import { dateLiteralRange } from './date-literals';
import { SoqlError } from './soql-error';

export interface QuerySource {
  schema(name: string): SObjectSchema | undefined;
  /** Rows of an object; deleted ones too when includeDeleted (queryAll). */
  rows(schema: SObjectSchema, includeDeleted: boolean): Iterable<Rec>;
  /** A record by 18-char id, for relationship fields. */
  byId(id: string, schema: SObjectSchema): Rec | undefined;
  /** Live children of a parent through a reference field, in creation order (child subqueries). */
  children?(schema: SObjectSchema, field: FieldDef, parentId: string): Rec[];
  /**
   * Live rows whose field equals one of the values, through an index; undefined when the field
   * is not indexed. Lets `WHERE Id IN (…)` / `WHERE Ext__c = …` skip the full scan.
   */
  lookup?(schema: SObjectSchema, field: FieldDef, values: readonly string[]): Rec[] | undefined;
  now(): number;
  /** `/services/data/vXX.X` for attributes.url. */
  readonly urlBase: string;
}

export type QueryResult =
  | { readonly kind: 'count'; readonly totalSize: number }
  | { readonly kind: 'rows'; readonly schema: SObjectSchema; readonly rows: readonly Rec[]; project(rec: Rec): Record<string, unknown> }
  | { readonly kind: 'aggregate'; readonly records: readonly Record<string, unknown>[] };

/** A field path bound to schemas: every hop but the last is a reference field. */
interface BoundPath {
  readonly hops: readonly { field: FieldDef; target: SObjectSchema }[];
  readonly field: FieldDef;
  readonly owner: SObjectSchema;
}

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox', 'encryptedstring']);
const NUMERIC = new Set(['double', 'currency', 'percent', 'int', 'long']);
const SOAP_TYPE_NAMES: Record<string, string> = {
  double: 'double', currency: 'double', percent: 'double', int: 'int', long: 'long', boolean: 'boolean', date: 'date', datetime: 'dateTime',
};
const DAY = 86_400_000;

const NO_SUCH_COLUMN_TAIL =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

export class Evaluator {
  private readonly schema: SObjectSchema;

  constructor(private readonly query: SoqlQuery, private readonly source: QuerySource) {
    const schema = source.schema(query.from.name);
    if (!schema) {
      throw new SoqlError(
        'INVALID_TYPE',
        `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        query.text,
        query.from.offset,
      );
    }
    this.schema = schema;
  }

  get from(): SObjectSchema {
    return this.schema;
  }

  bind(ref: FieldRef, schema: SObjectSchema = this.schema): BoundPath {
    let path = ref.path;
    // `SELECT Contact.Email FROM Contact` is legal: a leading object name is dropped.
    if (path.length > 1 && path[0]?.toLowerCase() === schema.lower && !schema.relationship(path[0])) path = path.slice(1);
    const hops: { field: FieldDef; target: SObjectSchema }[] = [];
    let current = schema;
    for (let i = 0; i < path.length - 1; i++) {
      const name = path[i] as string;
      const rel = current.relationship(name);
      const target = rel?.referenceTo.map((t) => this.source.schema(t)).find((s) => s !== undefined && s.field(path[i + 1] as string));
      const anyTarget = rel?.referenceTo.map((t) => this.source.schema(t)).find((s) => s !== undefined);
      if (!rel || !anyTarget) {
        throw new SoqlError(
          'INVALID_FIELD',
          `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          this.query.text,
          ref.offset,
        );
      }
      hops.push({ field: rel, target: target ?? anyTarget });
      current = target ?? anyTarget;
    }
    const last = path[path.length - 1] as string;
    const field = current.field(last);
    if (!field) {
      throw new SoqlError('INVALID_FIELD', `No such column '${last}' on entity '${current.name}'. ${NO_SUCH_COLUMN_TAIL}`, this.query.text, ref.offset);
    }
    return { hops, field, owner: current };
  }

  private getter(bound: BoundPath): (rec: Rec) => unknown {
    const { hops, field } = bound;
    if (field.type === 'address') {
      return (rec) => {
        const parent = this.walk(rec, hops);
        return parent ? compound(parent, bound.owner, field) : null;
      };
    }
    if (hops.length === 0) return (rec) => rec[field.name];
    return (rec) => this.walk(rec, hops)?.[field.name];
  }

  private walk(rec: Rec, hops: BoundPath['hops']): Rec | undefined {
    let current: Rec | undefined = rec;
    for (const hop of hops) {
      const id = current?.[hop.field.name];
      if (typeof id !== 'string') return undefined;
      current = this.source.byId(id, hop.target);
      if (!current) return undefined;
    }
    return current;
  }

  /** `rows` replaces the scan (a child subquery runs on one parent's children). */
  run(includeDeleted: boolean, rows?: Iterable<Rec>): QueryResult {
    const q = this.query;
    if (q.offset !== undefined && q.offset > 2000) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
    }
    const predicate = q.where ? this.compile(q.where) : undefined;
    const aggregates = q.select.filter((s) => s.kind === 'aggregate');
    const countOnly = aggregates.length === 1 && aggregates[0]?.kind === 'aggregate' && aggregates[0].fn === 'COUNT' && aggregates[0].arg === undefined;
    if (countOnly && q.select.length > 1) {
      const other = q.select.find((s) => s.kind === 'field');
      throw new SoqlError('MALFORMED_QUERY', 'COUNT() must be the only element in the SELECT list.', q.text, other?.kind === 'field' ? other.ref.offset : 0);
    }
    const bindings = q.select.map((item) => (item.kind === 'field' ? this.bind(item.ref) : item.kind === 'aggregate' && item.arg ? this.bind(item.arg) : undefined));
    const subqueries = q.select.flatMap((item) => (item.kind === 'subquery' ? [this.bindSubquery(item.query)] : []));
    const sortKeys = q.orderBy.map((key) => {
      const bound = this.bind(key.field);
      if (bound.field.json.sortable === false) {
        throw new SoqlError('INVALID_FIELD', `field '${bound.field.name}' can not be sorted in a query call`, q.text, key.field.offset);
      }
      return { key, get: this.getter(bound), type: bound.field.type };
    });

    let matched: Rec[] = [];
    const candidates = rows ? undefined : this.indexedCandidates(includeDeleted);
    for (const rec of rows ?? candidates ?? this.source.rows(this.schema, includeDeleted)) {
      if (!predicate || predicate(rec)) matched.push(rec);
    }

    if (countOnly) {
      const total = Math.max(0, Math.min(matched.length - (q.offset ?? 0), q.limit ?? Number.POSITIVE_INFINITY));
      return { kind: 'count', totalSize: total };
    }
    if (aggregates.length > 0 || q.groupBy.length > 0) {
      if (subqueries.length > 0) throw new SoqlError('MALFORMED_QUERY', 'Aggregate queries do not support child relationship subqueries', q.text, q.from.offset);
      return this.aggregate(matched, bindings);
    }

    if (sortKeys.length > 0) {
      // Nulls go first or last per key regardless of direction; only non-null order flips.
      matched.sort((a, b) => {
        for (const { key, get, type } of sortKeys) {
          const va = get(a);
          const vb = get(b);
          const na = va === null || va === undefined;
          const nb = vb === null || vb === undefined;
          if (na || nb) {
            if (na && nb) continue;
            return na === key.nullsLast ? 1 : -1;
          }
          const c = compareValues(va, vb, type, false);
          if (c !== 0) return key.descending ? -c : c;
        }
        return 0;
      });
    }
    if (q.offset) matched = matched.slice(q.offset);
    if (q.limit !== undefined) matched = matched.slice(0, q.limit);
    const fields = q.select.flatMap((item, i) => (item.kind === 'field' ? [bindings[i] as BoundPath] : []));
    if (subqueries.length === 0) return { kind: 'rows', schema: this.schema, rows: matched, project: (rec) => this.project(rec, fields) };
    return {
      kind: 'rows',
      schema: this.schema,
      rows: matched,
      project: (rec) => {
        const out = this.project(rec, fields);
        for (const sub of subqueries) out[sub.name] = sub.run(rec);
        return out;
      },
    };
  }

  /**
   * A child relationship subquery (`(SELECT Id FROM Contacts)`), resolved through the parent's
   * describe childRelationships. Returns the relationship's canonical name and a per-parent runner
   * giving null when there are no children, as Salesforce does.
   */
  private bindSubquery(sub: SoqlQuery): { name: string; run(parent: Rec): Record<string, unknown> | null } {
    const relationships = ((this.schema.virtual?.describe ?? this.schema.describeTop).childRelationships as Record<string, unknown>[] | undefined) ?? [];
    const rel = relationships.find((r) => typeof r.relationshipName === 'string' && r.relationshipName.toLowerCase() === sub.from.name.toLowerCase());
    const childSchema = rel ? this.source.schema(String(rel.childSObject)) : undefined;
    const field = childSchema?.field(String(rel?.field));
    if (!rel || !childSchema || !field) {
      throw new SoqlError(
        'INVALID_TYPE',
        `Didn't understand relationship '${sub.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        this.query.text,
        sub.from.offset,
      );
    }
    const child = new Evaluator({ ...sub, from: { name: childSchema.name, offset: sub.from.offset } }, this.source);
    child.run(false, []); // binds every field now, so a bad subquery fails before any row is read
    const name = String(rel.relationshipName);
    return {
      name,
      run: (parent) => {
        const rows = this.source.children?.(childSchema, field, String(parent.Id)) ?? [];
        if (rows.length === 0) return null;
        const result = child.run(false, rows);
        if (result.kind !== 'rows' || result.rows.length === 0) return null;
        return { totalSize: result.rows.length, done: true, records: result.rows.map((r) => result.project(r)) };
      },
    };
  }

  /**
   * Rows to test when a top-level `=`/`IN` on an indexed id or text field narrows the query;
   * undefined means scan everything. Candidates come back in creation (Id) order, like a scan.
   */
  private indexedCandidates(includeDeleted: boolean): Rec[] | undefined {
    const where = this.query.where;
    if (!where || includeDeleted || !this.source.lookup) return undefined;
    const conditions = where.kind === 'and' ? where.items : [where];
    for (const cond of conditions) {
      if ((cond.kind !== 'compare' && cond.kind !== 'in') || (cond.kind === 'in' && cond.subquery)) continue;
      const literals = cond.kind === 'compare' ? (cond.op === '=' ? [cond.value] : undefined) : cond.negated ? undefined : cond.values;
      if (!literals) continue;
      const bound = this.bind(cond.field);
      const field = bound.field;
      if (bound.hops.length > 0 || field.caseSensitive || !(field.type === 'id' || field.type === 'reference' || TEXT.has(field.type))) continue;
      if (!literals.every((l) => l.kind === 'string')) continue;
      const values = literals.map((l) => (l.kind === 'string' ? (field.type === 'id' || field.type === 'reference' ? normalizeId(l.value) ?? l.value : unescapeLike(l.value)) : ''));
      const found = this.source.lookup(this.schema, field, values);
      if (!found) continue;
      const unique = [...new Set(found)];
      return unique.sort((a, b) => compareStrings(String(a.Id), String(b.Id)));
    }
    return undefined;
  }

  private attributes(schema: SObjectSchema, rec: Rec): Record<string, unknown> {
    return { type: schema.name, url: `${this.source.urlBase}/sobjects/${schema.name}/${String(rec.Id)}` };
  }

  project(rec: Rec, fields: readonly BoundPath[], depth = 0, schema: SObjectSchema = this.schema): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: this.attributes(schema, rec) };
    for (const bound of fields) {
      if (bound.hops.length === depth) {
        out[bound.field.name] = bound.field.type === 'address' ? compound(rec, schema, bound.field) : rec[bound.field.name] ?? null;
        continue;
      }
      const hop = bound.hops[depth];
      if (!hop) continue;
      const relName = hop.field.relationshipName as string;
      if (relName in out) continue;
      // Every selected field under this relationship goes into one nested object.
      const under = fields.filter((b) => b.hops[depth]?.field === hop.field);
      const id = rec[hop.field.name];
      const parent = typeof id === 'string' ? this.source.byId(id, hop.target) : undefined;
      const parentSchema = parent && typeof id === 'string' ? this.source.schema(hop.field.referenceTo.find((t) => this.source.schema(t)?.keyPrefix === id.slice(0, 3)) ?? hop.target.name) ?? hop.target : hop.target;
      out[relName] = parent ? this.project(parent, under, depth + 1, parentSchema) : null;
    }
    return out;
  }

  private aggregate(rows: Rec[], bindings: readonly (BoundPath | undefined)[]): QueryResult {
    const q = this.query;
    const groupBound = q.groupBy.map((ref) => this.bind(ref));
    q.select.forEach((item, i) => {
      if (item.kind !== 'field') return;
      const bound = bindings[i] as BoundPath;
      if (!groupBound.some((g) => g.field === bound.field && g.hops.length === bound.hops.length)) {
        throw new SoqlError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${bound.field.name}`, q.text, item.ref.offset);
      }
    });
    const groupGetters = groupBound.map((b) => this.getter(b));
    const groups = new Map<string, Rec[]>();
    if (groupGetters.length === 0) groups.set('', rows);
    else {
      for (const rec of rows) {
        const key = JSON.stringify(groupGetters.map((g) => normalizeGroupValue(g(rec))));
        let bucket = groups.get(key);
        if (!bucket) groups.set(key, (bucket = []));
        bucket.push(rec);
      }
    }
    const records: Record<string, unknown>[] = [];
    for (const bucket of groups.values()) {
      const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      let expr = 0;
      q.select.forEach((item: SelectItem, i) => {
        const bound = bindings[i];
        if (item.kind === 'field') {
          const first = bucket[0];
          out[(bound as BoundPath).field.name] = first ? this.getter(bound as BoundPath)(first) ?? null : null;
          return;
        }
        if (item.kind !== 'aggregate') return;
        const name = item.alias ?? `expr${expr++}`;
        const get = bound ? this.getter(bound) : undefined;
        const values = get ? bucket.map(get).filter((v) => v !== null && v !== undefined) : bucket;
        out[name] = aggregateValue(item.fn, values);
      });
      records.push(out);
    }
    let result = records;
    if (q.offset) result = result.slice(q.offset);
    if (q.limit !== undefined) result = result.slice(0, q.limit);
    return { kind: 'aggregate', records: result };
  }

  // ---- WHERE compilation ----

  /** A WHERE field: Salesforce refuses fields its describe marks as not filterable (long text areas). */
  private bindFilter(ref: FieldRef): BoundPath {
    const bound = this.bind(ref);
    if (bound.field.json.filterable === false) {
      throw new SoqlError('INVALID_FIELD', `field '${bound.field.name}' can not be filtered in a query call`, this.query.text, ref.offset);
    }
    return bound;
  }

  compile(cond: Condition): (rec: Rec) => boolean {
    switch (cond.kind) {
      case 'and': {
        const parts = cond.items.map((c) => this.compile(c));
        return (rec) => parts.every((p) => p(rec));
      }
      case 'or': {
        const parts = cond.items.map((c) => this.compile(c));
        return (rec) => parts.some((p) => p(rec));
      }
      case 'not': {
        const inner = this.compile(cond.item);
        return (rec) => !inner(rec);
      }
      case 'compare': {
        const bound = this.bindFilter(cond.field);
        const get = this.getter(bound);
        const test = this.comparator(bound.field, cond.op, cond.value);
        return (rec) => test(get(rec));
      }
      case 'in': {
        const bound = this.bindFilter(cond.field);
        const get = this.getter(bound);
        if (cond.subquery) {
          const ids = this.semiJoin(cond.subquery);
          return cond.negated ? (rec) => !ids.has(String(get(rec))) : (rec) => ids.has(String(get(rec)));
        }
        const tests = cond.values.map((v) => this.comparator(bound.field, '=', v));
        const set = this.inSet(bound.field, cond.values);
        if (set) {
          // Same semantics as the comparators above (which also type-checked the literals), O(1) per row.
          const has = (v: unknown): boolean => v !== null && v !== undefined && v !== '' && set.has(String(v).toLowerCase());
          return cond.negated ? (rec) => !has(get(rec)) : (rec) => has(get(rec));
        }
        return cond.negated ? (rec) => { const v = get(rec); return !tests.some((t) => t(v)); } : (rec) => { const v = get(rec); return tests.some((t) => t(v)); };
      }
      case 'like': {
        const bound = this.bindFilter(cond.field);
        if (cond.pattern.kind !== 'string') throw this.typeError(bound.field, cond.pattern);
        const re = likeToRegExp(cond.pattern.value);
        const get = this.getter(bound);
        return (rec) => {
          const v = get(rec);
          return v !== null && v !== undefined && re.test(String(v));
        };
      }
      case 'includes':
      case 'excludes': {
        const bound = this.bindFilter(cond.field);
        if (bound.field.type !== 'multipicklist') {
          throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `includes or excludes operator only valid on multipicklist field`, this.query.text, cond.field.offset);
        }
        const wanted = cond.values.map((v) => {
          if (v.kind !== 'string') throw this.typeError(bound.field, v);
          return v.value.split(';').map((s) => s.trim().toLowerCase());
        });
        const get = this.getter(bound);
        const includes = (rec: Rec): boolean => {
          const v = get(rec);
          if (typeof v !== 'string' || v === '') return false;
          const have = new Set(v.split(';').map((s) => s.trim().toLowerCase()));
          return wanted.some((all) => all.every((w) => have.has(w)));
        };
        return cond.kind === 'includes' ? includes : (rec) => !includes(rec);
      }
    }
  }

  /**
   * The id set of a semi-join (`WHERE Id IN (SELECT EntityId FROM TopicAssignment …)`). Like
   * Salesforce, the subquery selects exactly one id or reference field.
   */
  private semiJoin(sub: SoqlQuery): Set<string> {
    const only = sub.select[0];
    if (sub.select.length !== 1 || only?.kind !== 'field') {
      throw new SoqlError('MALFORMED_QUERY', 'semi join sub-selects can only select one field', this.query.text, sub.from.offset);
    }
    const inner = new Evaluator(sub, this.source);
    const bound = inner.bind(only.ref);
    if (bound.hops.length > 0 || (bound.field.type !== 'id' && bound.field.type !== 'reference')) {
      throw new SoqlError('MALFORMED_QUERY', 'Semi join sub-selects must select an ID field', this.query.text, only.ref.offset);
    }
    const result = inner.run(false);
    const ids = new Set<string>();
    if (result.kind === 'rows') for (const rec of result.rows) if (typeof rec[bound.field.name] === 'string') ids.add(rec[bound.field.name] as string);
    return ids;
  }

  /** Lower-cased values of an IN list on a text or id field, or undefined when not applicable. */
  private inSet(field: FieldDef, values: readonly Literal[]): Set<string> | undefined {
    const isId = field.type === 'id' || field.type === 'reference';
    if (!(isId || TEXT.has(field.type)) || !values.every((v) => v.kind === 'string')) return undefined;
    // Ids compare exactly (normalised to 18 chars); lower-casing both sides is equivalent for them
    // only because two distinct valid 18-char ids never differ by case alone.
    return new Set(values.map((v) => (v.kind === 'string' ? (isId ? normalizeId(v.value) ?? v.value : unescapeLike(v.value)).toLowerCase() : '')));
  }

  private typeError(field: FieldDef, literal: Literal): SoqlError {
    const quoted = literal.kind === 'string';
    const typeName = TEXT.has(field.type) || field.type === 'multipicklist' ? 'string' : field.type === 'id' || field.type === 'reference' ? 'id' : SOAP_TYPE_NAMES[field.type] ?? field.type;
    const tail = quoted ? 'and should not be enclosed in quotes' : 'and should be enclosed in quotes';
    return new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field.name}' must be of type ${typeName} ${tail}`, this.query.text, literal.offset);
  }

  /** A test of one field value against one literal, with Salesforce's typing rules. */
  private comparator(field: FieldDef, op: string, literal: Literal): (value: unknown) => boolean {
    const isNull = (v: unknown): boolean => v === null || v === undefined || v === '';
    if (literal.kind === 'null') {
      if (op !== '=' && op !== '!=') throw new SoqlError('MALFORMED_QUERY', `unexpected token: 'null'`, this.query.text, literal.offset);
      return op === '=' ? isNull : (v) => !isNull(v);
    }
    const ordered = (c: number): boolean => (op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
    const withNull = (test: (v: unknown) => boolean) => (v: unknown) => (isNull(v) ? op === '!=' : test(v));

    if (field.type === 'id' || field.type === 'reference') {
      if (literal.kind !== 'string') throw this.typeError(field, literal);
      const id = normalizeId(literal.value);
      if (!id) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`, this.query.text, literal.offset);
      return withNull((v) => ordered(compareStrings(String(v), id)));
    }
    if (TEXT.has(field.type) || field.type === 'multipicklist') {
      if (literal.kind !== 'string') throw this.typeError(field, literal);
      const wanted = unescapeLike(literal.value);
      if (field.type === 'multipicklist' && (op === '=' || op === '!=')) {
        const key = multiKey(wanted);
        return withNull((v) => ordered(multiKey(String(v)) === key ? 0 : 1));
      }
      const lower = wanted.toLowerCase();
      return withNull((v) => ordered(compareStrings(String(v).toLowerCase(), lower)));
    }
    if (NUMERIC.has(field.type)) {
      if (literal.kind !== 'number') throw this.typeError(field, literal);
      return withNull((v) => ordered(Number(v) - literal.value));
    }
    if (field.type === 'boolean') {
      if (literal.kind !== 'boolean') throw this.typeError(field, literal);
      return (v) => ordered((v === true ? 1 : 0) - (literal.value ? 1 : 0));
    }
    if (field.type === 'date' || field.type === 'datetime') {
      let range: [number, number];
      if (literal.kind === 'dateLiteral') range = dateLiteralRange(literal.name, literal.n, this.source.now());
      else if (literal.kind === 'date') {
        const ms = parseDate(literal.value);
        if (ms === undefined) throw this.typeError(field, literal);
        range = [ms, ms + DAY];
      } else if (literal.kind === 'datetime') {
        const ms = parseDateTime(literal.value);
        if (ms === undefined) throw this.typeError(field, literal);
        range = field.type === 'date' ? [Math.floor(ms / DAY) * DAY, Math.floor(ms / DAY) * DAY + DAY] : [ms, ms + 1];
      } else throw this.typeError(field, literal);
      const [start, end] = range;
      const parse = field.type === 'date' ? parseDate : parseDateTime;
      return withNull((v) => {
        const ms = parse(String(v));
        if (ms === undefined) return false;
        switch (op) {
          case '=': return ms >= start && ms < end;
          case '!=': return ms < start || ms >= end;
          case '<': return ms < start;
          case '<=': return ms < end;
          case '>': return ms >= end;
          default: return ms >= start;
        }
      });
    }
    throw new SoqlError('INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`, this.query.text, literal.offset);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function multiKey(value: string): string {
  return value.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean).sort().join(';');
}

/** `\_` and `\%` only mean something in LIKE; elsewhere they stand for the bare character. */
function unescapeLike(value: string): string {
  return value.replace(/\\([_%])/g, '$1');
}

export function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '_' || pattern[i + 1] === '%')) {
      re += pattern[i + 1];
      i += 1;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Order of two field values; nulls placed first unless nullsLast. Text compares case-insensitively. */
export function compareValues(a: unknown, b: unknown, type: string, nullsLast: boolean): number {
  const na = a === null || a === undefined;
  const nb = b === null || b === undefined;
  if (na || nb) {
    if (na && nb) return 0;
    return na === nullsLast ? 1 : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (type === 'id' || type === 'reference') return compareStrings(String(a), String(b));
  return compareStrings(String(a).toLowerCase(), String(b).toLowerCase());
}

function normalizeGroupValue(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v ?? null;
}

function aggregateValue(fn: string, values: readonly unknown[]): unknown {
  switch (fn) {
    case 'COUNT': return values.length;
    case 'COUNT_DISTINCT': return new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    case 'SUM': return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0);
    case 'AVG': return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0) / values.length;
    case 'MIN':
    case 'MAX': {
      if (values.length === 0) return null;
      const sorted = [...values].sort((x, y) => compareValues(x, y, typeof x === 'number' ? 'double' : 'string', true));
      return fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
    }
    default: return null;
  }
}

const ADDRESS_PARTS: Record<string, string> = {
  Street: 'street', City: 'city', State: 'state', PostalCode: 'postalCode', Country: 'country', Latitude: 'latitude', Longitude: 'longitude', GeocodeAccuracy: 'geocodeAccuracy',
};

/** An address compound field (MailingAddress) built from its component fields, null when empty. */
export function compound(rec: Rec, schema: SObjectSchema, field: FieldDef): Record<string, unknown> | null {
  const prefix = field.name.replace(/Address$/, '');
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [suffix, key] of Object.entries(ADDRESS_PARTS)) {
    const part = schema.field(`${prefix}${suffix}`);
    const value = part ? rec[part.name] ?? null : null;
    if (value !== null) any = true;
    out[key] = value;
  }
  return any ? Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]])) : null;
}
