/** SOQL tokenizer. Keywords are case-insensitive; string escapes follow Salesforce's list. */
import { SoqlError } from './soql-error';

export type TokenType = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'op' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Identifier/keyword text as written, unescaped string content, or the literal text. */
  readonly value: string;
  readonly offset: number;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?::\d+)?/;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = query.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= query.length) throw new SoqlError('MALFORMED_QUERY', 'unexpected token: <EOF>', query, query.length);
        const ch = query[j] as string;
        if (ch === '\\') {
          const next = query[j + 1];
          const mapped = next === undefined ? undefined : ESCAPES[next];
          if (mapped === undefined) throw new SoqlError('MALFORMED_QUERY', `Invalid string literal '${query.slice(i, j + 2)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`, query, i);
          value += mapped;
          j += 2;
          continue;
        }
        if (ch === "'") break;
        value += ch;
        j += 1;
      }
      tokens.push({ type: 'string', value, offset: i });
      i = j + 1;
      continue;
    }
    let m = DATETIME_RE.exec(rest);
    if (m) {
      tokens.push({ type: 'datetime', value: m[0], offset: i });
      i += m[0].length;
      continue;
    }
    m = DATE_RE.exec(rest);
    if (m) {
      tokens.push({ type: 'date', value: m[0], offset: i });
      i += m[0].length;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    // A sign belongs to a number only where a value is expected (after an operator, '(' or ',').
    const signAllowed = !prev || prev.type === 'op' || (prev.type === 'punct' && prev.value !== ')') || (prev.type === 'ident' && /^(in|includes|excludes|limit|offset)$/i.test(prev.value));
    m = NUMBER_RE.exec(rest);
    if (m && (/\d|\./.test(c) || signAllowed)) {
      tokens.push({ type: 'number', value: m[0], offset: i });
      i += m[0].length;
      continue;
    }
    m = IDENT_RE.exec(rest);
    if (m) {
      tokens.push({ type: 'ident', value: m[0], offset: i });
      i += m[0].length;
      continue;
    }
    const two = query.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', value: two, offset: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ type: 'op', value: c, offset: i });
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', value: c, offset: i });
      i += 1;
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${c}'`, query, i);
  }
  tokens.push({ type: 'eof', value: '<EOF>', offset: query.length });
  return tokens;
}
