import { useState } from 'react';

/**
 * Copies text with the Clipboard API. Where the window may not write the clipboard it says
 * so, and the text stays on screen to select by hand.
 */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      if (navigator.clipboard === undefined) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" className="button-quiet" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span role="status" className="outbound-copy-status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'This window cannot copy: select the text and copy it yourself.' : ''}
      </span>
    </>
  );
}
