/** Salesforce's wire formats for date and dateTime values. */

/** `2026-11-29T12:00:00.000+0000`, the form Salesforce returns for every dateTime. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `2026-11-29` */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses `YYYY-MM-DD` to UTC midnight ms, rejecting impossible dates like 2026-02-30. */
export function parseDate(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return formatDate(ms) === text ? ms : undefined;
}

/** Parses the ISO 8601 forms Salesforce accepts (`Z`, `+0000`, `+01:00`, no zone = UTC). */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const day = parseDate(`${y}-${mo}-${d}`);
  if (day === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  let ms = day + Number(h) * 3_600_000 + Number(mi) * 60_000 + Number(s ?? 0) * 1000 + Math.floor(Number(`0.${frac ?? '0'}`) * 1000);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}
