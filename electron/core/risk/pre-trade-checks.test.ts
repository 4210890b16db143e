import { describe, expect, it } from 'vitest';
import type { RiskCode, TradingMode } from '../../../shared/contract/risk';
import type { RiskLimitsInput } from '../config/risk-limits-config';
import { riskLimitsSchema } from '../config/risk-limits-config';
import { Dec } from '../decimal/decimal';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import type { RiskOrder, RiskState } from './pre-trade-checks';
import { assessOrder, duplicateKey } from './pre-trade-checks';
import { riskVerdict } from './risk-verdict';

const AAPL = shippedInstrument('AAPL.XNAS');
const NOW = Date.parse('2026-11-27T14:00:00.000Z');

function order(over: Partial<RiskOrder> = {}): RiskOrder {
  return { account: 'FUND-ALPHA', broker: 'SIM-A', instrument: AAPL, side: 'buy', quantity: new Dec(100), price: new Dec(150), ...over };
}

function state(limits: RiskLimitsInput, over: Partial<RiskState> & { mode?: TradingMode } = {}): RiskState {
  return {
    limits: riskLimitsSchema.parse(limits),
    mode: 'normal',
    nowMs: NOW,
    reference: () => ({ price: new Dec(150), stale: false }),
    position: () => new Dec(0),
    dailyGross: () => new Dec(0),
    openOrders: () => 0,
    lastSameOrderMs: () => undefined,
    bucket: () => undefined,
    ...over,
  };
}

const codes = (o: RiskOrder, s: RiskState) => assessOrder(o, s).findings.map((f) => `${f.tier} ${f.code}`);

