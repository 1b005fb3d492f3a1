/** Recursive-descent SOQL parser for the subset ForceSites and its tests use. */
import type { AggregateFn, ComparisonOp, Condition, FieldRef, Literal, OrderKey, SelectItem, SoqlQuery } from './ast';
import { tokenize, type Token } from './lexer';
import { SoqlError } from './soql-error';

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'MIN', 'MAX', 'AVG']);
const RESERVED = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'LIMIT', 'OFFSET', 'ORDER', 'BY', 'GROUP', 'HAVING', 'NULL', 'TRUE', 'FALSE', 'IN', 'LIKE',
  'INCLUDES', 'EXCLUDES', 'ASC', 'DESC', 'NULLS', 'WITH', 'FOR', 'USING',
]);
export const DATE_LITERALS = new Set([
  'TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_N_DAYS', 'NEXT_N_DAYS', 'THIS_WEEK', 'LAST_WEEK', 'NEXT_WEEK', 'THIS_MONTH', 'LAST_MONTH', 'NEXT_MONTH',
  'THIS_YEAR', 'LAST_YEAR', 'NEXT_YEAR', 'LAST_90_DAYS', 'NEXT_90_DAYS', 'N_DAYS_AGO',
]);

class Parser {
  private pos = 0;

  constructor(private readonly text: string, private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.pos += 1;
    return token;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'ident' && t.value.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos += 1;
    return true;
  }

  unexpected(token: Token = this.peek()): SoqlError {
    const shown = token.type === 'eof' ? '<EOF>' : token.type === 'string' ? `'${token.value}'` : token.value;
    return new SoqlError('MALFORMED_QUERY', `unexpected token: '${shown.replace(/^'(.*)'$/, '$1')}'`, this.text, token.offset);
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected();
    return this.next();
  }

  private expectPunct(value: string): Token {
    const t = this.peek();
    if (t.type !== 'punct' || t.value !== value) throw this.unexpected();
    return this.next();
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.value === value;
  }

  private fieldRef(): FieldRef {
    const t = this.peek();
    if (t.type !== 'ident' || RESERVED.has(t.value.toUpperCase()) || t.value.includes(':')) throw this.unexpected();
    this.next();
    return { path: t.value.split('.'), offset: t.offset };
  }

  parse(): SoqlQuery {
    const query = this.queryBody(false);
    if (this.peek().type !== 'eof') throw this.unexpected();
    return query;
  }

