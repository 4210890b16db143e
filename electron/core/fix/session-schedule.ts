import type { SessionSchedule, Weekday } from '../config/desk-config';
import { WEEKDAYS } from '../config/desk-config';
import { addDays, localParts, minutes, zonedTime } from '../time/zoned-time';

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

function weekdayOf(day: string): Weekday {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7] as Weekday;
}
