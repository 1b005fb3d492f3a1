/**
 * SOQL string literals. Salesforce reads `\` as an escape character inside quotes, so a
 * value such as `O'Brien` or `C:\sites` must be escaped before it is put between quotes, or
 * the query breaks (MALFORMED_QUERY) or, worse, says something the caller did not mean.
 * Shared by every module that builds SOQL with a value that came from a person or an org.
 */

/** Escapes a value for use INSIDE single quotes: backslash first, then the quote. */
export function escapeSoqlString(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** `'value'` with escaping: the form most callers want. */
export function soqlQuote(value: string): string {
  return `'${escapeSoqlString(value)}'`;
}

/** `('a', 'b')` for an IN clause; throws on an empty list because `IN ()` is a syntax error. */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('an IN list needs at least one value');
  return `(${values.map(soqlQuote).join(', ')})`;
}
