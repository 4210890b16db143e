import { describe, expect, it } from 'vitest';
import { scheduleSchema } from '../config/desk-config';
import { zonedTime } from '../time/zoned-time';
import { scheduleState } from './session-schedule';

const london = scheduleSchema.parse({ start: '08:00', end: '16:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'], timeZone: 'Europe/London' });

describe('the session schedule', () => {
  it('is in session between start and end on a listed weekday, local time (summer: UTC+1)', () => {
    // Tuesday 2026-06-02
    expect(scheduleState(london, new Date('2026-06-02T06:59:59Z')).inSession).toBe(false);
    expect(scheduleState(london, new Date('2026-06-02T07:00:00Z'))).toEqual({ inSession: true, sessionDay: '2026-06-02' });
    expect(scheduleState(london, new Date('2026-06-02T15:29:59Z')).inSession).toBe(true);
    expect(scheduleState(london, new Date('2026-06-02T15:30:00Z')).inSession).toBe(false);
  });

  it('follows daylight saving time (winter: UTC+0) and skips days not listed', () => {
    expect(scheduleState(london, new Date('2026-12-01T08:00:00Z')).inSession).toBe(true);
    expect(scheduleState(london, new Date('2026-12-01T07:59:00Z')).inSession).toBe(false);
    // Saturday 2026-12-05
    expect(scheduleState(london, new Date('2026-12-05T12:00:00Z')).inSession).toBe(false);
  });

  it('runs overnight sessions into the next day, keyed by the day they started', () => {
    const ny = scheduleSchema.parse({ start: '17:00', end: '16:00', days: ['sun', 'mon', 'tue', 'wed', 'thu'], timeZone: 'America/New_York' });
    // Sunday 2026-03-01 17:00 EST = 22:00Z; Monday 16:00 EST = 21:00Z
    expect(scheduleState(ny, new Date('2026-03-01T21:59:00Z')).inSession).toBe(false);
    expect(scheduleState(ny, new Date('2026-03-01T22:00:00Z'))).toEqual({ inSession: true, sessionDay: '2026-03-01' });
    expect(scheduleState(ny, new Date('2026-03-02T20:59:00Z'))).toEqual({ inSession: true, sessionDay: '2026-03-01' });
    expect(scheduleState(ny, new Date('2026-03-02T21:30:00Z')).inSession).toBe(false);
    expect(scheduleState(ny, new Date('2026-03-02T22:00:00Z'))).toEqual({ inSession: true, sessionDay: '2026-03-02' });
    // Friday 17:00 starts nothing (not listed)
    expect(scheduleState(ny, new Date('2026-03-06T22:30:00Z')).inSession).toBe(false);
  });

  it('converts local times across a DST change', () => {
    expect(zonedTime('2026-03-29', 8 * 60, 'Europe/London').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(zonedTime('2026-03-28', 8 * 60, 'Europe/London').toISOString()).toBe('2026-03-28T08:00:00.000Z');
  });

  it('refuses a bad schedule with clear errors', () => {
    expect(scheduleSchema.safeParse({ start: '8:00', end: '16:30' }).error?.issues[0]?.message).toMatch(/HH:MM/);
    expect(scheduleSchema.safeParse({ start: '08:00', end: '16:30', timeZone: 'Mars/Olympus' }).error?.issues[0]?.message).toMatch(/IANA time zone/);
    expect(scheduleSchema.safeParse({ start: '08:00', end: '16:30', days: ['monday'] }).success).toBe(false);
  });
});
