import { formatFullTime, formatTime } from './format';

export interface TimestampProps {
  readonly iso: string | null | undefined;
  /** The visible text; defaults to the date and time to the minute. */
  readonly format?: (iso: string | null) => string;
}

/**
 * A date and time as a `<time>` element: the short form to read, the full timestamp (to the
 * second, with the time zone) on hover, and the machine-readable value for assistive tools.
 */
export function Timestamp({ iso, format = formatTime }: TimestampProps) {
  const value = iso === undefined || iso === '' ? null : iso;
  if (value === null) return <>{format(null)}</>;
  return (
    <time dateTime={value} title={formatFullTime(value)}>
      {format(value)}
    </time>
  );
}