describe('each pre-trade check: passes within its limit, warns or blocks beyond it, with its code and figures', () => {
  it('max quantity per order', () => {
    const s = state({ defaults: { maxQuantity: { warn: '100', block: '1000' } } });
    expect(codes(order({ quantity: new Dec(100) }), s)).toEqual([]);
    expect(codes(order({ quantity: new Dec(101) }), s)).toEqual(['warn QUANTITY_ABOVE_MAX']);
    const blocked = assessOrder(order({ quantity: new Dec(1001) }), s).findings[0]!;
    expect(blocked).toMatchObject({ code: 'QUANTITY_ABOVE_MAX', tier: 'block', figures: { quantity: '1001', max: '1000' } });
    expect(blocked.message).toMatch(/^QUANTITY_ABOVE_MAX quantity=1001 max=1000: /);
  });

  it('max notional per order, with the multiplier (futures), % of par (bonds), minor units and FX rates', () => {
    const s = state({ defaults: { maxNotional: { warn: '15000', block: '20000' } } });
    expect(codes(order(), s)).toEqual([]); // 100 × 150 = 15,000
    const over = assessOrder(order({ quantity: new Dec(101) }), s).findings;
    expect(over.map((f) => f.message)).toEqual([expect.stringMatching(/^NOTIONAL_ABOVE_MAX notional=15150 max=15000 currency=USD: .*\(warning\)$/)]);
    expect(codes(order({ quantity: new Dec(200) }), s)).toEqual(['block NOTIONAL_ABOVE_MAX']);

    const es = shippedInstrument('ESZ6.XCME');
    const future = assessOrder(order({ instrument: es, quantity: new Dec(1), price: new Dec(5000) }), state({ defaults: { maxNotional: { block: '200000' } } }));
    expect(future.notional?.toString()).toBe(new Dec(5000).times(es.assetClass === 'future' ? es.multiplier : 1).toString());
    expect(future.findings.map((f) => f.code)).toEqual(['NOTIONAL_ABOVE_MAX']);
  });

  it('a notional in another currency needs its FX rate; without one the configured policy applies and says so', () => {
    const eur = shippedInstrument('SAP.XETR');
    const limits = { defaults: { maxNotional: { block: '1000000' } } };
    const missing = assessOrder(order({ instrument: eur, price: new Dec(100) }), state(limits)).findings;
    expect(missing).toMatchObject([{ code: 'FX_RATE_UNAVAILABLE', tier: 'block', figures: { currency: 'EUR', base: 'USD', policy: 'block' } }]);
    const warned = assessOrder(order({ instrument: eur, price: new Dec(100) }), state({ ...limits, whenUnavailable: { fxRate: 'warn' } })).findings;
    expect(warned.map((f) => `${f.tier} ${f.code}`)).toEqual(['warn FX_RATE_UNAVAILABLE']);
    const converted = assessOrder(order({ instrument: eur, price: new Dec(100) }), state({ ...limits, fxRates: { EUR: '1.10' } }));
    expect(converted.notional?.toString()).toBe('11000');
  });

  it('price collar against the live reference price; no or stale reference: the policy, explicitly', () => {
    const s = (over: Partial<RiskState> = {}, more: RiskLimitsInput = {}) => state({ defaults: { priceCollarPercent: { warn: '5', block: '10' } }, ...more }, over);
    expect(codes(order({ price: new Dec('157.5') }), s())).toEqual([]);
    const warn = assessOrder(order({ price: new Dec(160) }), s()).findings[0]!;
    expect(warn).toMatchObject({ code: 'PRICE_OUTSIDE_COLLAR', tier: 'warn', figures: { price: '160', reference: '150', deviationPercent: '6.67', collarPercent: '5' } });
    expect(codes(order({ price: new Dec(120) }), s())).toEqual(['block PRICE_OUTSIDE_COLLAR']);
    expect(assessOrder(order(), s({ reference: () => undefined })).findings).toMatchObject([{ code: 'REFERENCE_PRICE_UNAVAILABLE', tier: 'block', figures: { state: 'none', policy: 'block' } }]);
    expect(assessOrder(order(), s({ reference: () => ({ price: new Dec(150), stale: true }) }, { whenUnavailable: { referencePrice: 'warn' } })).findings).toMatchObject([
      { code: 'REFERENCE_PRICE_UNAVAILABLE', tier: 'warn', figures: { state: 'stale', policy: 'warn' } },
    ]);
  });

  it('a market order is valued at the reference price; without one its notional cannot be checked', () => {
    const s = state({ defaults: { maxNotional: { block: '10000' } } });
    const { price: _price, ...market } = order();
    expect(codes(market, s)).toEqual(['block NOTIONAL_ABOVE_MAX']);
    expect(codes(market, state({ defaults: { maxNotional: { block: '10000' } } }, { reference: () => undefined }))).toEqual(['block REFERENCE_PRICE_UNAVAILABLE']);
  });

  it('restricted list blocks, watch list warns', () => {
    expect(codes(order(), state({ restricted: ['AAPL.XNAS'] }))).toEqual(['block INSTRUMENT_RESTRICTED']);
    expect(codes(order(), state({ watch: ['AAPL.XNAS'] }))).toEqual(['warn INSTRUMENT_ON_WATCH_LIST']);
    expect(codes(order(), state({ watch: ['MSFT.XNAS'], restricted: ['NVDA.XNAS'] }))).toEqual([]);
  });

  it('short sale: a locate is required; a long sale may not exceed the position', () => {
    const on = { defaults: { shortSales: 'block' as const } };
    expect(codes(order({ side: 'sellShort' }), state(on))).toEqual(['block SHORT_SALE_WITHOUT_LOCATE']);
    expect(codes(order({ side: 'sellShort' }), state({}))).toEqual([]); // not configured: not checked
    expect(codes(order({ side: 'sellShort' }), state({ defaults: { shortSales: 'warn' } }))).toEqual(['warn SHORT_SALE_WITHOUT_LOCATE']);
    expect(codes(order({ side: 'sellShort', locate: true }), state(on))).toEqual([]);
    const held = (q: number) => state(on, { position: () => new Dec(q) });
    expect(codes(order({ side: 'sell' }), held(100))).toEqual([]);
    expect(assessOrder(order({ side: 'sell' }), held(99)).findings).toMatchObject([{ code: 'SELL_EXCEEDS_POSITION', tier: 'block', figures: { quantity: '100', position: '99' } }]);
    // Futures go short by selling: no short-sale rule.
    expect(codes(order({ side: 'sell', instrument: shippedInstrument('ESZ6.XCME'), price: new Dec(5000) }), held(0))).toEqual([]);
  });

  it('duplicate guard: same account, side, instrument and quantity within the window', () => {
    const key = duplicateKey('FUND-ALPHA', 'buy', 'AAPL.XNAS', new Dec(100));
    const seen = (msAgo: number, policy?: 'warn' | 'block') => state({ defaults: { duplicateWindowSeconds: 10, ...(policy && { duplicatePolicy: policy }) } }, { lastSameOrderMs: (k) => (k === key ? NOW - msAgo : undefined) });
    expect(codes(order(), seen(10_000))).toEqual([]);
    expect(assessOrder(order(), seen(9_999)).findings).toMatchObject([{ code: 'DUPLICATE_ORDER', tier: 'warn', figures: { secondsAgo: '9.999', windowSeconds: '10' } }]);
    expect(codes(order(), seen(1, 'block'))).toEqual(['block DUPLICATE_ORDER']);
    expect(codes(order({ quantity: new Dec(101) }), seen(1))).toEqual([]);
  });

  it('daily gross notional per account, this order included (an amend counts its increase)', () => {
    const s = (used: number) => state({ accounts: { 'FUND-ALPHA': { maxDailyGrossNotional: { warn: '50000', block: '100000' } } } }, { dailyGross: () => new Dec(used) });
    expect(codes(order(), s(35_000))).toEqual([]);
    expect(assessOrder(order(), s(35_001)).findings).toMatchObject([{ code: 'DAILY_GROSS_NOTIONAL_ABOVE_MAX', tier: 'warn', figures: { used: '35001', order: '15000', total: '50001', max: '50000' } }]);
    expect(codes(order(), s(90_000))).toEqual(['block DAILY_GROSS_NOTIONAL_ABOVE_MAX']);
    expect(assessOrder(order({ amending: { cumQty: new Dec(0), notional: new Dec(14_000) } }), s(99_000)).findings).toMatchObject([{ tier: 'warn', figures: { order: '1000', total: '100000' } }]);
    expect(codes(order({ amending: { cumQty: new Dec(0), notional: new Dec(16_000) } }), s(99_000))).toEqual(['warn DAILY_GROSS_NOTIONAL_ABOVE_MAX']);
    expect(codes(order({ amending: { cumQty: new Dec(0), notional: new Dec(13_000) } }), s(99_000))).toEqual(['block DAILY_GROSS_NOTIONAL_ABOVE_MAX']);
  });

  it('max open orders per account (an amend opens none)', () => {
    const s = (open: number) => state({ defaults: { maxOpenOrders: { warn: '2', block: '3' } } }, { openOrders: () => open });
    expect(codes(order(), s(1))).toEqual([]);
    expect(codes(order(), s(2))).toEqual(['warn OPEN_ORDERS_ABOVE_MAX']);
    expect(codes(order(), s(3))).toEqual(['block OPEN_ORDERS_ABOVE_MAX']);
    expect(codes(order({ amending: { cumQty: new Dec(0) } }), s(3))).toEqual([]);
  });

  it('order rate throttle per broker', () => {
    const limits = { brokerRates: { 'SIM-A': { ordersPerSecond: 2, burst: 2 } } };
    expect(codes(order(), state(limits, { bucket: () => ({ tokens: 1, atMs: NOW }) }))).toEqual([]);
    expect(assessOrder(order(), state(limits, { bucket: () => ({ tokens: 0.5, atMs: NOW }) })).findings).toMatchObject([{ code: 'ORDER_RATE_ABOVE_MAX', tier: 'block', figures: { broker: 'SIM-A' } }]);
    expect(codes(order(), state(limits, { bucket: () => ({ tokens: 0.5, atMs: NOW - 250 }) }))).toEqual([]);
    expect(codes(order({ broker: 'SIM-B' }), state(limits, { bucket: () => ({ tokens: 0, atMs: NOW }) }))).toEqual([]);
  });

  it('broker restrictions per account or asset class (most specific wins)', () => {
    const s = state({ accounts: { 'FUND-ALPHA': { allowedBrokers: ['SIM-B'] } }, assetClasses: { future: { allowedBrokers: ['SIM-A'] } } });
    expect(assessOrder(order(), s).findings).toMatchObject([{ code: 'BROKER_NOT_ALLOWED', tier: 'block', figures: { broker: 'SIM-A', allowed: 'SIM-B' } }]);
    expect(codes(order({ broker: 'SIM-B' }), s)).toEqual([]);
    expect(codes(order({ instrument: shippedInstrument('ESZ6.XCME'), price: new Dec(5000) }), s)).toEqual([]);
  });

  it('fat finger: quantity against the average daily volume; none known: the policy', () => {
    const limits = { defaults: { maxPercentOfAdv: { warn: '5', block: '20' } }, instruments: { 'AAPL.XNAS': { averageDailyVolume: '1000' } } };
    expect(codes(order({ quantity: new Dec(50) }), state(limits))).toEqual([]);
    expect(assessOrder(order({ quantity: new Dec(51) }), state(limits)).findings).toMatchObject([{ code: 'QUANTITY_ABOVE_ADV', tier: 'warn', figures: { adv: '1000', percentOfAdv: '5.1', max: '5' } }]);
    expect(codes(order({ quantity: new Dec(201) }), state(limits))).toEqual(['block QUANTITY_ABOVE_ADV']);
    expect(codes(order({ instrument: shippedInstrument('MSFT.XNAS') }), state(limits))).toEqual(['block ADV_UNAVAILABLE']);
    expect(codes(order({ instrument: shippedInstrument('MSFT.XNAS') }), state({ ...limits, whenUnavailable: { adv: 'warn' } }))).toEqual(['warn ADV_UNAVAILABLE']);
  });

  it('most specific level wins per field: instrument, asset class, account, defaults', () => {
    const s = state({
      defaults: { maxQuantity: { block: '10' } },
      accounts: { 'FUND-ALPHA': { maxQuantity: { block: '20' } } },
      assetClasses: { equity: { maxQuantity: { block: '30' } } },
      instruments: { 'AAPL.XNAS': { maxQuantity: { block: '40' } } },
    });
    expect(codes(order({ quantity: new Dec(40) }), s)).toEqual([]);
    expect(codes(order({ quantity: new Dec(31), instrument: shippedInstrument('MSFT.XNAS') }), s)).toEqual(['block QUANTITY_ABOVE_MAX']);
  });

  it('the trading state: halted refuses everything, reduce-only lets through only what reduces a position', () => {
    expect(codes(order(), state({}, { mode: 'halted' }))).toEqual(['block TRADING_HALTED']);
    const reduceOnly = (position: number) => state({}, { mode: 'reduceOnly', position: () => new Dec(position) });
    expect(codes(order(), reduceOnly(0))).toEqual(['block REDUCE_ONLY']);
    expect(codes(order(), reduceOnly(-100))).toEqual([]); // buying back a short
    expect(codes(order(), reduceOnly(-99))).toEqual(['block REDUCE_ONLY']); // past flat
    expect(codes(order({ side: 'sell' }), reduceOnly(100))).toEqual([]);
    expect(codes(order({ side: 'sell' }), reduceOnly(-100))).toEqual(['block REDUCE_ONLY']);
  });
});

