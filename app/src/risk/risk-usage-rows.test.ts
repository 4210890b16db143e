import { describe, expect, it } from 'vitest';
import { tradingStateText, usageLevel } from './risk-usage-rows';

describe('risk usage', () => {
  it('is near its limit from 80 % and over it above 100 %', () => {
    const u = (percent?: string) => ({ limit: 'openOrders', account: 'A', used: '1', ...(percent !== undefined && { percent }) });
    expect(usageLevel(u())).toBe('ok');
    expect(usageLevel(u('79.99'))).toBe('ok');
    expect(usageLevel(u('80'))).toBe('near');
    expect(usageLevel(u('100'))).toBe('near');
    expect(usageLevel(u('100.01'))).toBe('over');
  });
  it('says who set the trading state and why', () => {
    expect(tradingStateText({ mode: 'halted', by: 'alice', reason: 'runaway algo' })).toBe('Trading halted: no new orders (kill switch by alice: runaway algo)');
    expect(tradingStateText({ mode: 'reduceOnly' })).toMatch(/^Reduce-only/);
  });
});
