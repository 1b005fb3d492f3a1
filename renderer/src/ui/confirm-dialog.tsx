import { useState, type ReactNode } from 'react';
import type { ErrorDto } from '../../../common/errors';
import { toErrorDto } from '../bridge';
import { Dialog } from './dialog';
import { ErrorNotice } from './error-notice';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly busyLabel: string;
  readonly tone?: 'default' | 'danger';
  /** Runs the action; a thrown error is shown in the dialog, which stays open. */
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
}

/** Asks before a destructive action. Cancel comes first so Enter on open does not destroy. */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, tone = 'danger', onConfirm, onCancel }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (failure) {
      setError(toErrorDto(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={title}
      tone={tone}
      onClose={busy ? undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={`button ${tone === 'danger' ? 'button-danger' : 'button-primary'}`} onClick={confirm} disabled={busy}>
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error !== undefined && <ErrorNotice error={error} />}
      <p role="status" aria-live="polite" className="visually-hidden">
        {busy ? busyLabel : ''}
      </p>
    </Dialog>
  );
}
