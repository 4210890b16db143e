import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRollAfter, tradingDayOf, tradingDays, tradingDayStart } from './trading-day';

const utcMidnight = { timeZone: 'UTC', rollTime: '00:00' };
const london = { timeZone: 'Europe/London', rollTime: '06:00' };
const newYorkFx = { timeZone: 'America/New_York', rollTime: '17:00' };

describe('the trading day', () => {
  it('is the calendar day at a midnight roll', () => {
    expect(tradingDayOf(new Date('2026-11-27T00:00:00.000Z'), utcMidnight)).toBe('2026-11-27');
    expect(tradingDayOf(new Date('2026-11-27T23:59:59.999Z'), utcMidnight)).toBe('2026-11-27');
    expect(nextRollAfter(new Date('2026-11-27T09:30:00.000Z'), utcMidnight).toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it('begins at a morning roll on its own date, in the desk’s time zone', () => {
    expect(tradingDayOf(new Date('2026-11-27T05:59:59.000Z'), london)).toBe('2026-11-26'); // GMT in November
    expect(tradingDayOf(new Date('2026-11-27T06:00:00.000Z'), london)).toBe('2026-11-27');
    expect(tradingDayStart('2026-07-01', london).toISOString()).toBe('2026-07-01T05:00:00.000Z'); // BST
  });

  it('begins at an evening roll on the evening before (FX: 17:00 New York)', () => {
    expect(tradingDayOf(new Date('2026-11-23T21:59:00.000Z'), newYorkFx)).toBe('2026-11-23'); // Monday 16:59 EST
    expect(tradingDayOf(new Date('2026-11-23T22:00:00.000Z'), newYorkFx)).toBe('2026-11-24'); // Monday 17:00 EST: Tuesday
    expect(nextRollAfter(new Date('2026-11-23T15:00:00.000Z'), newYorkFx).toISOString()).toBe('2026-11-23T22:00:00.000Z');
  });

  it('follows daylight saving time: the roll stays at its local time, the day is 23 or 25 hours long', () => {
    // Europe/London moves to BST on 2026-03-29: the day that starts 06:00 local that morning starts at 05:00 UTC.
    expect(tradingDayStart('2026-03-28', london).toISOString()).toBe('2026-03-28T06:00:00.000Z');
    expect(tradingDayStart('2026-03-29', london).toISOString()).toBe('2026-03-29T05:00:00.000Z');
    expect(nextRollAfter(new Date('2026-03-28T12:00:00.000Z'), london).toISOString()).toBe('2026-03-29T05:00:00.000Z');
    // New York falls back on 2026-11-01: 17:00 EDT on Oct 31 begins Nov 1, 17:00 EST on Nov 1 begins Nov 2.
    expect(tradingDayStart('2026-11-01', newYorkFx).toISOString()).toBe('2026-10-31T21:00:00.000Z');
    expect(tradingDayStart('2026-11-02', newYorkFx).toISOString()).toBe('2026-11-01T22:00:00.000Z');
  });

  it('every instant belongs to the day whose start is at or before it and whose successor starts after it', () => {
    for (const calendar of [utcMidnight, london, newYorkFx]) {
      for (let t = Date.parse('2026-03-25T00:00:00Z'); t < Date.parse('2026-04-02T00:00:00Z'); t += 37 * 60_000) {
        const at = new Date(t);
        const day = tradingDayOf(at, calendar);
        expect(tradingDayStart(day, calendar).getTime()).toBeLessThanOrEqual(t);
        expect(nextRollAfter(at, calendar).getTime()).toBeGreaterThan(t);
      }
    }
  });
});

describe('the trading day, remembered between rolls', () => {
  it('answers as tradingDayOf for any instants in any order, across rolls and DST changes (property)', () => {
    const calendars = [
      { timeZone: 'America/New_York', rollTime: '17:00' },
      { timeZone: 'Europe/London', rollTime: '00:00' },
      { timeZone: 'Asia/Kolkata', rollTime: '06:30' },
    ];
    // March 2026 (both DST changes in the US and Europe) and around them, to the minute and second.
    const instant = fc.integer({ min: Date.parse('2026-03-05T00:00:00Z'), max: Date.parse('2026-04-05T00:00:00Z') });
    fc.assert(
      fc.property(fc.constantFrom(...calendars), fc.array(fc.oneof(instant, instant.map((ms) => ms - (ms % 60_000))), { minLength: 1, maxLength: 40 }), (calendar, instants) => {
        const day = tradingDays(calendar);
        for (const ms of instants) expect(day(new Date(ms))).toBe(tradingDayOf(new Date(ms), calendar));
      }),
      { numRuns: 200 },
    );
  });

  it('turns at the roll to the millisecond', () => {
    const calendar = { timeZone: 'America/New_York', rollTime: '17:00' };
    const day = tradingDays(calendar);
    const roll = tradingDayStart('2026-03-10', calendar).getTime();
    expect(day(new Date(roll - 1))).toBe('2026-03-09');
    expect(day(new Date(roll))).toBe('2026-03-10');
    expect(day(new Date(roll - 1))).toBe('2026-03-09');
  });
});
