/**
 * Dates as the desk trades them: 'YYYY-MM-DD' strings, computed in UTC (no time zone can move a
 * date). Business days are weekdays: the reference data carries no holiday calendars yet, so a
 * value date that falls on a market holiday is the broker's to roll (they confirm SettlDate).
 */

export function parseDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatDate(d);
}

export function isBusinessDay(date: string): boolean {
  const day = parseDate(date).getUTCDay();
  return day !== 0 && day !== 6;
}

export function addBusinessDays(date: string, days: number): string {
  let d = date;
  for (let left = days; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) left--;
  }
  return d;
}

/** The last day of the month of `date`. */
export function endOfMonth(date: string): string {
  const d = parseDate(date);
  return formatDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
}

/** `date` moved by whole months; a day past the target month's end becomes its last day (Jan 31 + 1M = Feb 28). */
export function addMonths(date: string, months: number): string {
  const d = parseDate(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return formatDate(target);
}

/** Modified following: the next business day, unless it is in the next month, then the previous one. */
export function modifiedFollowing(date: string): string {
  let next = date;
  while (!isBusinessDay(next)) next = addDays(next, 1);
  if (next.slice(0, 7) === date.slice(0, 7)) return next;
  let previous = date;
  while (!isBusinessDay(previous)) previous = addDays(previous, -1);
  return previous;
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / 86_400_000);
}
