import type { ReactNode } from 'react';

/** The page's h1 (focusable, so navigation can move focus to it) and a one-line purpose. */
export function PageHeader({ title, children, actions }: { readonly title: string; readonly children?: ReactNode; readonly actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 tabIndex={-1} className="page-title">
          {title}
        </h1>
        {children !== undefined && <p className="page-lead">{children}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </header>
  );
}
