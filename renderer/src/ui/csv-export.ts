import { stringify } from 'csv-stringify/browser/esm/sync';

/** Records per request while exporting: the contract's largest page. */
export const EXPORT_PAGE = 1_000;

export interface ExportPage<T> {
  readonly total: number;
  readonly records: readonly T[];
}

/**
 * Every record of a run as CSV, however many: pages through main (`offset`, 1,000 at a time)
 * instead of exporting only what the screen loaded, and quotes through a CSV library (commas,
 * quotes, line breaks and leading `=` in WordPress data must survive a spreadsheet).
 */
export async function exportAllAsCsv<T>(options: {
  readonly fetchPage: (offset: number, limit: number) => Promise<ExportPage<T>>;
  readonly columns: readonly string[];
  readonly toRow: (record: T) => readonly (string | number)[];
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}): Promise<{ csv: string; count: number }> {
  const rows: (readonly (string | number)[])[] = [];
  let total = Number.POSITIVE_INFINITY;
  while (rows.length < total) {
    if (options.signal?.aborted) throw new DOMException('The export was cancelled.', 'AbortError');
    const page = await options.fetchPage(rows.length, EXPORT_PAGE);
    total = page.total;
    // A run still writing may shrink a filter's page; never loop on an empty answer.
    if (page.records.length === 0) break;
    rows.push(...page.records.map(options.toRow));
    options.onProgress?.(rows.length, total);
  }
  const csv = stringify(rows.map((row) => row.map(neutraliseFormula)), { header: true, columns: [...options.columns] });
  return { csv, count: rows.length };
}

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @ first; OWASP's CSV injection advice)
 * gets a leading apostrophe: WordPress users choose their own names.
 */
export function neutraliseFormula(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Hands the text to the browser (or Electron's window) as a download. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
