import { describe, expect, it } from 'vitest';
import { exceedsSize } from './ipc-request-size';

describe('exceedsSize', () => {
  it('counts a value as its JSON would be, never less, a few bytes more (a comma per container)', () => {
    const value = { command: 'submitOrder', params: { symbol: 'AAPL', quantity: '100', flags: [true, null, 12.5], note: 'café' } };
    const json = Buffer.byteLength(JSON.stringify(value), 'utf8');
    expect(exceedsSize(value, json - 1)).toBe(true);
    expect(exceedsSize(value, json + 5)).toBe(false);
  });

  it('stops reading once past the limit: a huge message costs about the limit', () => {
    let reads = 0;
    const huge: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) {
      Object.defineProperty(huge, `k${i}`, {
        enumerable: true,
        get: () => {
          reads++;
          return 'abcdefgh';
        },
      });
    }
    expect(exceedsSize(huge, 1_000)).toBe(true);
    expect(reads).toBeLessThan(200); // of 100,000
    expect(exceedsSize(new Array(10_000_000).fill(0), 1_000)).toBe(true);
  });

  it('counts shared and cyclic parts once', () => {
    const shared = { text: 'x'.repeat(100) };
    expect(exceedsSize({ a: shared, b: shared, c: shared }, 200)).toBe(false);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic, cyclic);
    expect(exceedsSize(cyclic, 100)).toBe(false);
  });
});
