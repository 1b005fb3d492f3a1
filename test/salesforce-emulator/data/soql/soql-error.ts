/**
 * SOQL errors in Salesforce's format: the query line, a caret under the offending column,
 * `ERROR at Row:r:Column:c` and the message, e.g.
 * "\nSELECT Id, Foo FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' …".
 */
import { ApiError } from '../errors';

export class SoqlError extends ApiError {
  constructor(errorCode: string, message: string, readonly query?: string, readonly offset?: number) {
    super(400, errorCode, query !== undefined && offset !== undefined ? locate(query, offset, message) : message);
  }
}

function locate(query: string, offset: number, message: string): string {
  const before = query.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', offset);
  const line = query.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}
