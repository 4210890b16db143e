/**
 * Wall-clock time in a time zone (IANA names, DST-aware through Intl): local dates and times of an
 * instant, and the instant of a local date and time. Pure: the instant always comes from the caller's clock.
 */

/** Minutes past midnight of an HH:MM time. */
export function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export interface LocalParts {
  readonly date: string; // YYYY-MM-DD
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date (YYYY-MM-DD) and time of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): LocalParts & { readonly seconds: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute), seconds: Number(parts.second) };
}

/** The instant of local date `day` at `minute` past midnight in `timeZone` (DST-aware). */
export function zonedTime(day: string, minute: number, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, m - 1, d, Math.floor(minute / 60), minute % 60);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localParts(new Date(guess), timeZone);
    const [ly, lm, ld] = local.date.split('-').map(Number) as [number, number, number];
    const asUtc = Date.UTC(ly, lm - 1, ld, Math.floor(local.minutes / 60), local.minutes % 60, local.seconds);
    const offset = asUtc - guess;
    const next = wanted - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

/** A local date (YYYY-MM-DD) `n` days on. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
