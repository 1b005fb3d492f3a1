import { useState } from 'react';
import type { ErrorDto } from '../../../common/errors';
import { toErrorDto } from '../bridge';
import { downloadCsv, exportAllAsCsv, type ExportPage } from './csv-export';

/**
 * The Export CSV button's state: `start()` pages through every record, saves the file and
 * reports failures through `onError`; `status` is the progress line while it runs.
 */
export function useCsvExport<T>(options: {
  readonly fileName: string;
  readonly columns: readonly string[];
  readonly fetchPage: (offset: number, limit: number) => Promise<ExportPage<T>>;
  readonly toRow: (record: T) => readonly (string | number)[];
  readonly onError: (error: ErrorDto) => void;
}): { readonly status: string | undefined; readonly start: () => Promise<void> } {
  const [status, setStatus] = useState<string | undefined>(undefined);
  const start = async (): Promise<void> => {
    setStatus('Exporting…');
    try {
      const { csv } = await exportAllAsCsv({ ...options, onProgress: (done, total) => setStatus(`Exporting ${done.toLocaleString()} of ${total.toLocaleString()}…`) });
      downloadCsv(options.fileName, csv);
    } catch (failure) {
      options.onError(toErrorDto(failure));
    } finally {
      setStatus(undefined);
    }
  };
  return { status, start };
}
