/** RFC 4180 CSV, as Bulk API 2.0 reads and writes it (configurable delimiter and line ending). */

export const DELIMITERS: Record<string, string> = {
  COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`',
};

export class CsvError extends Error {}

/**
 * Rows of cells. Quoted cells may hold delimiters, quotes (doubled) and line breaks. A
 * trailing line ending does not produce an empty last row.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let cellStarted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') throw new CsvError(`unexpected character after closing quote at offset ${i}`);
        continue;
      }
      cell += c;
      i += 1;
      continue;
    }
    if (c === '"' && !cellStarted) {
      quoted = true;
      cellStarted = true;
      i += 1;
      continue;
    }
    if (c === delimiter) {
      row.push(cell);
      cell = '';
      cellStarted = false;
      i += 1;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      cellStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += c;
    cellStarted = true;
    i += 1;
  }
  if (quoted) throw new CsvError('unterminated quoted field');
  if (cellStarted || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** True when the text uses a line ending other than the job's (outside quoted cells). */
export function hasForeignLineEnding(text: string, lineEnding: 'LF' | 'CRLF'): boolean {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (quoted || c !== '\n') continue;
    const crlf = text[i - 1] === '\r';
    if (lineEnding === 'LF' ? crlf : !crlf) return true;
  }
  return false;
}

export function quoteCell(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** A header cell is written as uploaded unless it needs quoting. */
export function headerCell(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? quoteCell(value) : value;
}