  /** SELECT … up to the end (top level) or to the closing parenthesis (a child subquery). */
  private queryBody(nested: boolean): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.selectList(nested);
    this.expectKeyword('FROM');
    const fromToken = this.peek();
    // `Order` is both a keyword and an object name; after FROM it is always the object.
    if (fromToken.type !== 'ident' || fromToken.value.includes('.') || fromToken.value.includes(':')) throw this.unexpected();
    this.next();
    // Optional object alias (`FROM Contact c`) is not supported: it would need alias-prefixed fields.
    let where: Condition | undefined;
    if (this.acceptKeyword('WHERE')) where = this.condition();
    const groupBy: FieldRef[] = [];
    if (this.isKeyword('GROUP')) {
      this.next();
      this.expectKeyword('BY');
      do groupBy.push(this.fieldRef());
      while (this.isPunct(',') && this.next());
    }
    const orderBy: OrderKey[] = [];
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      do orderBy.push(this.orderKey());
      while (this.isPunct(',') && this.next());
    }
    let limit: number | undefined;
    let offset: number | undefined;
    if (this.acceptKeyword('LIMIT')) limit = this.integer();
    if (this.acceptKeyword('OFFSET')) offset = this.integer();
    if (this.acceptKeyword('FOR')) {
      const t = this.next();
      if (!/^(VIEW|REFERENCE|UPDATE)$/i.test(t.value)) throw this.unexpected(t);
    }
    return { text: this.text, select, from: { name: fromToken.value, offset: fromToken.offset }, where, groupBy, orderBy, limit, offset };
  }

  private integer(): number {
    const t = this.peek();
    if (t.type !== 'number' || !/^\d+$/.test(t.value)) throw this.unexpected();
    this.next();
    return Number(t.value);
  }

  private selectList(nested: boolean): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'punct' && t.value === '(') {
        // Child relationship subqueries go one level deep, as in Salesforce.
        if (nested) throw this.unexpected();
        this.next();
        const query = this.queryBody(true);
        this.expectPunct(')');
        items.push({ kind: 'subquery', query, offset: t.offset });
        if (!this.isPunct(',')) break;
        this.next();
        continue;
      }
      if (t.type === 'ident' && AGGREGATES.has(t.value.toUpperCase()) && this.peek(1).type === 'punct' && this.peek(1).value === '(') {
        this.next();
        this.next();
        const arg = this.isPunct(')') ? undefined : this.fieldRef();
        this.expectPunct(')');
        let alias: string | undefined;
        const a = this.peek();
        if (a.type === 'ident' && !RESERVED.has(a.value.toUpperCase()) && !a.value.includes('.')) {
          alias = a.value;
          this.next();
        }
        items.push({ kind: 'aggregate', fn: t.value.toUpperCase() as AggregateFn, arg, alias, offset: t.offset });
      } else {
        items.push({ kind: 'field', ref: this.fieldRef() });
      }
      if (!this.isPunct(',')) break;
      this.next();
    }
    return items;
  }

  private orderKey(): OrderKey {
    const field = this.fieldRef();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    // Salesforce's default: nulls first when ascending, last when descending.
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else if (this.acceptKeyword('FIRST')) nullsLast = false;
      else throw this.unexpected();
    }
    return { field, descending, nullsLast };
  }

  /** AND and OR may not be mixed at one level without parentheses, as in Salesforce. */
  private condition(): Condition {
    const first = this.unary();
    const items = [first];
    let joiner: 'AND' | 'OR' | undefined;
    while (this.isKeyword('AND') || this.isKeyword('OR')) {
      const word = this.peek().value.toUpperCase() as 'AND' | 'OR';
      if (joiner && joiner !== word) throw this.unexpected();
      joiner = word;
      this.next();
      items.push(this.unary());
    }
    if (!joiner) return first;
    return { kind: joiner === 'AND' ? 'and' : 'or', items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unary() };
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.fieldRef();
    const t = this.peek();
    if (t.type === 'op') {
      this.next();
      const op = (t.value === '<>' ? '!=' : t.value) as ComparisonOp;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.isKeyword('NOT') && this.isKeyword('IN', 1)) {
      this.next();
      this.next();
      return this.inList(field, true);
    }
    if (this.acceptKeyword('IN')) return this.inList(field, false);
    if (this.acceptKeyword('LIKE')) return { kind: 'like', field, pattern: this.literal() };
    if (this.acceptKeyword('INCLUDES')) return { kind: 'includes', field, values: this.literalList() };
    if (this.acceptKeyword('EXCLUDES')) return { kind: 'excludes', field, values: this.literalList() };
    throw this.unexpected();
  }

  /** `IN (…)` with literals, or a semi-join `IN (SELECT IdField FROM …)`. */
  private inList(field: FieldRef, negated: boolean): Condition {
    if (this.isPunct('(') && this.isKeyword('SELECT', 1)) {
      this.next();
      const subquery = this.queryBody(true);
      this.expectPunct(')');
      return { kind: 'in', field, negated, values: [], subquery };
    }
    return { kind: 'in', field, negated, values: this.literalList() };
  }

  private literalList(): Literal[] {
    this.expectPunct('(');
    const values = [this.literal()];
    while (this.isPunct(',')) {
      this.next();
      values.push(this.literal());
    }
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.value, offset: t.offset };
      case 'number':
        return { kind: 'number', value: Number(t.value), offset: t.offset };
      case 'date':
        return { kind: 'date', value: t.value, offset: t.offset };
      case 'datetime':
        return { kind: 'datetime', value: t.value, offset: t.offset };
      case 'ident': {
        const upper = t.value.toUpperCase();
        if (upper === 'NULL') return { kind: 'null', offset: t.offset };
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', offset: t.offset };
        const [name, n] = upper.split(':');
        if (name && DATE_LITERALS.has(name)) {
          const needsN = name.includes('_N_') || name === 'N_DAYS_AGO';
          if (needsN !== (n !== undefined)) throw this.unexpected(t);
          return { kind: 'dateLiteral', name, n: n === undefined ? undefined : Number(n), offset: t.offset };
        }
        throw this.unexpected(t);
      }
      default:
        throw this.unexpected(t);
    }
  }
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(text, tokenize(text)).parse();
}
