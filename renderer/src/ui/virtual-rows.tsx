import { useState, type ReactNode } from 'react';

/**
 * A virtualised list of fixed-height rows: only the rows in view (plus a margin) are in the
 * DOM, so a preview of 100,000 users scrolls as smoothly as one of ten. Before the container
 * has a height (first paint, tests in jsdom) it shows the first screenful.
 */
export function VirtualRows<T>({ items, rowHeight = 36, height = 420, renderRow, label }: { readonly items: readonly T[]; readonly rowHeight?: number; readonly height?: number; readonly renderRow: (item: T, index: number) => ReactNode; readonly label: string }) {
  const [scrollTop, setScrollTop] = useState(0);
  const overscan = 10;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const count = Math.ceil(height / rowHeight) + overscan * 2;
  const visible = items.slice(first, first + count);
  return (
    <div role="list" aria-label={label} className="sync-rows" style={{ height, overflowY: 'auto', position: 'relative' }} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} tabIndex={0}>
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        {visible.map((item, offset) => (
          <div role="listitem" key={first + offset} style={{ position: 'absolute', top: (first + offset) * rowHeight, left: 0, right: 0, height: rowHeight, overflow: 'hidden' }}>
            {renderRow(item, first + offset)}
          </div>
        ))}
      </div>
    </div>
  );
}