describe('the verdict: warnings overridable by a permitted role with a reason, blocks never', () => {
  const limits = riskLimitsSchema.parse({ overrideRoles: ['trader'], roles: { alice: 'trader', bob: 'analyst' } });
  const warn = assessOrder(order(), state({ watch: ['AAPL.XNAS'] })).findings;
  const block = assessOrder(order(), state({ restricted: ['AAPL.XNAS'], watch: ['AAPL.XNAS'] })).findings;

  it('passes with no findings', () => {
    expect(riskVerdict([], limits, 'bob', undefined)).toEqual({ kind: 'pass' });
  });
  it('a warning refuses unless overridden; the override records who and why', () => {
    expect(riskVerdict(warn, limits, 'alice', undefined)).toMatchObject({ kind: 'refused', code: 'RISK_WARNING' });
    expect(riskVerdict(warn, limits, 'alice', { reason: 'client instruction' })).toEqual({ kind: 'overridden', warnings: warn, by: 'alice', reason: 'client instruction' });
  });
  it('a role that may not override is refused, saying so', () => {
    const v = riskVerdict(warn, limits, 'bob', { reason: 'please' });
    expect(v.kind === 'refused' && v.findings.map((f) => f.code)).toEqual<RiskCode[]>(['INSTRUMENT_ON_WATCH_LIST', 'OVERRIDE_NOT_PERMITTED']);
  });
  it('a block is never overridden, whoever asks', () => {
    expect(riskVerdict(block, limits, 'alice', { reason: 'I insist' })).toMatchObject({ kind: 'refused', code: 'RISK_BLOCKED' });
  });
});
