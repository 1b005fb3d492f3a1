/**
 * Relative date literals (TODAY, LAST_N_DAYS:n, …) as half-open UTC ranges [start, end).
 * Salesforce evaluates them in the user's time zone; the emulator's users are all on GMT.
 */
const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function startOfWeek(ms: number): number {
  const day = startOfDay(ms);
  return day - new Date(day).getUTCDay() * DAY; // weeks start on Sunday (en_US locale)
}

function monthStart(ms: number, deltaMonths: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + deltaMonths, 1);
}

function yearStart(ms: number, deltaYears: number): number {
  return Date.UTC(new Date(ms).getUTCFullYear() + deltaYears, 0, 1);
}

export function dateLiteralRange(name: string, n: number | undefined, now: number): [number, number] {
  const today = startOfDay(now);
  const count = n ?? 0;
  switch (name) {
    case 'TODAY': return [today, today + DAY];
    case 'YESTERDAY': return [today - DAY, today];
    case 'TOMORROW': return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS': return [today - (count - 1) * DAY, today + DAY];
    case 'NEXT_N_DAYS': return [today + DAY, today + (count + 1) * DAY];
    case 'N_DAYS_AGO': return [today - count * DAY, today - (count - 1) * DAY];
    case 'LAST_90_DAYS': return [today - 89 * DAY, today + DAY];
    case 'NEXT_90_DAYS': return [today + DAY, today + 91 * DAY];
    case 'THIS_WEEK': return [startOfWeek(now), startOfWeek(now) + 7 * DAY];
    case 'LAST_WEEK': return [startOfWeek(now) - 7 * DAY, startOfWeek(now)];
    case 'NEXT_WEEK': return [startOfWeek(now) + 7 * DAY, startOfWeek(now) + 14 * DAY];
    case 'THIS_MONTH': return [monthStart(now, 0), monthStart(now, 1)];
    case 'LAST_MONTH': return [monthStart(now, -1), monthStart(now, 0)];
    case 'NEXT_MONTH': return [monthStart(now, 1), monthStart(now, 2)];
    case 'THIS_YEAR': return [yearStart(now, 0), yearStart(now, 1)];
    case 'LAST_YEAR': return [yearStart(now, -1), yearStart(now, 0)];
    case 'NEXT_YEAR': return [yearStart(now, 1), yearStart(now, 2)];
    default: throw new Error(`unknown date literal ${name}`);
  }
}
