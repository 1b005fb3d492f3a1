import type { ReactNode } from 'react';

/** Explains what a page is for while it has nothing to show, and what to do next. */
export function EmptyState({ title, children, action }: { readonly title: string; readonly children: ReactNode; readonly action?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2 className="empty-state-title">{title}</h2>
      <div className="empty-state-body">{children}</div>
      {action !== undefined && <div className="empty-state-action">{action}</div>}
    </section>
  );
}
