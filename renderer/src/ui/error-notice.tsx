import type { ErrorDto } from '../../../common/errors';

/** An error from the main process: what happened, and what to do next. */
export function ErrorNotice({ error, title }: { readonly error: ErrorDto; readonly title?: string }) {
  return (
    <div className="notice notice-error" role="alert">
      {title !== undefined && <p className="notice-title">{title}</p>}
      <p className="notice-message">{error.message}</p>
      {error.hint !== undefined && error.hint !== '' && <p className="notice-hint">{error.hint}</p>}
    </div>
  );
}
