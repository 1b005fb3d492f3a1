import { useRef, useState, type ChangeEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { SiteProfileDto } from '../../../../common/models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';

/** Hands a text file to the browser's download; false where the page cannot (no object URLs). */
function download(fileName: string, text: string): boolean {
  if (typeof URL.createObjectURL !== 'function') return false;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return true;
}

/** The file's text; FileReader where Blob.text is missing (older engines, jsdom). */
function readText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsText(file);
  });
}

/** Export a site's settings as JSON (no secret), or import a file into it or as a new site. */
export function SettingsTransfer({ site, onImported }: { readonly site: SiteProfileDto; readonly onImported: (site: SiteProfileDto, created: boolean) => void }) {
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [exported, setExported] = useState<string | undefined>(undefined);
  const file = useRef<HTMLInputElement>(null);
  const target = useRef<'this' | 'new'>('this');

  async function exportSettings() {
    setError(undefined);
    try {
      const result = await invoke('sites:export', { siteId: site.id });
      if (download(result.fileName, result.json)) {
        setExported(undefined);
        setStatus(`Exported ${result.fileName}. It holds no password or token.`);
      } else {
        setExported(result.json);
        setStatus('Copy the settings below. They hold no password or token.');
      }
    } catch (failure) {
      setError(toErrorDto(failure));
    }
  }

  function chooseFile(into: 'this' | 'new') {
    target.current = into;
    file.current?.click();
  }

  async function imported(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    event.target.value = '';
    if (chosen === undefined) return;
    setError(undefined);
    try {
      const json = await readText(chosen);
      const into = target.current;
      const saved = await invoke('sites:import', into === 'this' ? { json, siteId: site.id } : { json });
      setStatus(into === 'this' ? `Imported the settings of ${chosen.name} into “${saved.name}”. Refresh the fields to check them.` : `Created “${saved.name}” from ${chosen.name}. Choose its connection and type its application password on the Sites page.`);
      onImported(saved, into === 'new');
    } catch (failure) {
      setError(toErrorDto(failure));
    }
  }

  return (
    <section className="panel" aria-labelledby="fields-transfer-title">
      <h2 id="fields-transfer-title" className="panel-title">
        Settings file
      </h2>
      <p className="field-hint">The object, tags, mapping, match key, record type and defaults as JSON — never the application password, tokens or the connection.</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void exportSettings()}>
          Export settings
        </button>
        <button type="button" className="button" onClick={() => chooseFile('this')}>
          Import into this site…
        </button>
        <button type="button" className="button" onClick={() => chooseFile('new')}>
          Import as a new site…
        </button>
        <input ref={file} type="file" accept="application/json,.json" className="visually-hidden" tabIndex={-1} aria-label="Settings file to import" onChange={(event) => void imported(event)} />
        <span role="status" aria-live="polite" className="form-status">
          {status}
        </span>
      </div>
      {error !== undefined && <ErrorNotice error={error} title="The settings file could not be used." />}
      {exported !== undefined && <textarea className="input code-block" readOnly rows={12} aria-label="Exported settings" value={exported} />}
    </section>
  );
}
