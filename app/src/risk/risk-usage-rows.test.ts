import { describe, expect, it } from 'vitest';
import { limitRows, tradingStateText, usageLevel } from './risk-usage-rows';

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
  it('lists every configured limit with where it stands', () => {
    const rows = limitRows({
      defaults: { maxQuantity: { warn: '10', block: '20' } },
      accounts: { A: { allowedBrokers: ['SIM-A'] } },
      instruments: { 'AAPL.XNAS': { maxNotional: { block: '1000' } } },
      restricted: ['NVDA.XNAS'],
      watch: [],
      brokerRates: { 'SIM-A': { ordersPerSecond: 5, burst: 10 } },
    });
    expect(rows).toEqual([
      { level: 'Defaults', limit: 'Quantity per order', value: 'warn above 10, block above 20' },
      { level: 'Account A', limit: 'allowedBrokers', value: 'SIM-A' },
      { level: 'Instrument AAPL.XNAS', limit: 'Notional per order', value: 'block above 1000' },
      { level: 'Desk', limit: 'Restricted (blocked)', value: 'NVDA.XNAS' },
      { level: 'Broker SIM-A', limit: 'Order rate', value: '5/s, burst 10' },
    ]);
  });
});
