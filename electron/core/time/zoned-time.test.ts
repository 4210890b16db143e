import { describe, expect, it } from 'vitest';
import { localParts } from './zoned-time';

describe('localParts', () => {
  it('answers for the instant and the zone asked, also when asked again within the same second', () => {
    const at = new Date('2026-03-08T06:59:59.200Z'); // New York: 01:59:59 EST, one second before the clocks go forward
    expect(localParts(at, 'America/New_York')).toEqual({ date: '2026-03-08', minutes: 1 * 60 + 59, seconds: 59 });
    expect(localParts(new Date('2026-03-08T06:59:59.900Z'), 'America/New_York')).toEqual({ date: '2026-03-08', minutes: 1 * 60 + 59, seconds: 59 });
    expect(localParts(at, 'Asia/Tokyo')).toEqual({ date: '2026-03-08', minutes: 15 * 60 + 59, seconds: 59 });
    expect(localParts(new Date('2026-03-08T07:00:00.000Z'), 'America/New_York')).toEqual({ date: '2026-03-08', minutes: 3 * 60, seconds: 0 });
    expect(localParts(at, 'America/New_York')).toEqual({ date: '2026-03-08', minutes: 1 * 60 + 59, seconds: 59 });
  });
});
