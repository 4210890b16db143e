import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInstrumentFile } from '../core/instruments/instrument-file';
import { InstrumentMarket } from './instrument-market';
import { blackScholes, fxForward, normalCdf } from './instrument-pricing';
import { Dec } from './sim-decimal';

const instruments = loadInstrumentFile(resolve(import.meta.dirname, '../../config/instruments.csv'));
const pick = (...ids: string[]) => instruments.filter((i) => ids.includes(i.id));
const settings = { seed: 7, rates: { USD: 0.045, EUR: 0.025, GBP: 0.0425, JPY: 0.005 }, today: () => '2026-12-07' };

describe('price models', () => {
  it('Black–Scholes matches a textbook value, and put-call parity holds', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    // Hull: S=42, K=40, r=10 %, sigma=20 %, T=0.5 → call 4.76, put 0.81
    expect(blackScholes('call', 42, 40, 0.5, 0.1, 0.2)).toBeCloseTo(4.76, 2);
    expect(blackScholes('put', 42, 40, 0.5, 0.1, 0.2)).toBeCloseTo(0.81, 2);
    const c = blackScholes('call', 100, 105, 0.25, 0.05, 0.3);
    const p = blackScholes('put', 100, 105, 0.25, 0.05, 0.3);
    expect(c - p).toBeCloseTo(100 - 105 * Math.exp(-0.05 * 0.25), 8);
    expect(blackScholes('call', 100, 90, 0, 0.05, 0.3)).toBe(10);
  });

  it('an FX forward carries the interest differential', () => {
    // EUR/USD 1.085, 90 days, EUR 2.5 %, USD 4.5 %: 1.085 × 1.01125 / 1.00625
    expect(fxForward(1.085, 90, 0.025, 0.045)).toBeCloseTo((1.085 * 1.01125) / 1.00625, 12);
  });
});

describe('the simulated market over the instrument master', () => {
  const params = {
    'AAPL.XNAS': { referencePrice: '190.00' },
    'EURUSD.SPOT': { referencePrice: '1.08500' },
    'UST.4.25.2034': { referencePrice: '98.5' },
  };

  it('quotes every instrument on its tick grid, bid below ask, and starts from the reference price', () => {
    const market = new InstrumentMarket(pick('AAPL.XNAS', 'AAPL261218C200', 'EURUSD.SPOT', 'EURUSD.3M', 'UST.4.25.2034'), params, settings);
    for (const id of market.instrumentIds()) {
      const q = market.quote(id)!;
      expect(q.bid.lessThan(q.ask), id).toBe(true);
      expect(q.bid.dividedBy(q.tickSize).isInteger(), `${id} bid on tick`).toBe(true);
      expect(q.ask.dividedBy(q.tickSize).isInteger(), `${id} ask on tick`).toBe(true);
    }
    expect(market.quote('AAPL.XNAS')?.close.toFixed()).toBe('190');
    expect(market.quote('AAPL.XNAS')?.bid.toFixed()).toBe('189.99');
    expect(market.quote('UST.4.25.2034')?.ask.minus(market.quote('UST.4.25.2034')!.bid).toFixed()).toBe('0.015625'); // 4 ticks of 1/256
  });

  it('prices an option from its underlying and a forward from its spot', () => {
    const market = new InstrumentMarket(pick('AAPL.XNAS', 'AAPL261218C200', 'EURUSD.SPOT', 'EURUSD.3M'), params, settings);
    const call = () => market.quote('AAPL261218C200')!.mid;
    const before = call();
    market.setPrice('AAPL.XNAS', '210');
    expect(call().greaterThan(before)).toBe(true);
    expect(call().greaterThan(10)).toBe(true); // deep in the money: at least intrinsic
    expect(market.quote('EURUSD.3M')!.mid.greaterThan(market.quote('EURUSD.SPOT')!.mid)).toBe(true); // USD rates above EUR
  });

  it('is deterministic for a seed, and prints trades on the tape', () => {
    const run = () => {
      const market = new InstrumentMarket(pick('AAPL.XNAS', 'EURUSD.SPOT', 'UST.4.25.2034'), params, settings);
      for (let i = 0; i < 50; i++) market.tick();
      return market.instrumentIds().map((id) => [market.quote(id)!.bid.toFixed(), market.quote(id)!.volume.toFixed()]);
    };
    const a = run();
    expect(run()).toEqual(a);
    const market = new InstrumentMarket(pick('AAPL.XNAS'), { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, volumePerTick: 0 } }, settings);
    expect(market.tick()).toEqual([]);
    market.trade('AAPL.XNAS', new Dec('190.01'), new Dec(300));
    const q = market.quote('AAPL.XNAS')!;
    expect([q.last?.toFixed(), q.lastSize?.toFixed(), q.volume.toFixed(), q.high?.toFixed(), q.low?.toFixed(), q.open?.toFixed()]).toEqual(['190.01', '300', '300', '190.01', '190.01', '190.01']);
  });

  it('refuses a base instrument without a reference price, and a forward without its spot', () => {
    expect(() => new InstrumentMarket(pick('AAPL.XNAS'), {}, settings)).toThrow(/AAPL.XNAS: the market needs a referencePrice/);
    expect(() => new InstrumentMarket(pick('EURUSD.3M'), {}, settings)).toThrow(/needs the EUR\/USD spot/);
  });
});
