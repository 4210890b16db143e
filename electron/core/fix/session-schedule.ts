import type { SessionSchedule, Weekday } from '../config/desk-config';
import { WEEKDAYS } from '../config/desk-config';

/**
 * The session schedule, evaluated at a given instant (the caller's clock, so tests move time by
 * hand). A session starts at `start` local time on each of `days` and ends at `end` the same day,
 * or the next day when `end` is at or before `start` (an overnight session; equal = 24 hours).
 */
export interface ScheduleState {
  readonly inSession: boolean;
  /** The local date (YYYY-MM-DD) the current session started on; undefined outside a session. */
  readonly sessionDay?: string;
}

export function scheduleState(schedule: SessionSchedule, at: Date): ScheduleState {
  const local = localParts(at, schedule.timeZone);
  const startMin = minutes(schedule.start);
  const endMin = minutes(schedule.end);
  const overnight = endMin <= startMin;
  // The session that started today, and the one that started yesterday (it may still run overnight).
  for (const back of [0, 1]) {
    const day = addDays(local.date, -back);
    if (!schedule.days.includes(weekdayOf(day))) continue;
    const start = zonedTime(day, startMin, schedule.timeZone);
    const end = zonedTime(overnight ? addDays(day, 1) : day, endMin, schedule.timeZone);
    if (at.getTime() >= start.getTime() && at.getTime() < end.getTime()) return { inSession: true, sessionDay: day };
  }
  return { inSession: false };
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

interface LocalParts {
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

function localParts(at: Date, timeZone: string): LocalParts & { readonly seconds: number } {
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

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function weekdayOf(day: string): Weekday {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7] as Weekday;
}
