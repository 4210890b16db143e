import { describe, expect, it } from 'vitest';
import { formatDistance, limitDistance } from './limit-distance';

describe('limitDistance', () => {
  it('a buy below the last is away from the market by (last − limit) / last', () => {
    const d = limitDistance('buy', '99.50', '100', '0.01');
    expect(d).toEqual({ percent: '0.5', ticks: '50', marketable: false });
    expect(formatDistance(d)).toBe('+0.50%');
  });

  it('a sell below the last is through the market: negative and marketable', () => {
    const d = limitDistance('sell', '99', '100', '0.25');
    expect(d).toEqual({ percent: '-1', ticks: '-4', marketable: true });
    expect(formatDistance(d)).toBe('\u22121.00%');
  });

  it('a short sell reads like a sell; at the last it is zero and marketable', () => {
    const d = limitDistance('sellShort', '100.00', '100', '0.01');
    expect(d).toEqual({ percent: '0', ticks: '0', marketable: true });
    expect(formatDistance(d)).toBe('0.00%');
  });

  it('is exact in decimals where floats are not (FX rates, bond prices in 1/256)', () => {
    expect(limitDistance('buy', '1.08512', '1.08532', '0.00001')).toMatchObject({ percent: '0.02', ticks: '20' });
    expect(limitDistance('sell', '98.51953125', '98.5', '0.00390625')).toMatchObject({ percent: '0.02', ticks: '5' });
  });

  it('rounds the percent half away from zero', () => {
    // 0.125 / 1000 × 100 = 0.0125 % → 0.01 %; 0.155 / 10 × 100 = 1.55 % exactly.
    expect(limitDistance('buy', '999.875', '1000')?.percent).toBe('0.01');
    expect(limitDistance('buy', '9.845', '10')?.percent).toBe('1.55');
    expect(limitDistance('sell', '9.845', '10')?.percent).toBe('-1.55');
  });

  it('is absent without a limit, a last or with a zero last', () => {
    expect(limitDistance('buy', undefined, '100')).toBeUndefined();
    expect(limitDistance('buy', '100', undefined)).toBeUndefined();
    expect(limitDistance('buy', '100', '0')).toBeUndefined();
    expect(formatDistance(undefined)).toBe('');
  });
});
