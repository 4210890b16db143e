import { describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../../shared/contract/ticket';
import { riskLimitsSchema } from '../config/risk-limits-config';
import { Dec } from '../decimal/decimal';
import type { DeskEvent } from '../journal/desk-events';
import { roundTrip } from '../journal/read-model.test-support';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import type { OrderBookView } from '../orders/order-book';
import { duplicateKey } from './pre-trade-checks';
import { limitsHash, RiskLimitsState } from './risk-limits-state';
import { RiskUsage } from './risk-usage';
import { TradingState } from './trading-state';

const AAPL = shippedInstrument('AAPL.XNAS');
const open = { get: (orderId: string) => (orderId.startsWith('O') ? ({ orderId, broker: 'SIM-A', account: 'FUND-ALPHA', working: 'new', requests: [] } as unknown) : undefined) } as OrderBookView;
const ticket: OrderTicket = { instrumentId: AAPL.id, side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '150', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A' };
const limits = riskLimitsSchema.parse({ brokerRates: { 'SIM-A': { ordersPerSecond: 2, burst: 3 } }, defaults: { maxQuantity: { block: '10' } } });

const events: DeskEvent[] = [
  { type: 'riskLimitsLoaded', at: '2026-11-27T09:00:00.000Z', by: 'alice', source: 'start', hash: limitsHash(limits), limits: limits as unknown as Record<string, unknown> },
  { type: 'orderSubmitted', at: '2026-11-27T09:30:00.000Z', orderId: 'O1', clOrdId: 'O1', ticket, instrument: AAPL, tradeDate: '2026-11-27', risk: { notional: '15000' } },
  { type: 'orderSubmitted', at: '2026-11-27T09:30:00.250Z', orderId: 'O2', clOrdId: 'O2', ticket: { ...ticket, account: 'FUND-BETA' }, instrument: AAPL, tradeDate: '2026-11-27', risk: { notional: '1500.5' } },
  { type: 'tradingStateSet', at: '2026-11-27T09:31:00.000Z', by: 'alice', mode: 'reduceOnly', reason: 'risk off', cancel: { scope: 'all' } },
  { type: 'cancelDeferred', at: '2026-11-27T09:31:00.000Z', orderId: 'O1', broker: 'SIM-A', by: 'alice' },
];

describe('the risk read models through a snapshot', () => {
  it('restore what they captured, exactly: limits in force, usage and buckets, trading state and deferred cancels', () => {
    const make = () => {
      const l = new RiskLimitsState();
      return { limits: l, usage: new RiskUsage(open, l.view), state: new TradingState(open) };
    };
    const live = make();
    for (const e of events) for (const m of [live.limits, live.usage, live.state]) m.apply(e);
    const restored = make();
    roundTrip(live.limits, restored.limits);
    roundTrip(live.usage, restored.usage);
    roundTrip(live.state, restored.state);

    expect(restored.limits.view.current()).toEqual(live.limits.view.current());
    expect(restored.limits.view.current().limits.defaults.maxQuantity).toEqual({ block: '10' });
    expect(restored.usage.view.dailyGross('FUND-ALPHA').equals(new Dec(15000))).toBe(true);
    expect(restored.usage.view.dailyGross('FUND-BETA').toString()).toBe('1500.5');
    expect(restored.usage.view.bucket('SIM-A')).toEqual(live.usage.view.bucket('SIM-A'));
    expect(restored.usage.view.bucket('SIM-A')?.tokens).toBeCloseTo(1.5, 10);
    expect(restored.usage.view.lastSameOrderMs(duplicateKey('FUND-ALPHA', 'buy', AAPL.id, new Dec(100)))).toBe(Date.parse('2026-11-27T09:30:00.000Z'));
    expect(restored.state.view.state()).toEqual({ mode: 'reduceOnly', since: '2026-11-27T09:31:00.000Z', by: 'alice', reason: 'risk off' });
    expect(restored.state.view.deferredCancels('SIM-A')).toEqual(['O1']);
  });

  it('a new trading day starts the usage afresh', () => {
    const l = new RiskLimitsState();
    const usage = new RiskUsage(open, l.view);
    for (const e of events) usage.apply(e);
    usage.apply({ type: 'dayStarted', at: '2026-11-28T00:00:00.000Z', day: '2026-11-28' });
    expect(usage.view.dailyGross('FUND-ALPHA').isZero()).toBe(true);
    expect(usage.view.lastSameOrderMs(duplicateKey('FUND-ALPHA', 'buy', AAPL.id, new Dec(100)))).toBeUndefined();
  });
});
