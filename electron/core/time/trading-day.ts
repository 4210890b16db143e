import { addDays, localParts, minutes, zonedTime } from './zoned-time';

/**
 * The desk's trading day: when one day ends and the next begins, in the desk's time zone. At the
 * roll, orders finished before it leave the live read models (they stay in the journal), and
 * working orders carry over (desk/day-roll.ts).
 *
 * A day is named by its date. A morning roll (at or before 12:00) starts day D at that time on D
 * (00:00 UTC: the calendar day); an evening roll starts day D on the evening before, FX-style
 * (17:00 New York: Monday 17:00 begins Tuesday's trading day).
 */
export interface TradingCalendar {
  /** IANA time zone of the desk, e.g. Europe/London. */
  readonly timeZone: string;
  /** HH:MM local time at which the next trading day begins. */
  readonly rollTime: string;
}

const NOON = 12 * 60;

/** The trading day (YYYY-MM-DD) an instant belongs to. */
export function tradingDayOf(at: Date, calendar: TradingCalendar): string {
  const local = localParts(at, calendar.timeZone);
  const roll = minutes(calendar.rollTime);
  if (roll <= NOON) return local.minutes >= roll ? local.date : addDays(local.date, -1);
  return local.minutes >= roll ? addDays(local.date, 1) : local.date;
}

/** The instant trading day `day` begins. */
export function tradingDayStart(day: string, calendar: TradingCalendar): Date {
  const roll = minutes(calendar.rollTime);
  return zonedTime(roll <= NOON ? day : addDays(day, -1), roll, calendar.timeZone);
}

/** The instant the trading day after the one `at` belongs to begins. */
export function nextRollAfter(at: Date, calendar: TradingCalendar): Date {
  return tradingDayStart(addDays(tradingDayOf(at, calendar), 1), calendar);
}

/**
 * `tradingDayOf` for a clock that asks at every order: the day found once, then answered from its
 * [start, next start) interval until an instant falls outside it (Intl's time-zone arithmetic costs
 * ~0.1 ms a call; a day has one answer). Exact whatever the order of the instants asked.
 */
export function tradingDays(calendar: TradingCalendar): (at: Date) => string {
  let day: { readonly name: string; readonly start: number; readonly end: number } | undefined;
  return (at) => {
    const ms = at.getTime();
    if (day !== undefined && ms >= day.start && ms < day.end) return day.name;
    const name = tradingDayOf(at, calendar);
    day = { name, start: tradingDayStart(name, calendar).getTime(), end: tradingDayStart(addDays(name, 1), calendar).getTime() };
    return name;
  };
}
