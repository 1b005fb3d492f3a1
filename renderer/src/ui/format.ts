/** Formats an ISO timestamp for the admin's locale; shows "never" for null. */
export function formatTime(iso: string | null | undefined): string {
  return formatWith(iso, { dateStyle: 'medium', timeStyle: 'short' });
}

/** As `formatTime`, to the second: for times that would otherwise read the same. */
export function formatTimeWithSeconds(iso: string | null | undefined): string {
  return formatWith(iso, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The whole timestamp, weekday to time zone, for a tooltip. */
export function formatFullTime(iso: string | null | undefined): string {
  return formatWith(iso, { dateStyle: 'full', timeStyle: 'long' });
}

function formatWith(iso: string | null | undefined, options: Intl.DateTimeFormatOptions): string {
  if (iso === null || iso === undefined || iso === '') return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, options);
}

/**
 * The indexes of the times that lie within a minute of another one in the list. Shown to the
 * minute those would look alike (or even out of order), so they are shown to the second.
 */
export function withinAMinuteOfAnother(times: readonly (string | null)[]): ReadonlySet<number> {
  const parsed = times
    .map((iso, index) => ({ index, at: iso === null ? Number.NaN : Date.parse(iso) }))
    .filter((entry) => !Number.isNaN(entry.at))
    .sort((a, b) => a.at - b.at);
  const close = new Set<number>();
  parsed.forEach((entry, i) => {
    const next = parsed[i + 1];
    if (next !== undefined && next.at - entry.at < 60_000) {
      close.add(entry.index);
      close.add(next.index);
    }
  });
  return close;
}
