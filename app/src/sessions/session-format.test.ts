import { describe, expect, it } from 'vitest';
import { ageText, parseSeqNum, resendText, scheduleText, sequenceRestatement } from './session-format';

const stats = { nextIncomingSeqNum: 7, nextOutgoingSeqNum: 9, gapsDetected: 1, resendRequestsSent: 2, resendRequestsServed: 0, heldMessages: 3, inSchedule: true };

describe('session monitor formatting', () => {
  it('says how long ago, live', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(ageText(undefined, now)).toBe('—');
    expect(ageText('2026-11-27T09:59:56.500Z', now)).toBe('3 s ago');
    expect(ageText('2026-11-27T09:57:55Z', now)).toBe('2 min 05 s ago');
    expect(ageText('2026-11-27T08:58:00Z', now)).toBe('1 h 02 min ago');
    expect(ageText('2026-11-27T10:00:05Z', now)).toBe('0 s ago');
  });

  it('sums up resend activity and the schedule', () => {
    expect(resendText(stats)).toBe('1 gap · 2 asked · 0 served · 3 held');
    expect(scheduleText(stats)).toBe('In schedule');
    expect(scheduleText({ ...stats, idle: 'halted' })).toBe('Halted: needs a person');
    expect(scheduleText({ ...stats, inSchedule: false })).toBe('Outside schedule');
  });

  it('reads sequence numbers strictly', () => {
    expect(parseSeqNum(' ')).toEqual({ ok: true, value: undefined });
    expect(parseSeqNum('42')).toEqual({ ok: true, value: 42 });
    for (const bad of ['0', '-1', '1.5', '1e3', 'abc', '99999999999']) expect(parseSeqNum(bad).ok).toBe(false);
  });

  it('restates exactly what will be set', () => {
    expect(sequenceRestatement('SIM-A', { incoming: 5 }, stats)).toEqual(['Next incoming sequence number: 5 (now 7) — SIM-A must send this MsgSeqNum next.']);
    expect(sequenceRestatement('SIM-A', { incoming: 5, outgoing: 12 }, undefined)).toHaveLength(2);
  });
});
