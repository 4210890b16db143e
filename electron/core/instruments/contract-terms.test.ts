import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bond, FxInstrument, Instrument } from '../../../shared/domain/instrument';
import { Dec } from '../decimal/decimal';
import { accruedInterest, bondSettlementDate, couponPeriod, days30360, fxValueDate, notional, notionalInMajorUnit, priceProblem, quantityProblem, valueTerms } from './contract-terms';
import { loadInstrumentFile } from './instrument-file';
import { InstrumentMaster } from './instrument-master';

const master = new InstrumentMaster(loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv')));
function get<T extends Instrument>(id: string): T {
  const i = master.get(id);
  if (i === undefined) throw new Error(`no ${id}`);
  return i as T;
}
const d = (v: string) => new Dec(v);

describe('notional by asset class (hand-computed)', () => {
  it.each([
    ['AAPL.XNAS', '150', '190.25', '28537.5'], // 150 × 190.25
    ['ESZ6.XCME', '2', '6000.25', '600025'], // 2 × 6000.25 × 50
    ['AAPL261218C200', '10', '3.45', '3450'], // 10 contracts × 3.45 premium × 100
    ['EURUSD.SPOT', '1000000', '1.08512', '1085120'], // USD for 1,000,000 EUR
    ['UST.4.25.2034', '1000000', '98.5', '985000'], // face × 98.5 %
    ['ZNH7.XCBT', '3', '110.015625', '330046.875'], // 3 × 110.015625 × 1,000
  ])('%s: %s at %s is %s', (id, quantity, price, expected) => {
    expect(notional(get(id), d(quantity), d(price)).toFixed()).toBe(expected);
  });

  it('counts London pence in pounds', () => {
    expect(notionalInMajorUnit(get('VOD.XLON'), d('10000'), d('70.52'))).toEqual({ amount: d('7052'), currency: 'GBP' });
  });

  it.each([
    ['AAPL.XNAS', '1', 'USD'],
    ['ESZ6.XCME', '50', 'USD'],
    ['AAPL261218C200', '100', 'USD'],
    ['EURUSD.SPOT', '1', 'USD'],
    ['UST.4.25.2034', '0.01', 'USD'],
    ['VOD.XLON', '0.01', 'GBP'],
  ])('%s is valued at quantity × price × %s in %s', (id, factor, currency) => {
    const terms = valueTerms(get(id));
    expect({ factor: terms.factor.toFixed(), currency: terms.currency }).toEqual({ factor, currency });
    // The same figure as the notional in the major unit, for any quantity and price.
    expect(d('37').times(d('12.5')).times(terms.factor).equals(notionalInMajorUnit(get(id), d('37'), d('12.5')).amount)).toBe(true);
  });
});

describe('ticks and lots', () => {
  it('refuses prices off the tick and quantities off the lot, and takes those on them', () => {
    expect(priceProblem(get('VOD.XLON'), d('70.51'))).toMatch(/tick size 0.02/);
    expect(priceProblem(get('VOD.XLON'), d('70.52'))).toBeUndefined();
    expect(priceProblem(get('ZNH7.XCBT'), d('110.015625'))).toBeUndefined();
    expect(priceProblem(get('ZNH7.XCBT'), d('110.01'))).toMatch(/tick size/);
    expect(quantityProblem(get('7203.XTKS'), d('150'))).toMatch(/multiple of 100/);
    expect(quantityProblem(get('7203.XTKS'), d('300'))).toBeUndefined();
    expect(quantityProblem(get('ESZ6.XCME'), d('1.5'))).toMatch(/multiple of 1/);
    expect(quantityProblem(get('UST.4.25.2034'), d('1500'))).toMatch(/multiple of 1000/);
  });
});

describe('FX value dates (weekends skipped; no holiday calendar)', () => {
  it.each([
    ['EURUSD.SPOT', '2026-12-07', '2026-12-09'], // Monday: T+2 = Wednesday
    ['EURUSD.SPOT', '2026-12-10', '2026-12-14'], // Thursday: over the weekend
    ['EURUSD.1M', '2026-12-07', '2027-01-11'], // spot 12-09 + 1M = Saturday 01-09 → Monday
    ['EURUSD.3M', '2026-12-07', '2027-03-09'],
    ['EURUSD.1M', '2027-02-24', '2027-03-31'], // spot Friday 02-26 is February's last business day: end to end
    ['USDJPY.1M', '2026-12-28', '2027-01-29'], // spot 12-30 + 1M = Saturday 01-30 → Monday is February: modified following → Friday
  ])('%s traded %s settles %s', (id, trade, value) => {
    expect(fxValueDate(get<FxInstrument>(id), trade)).toBe(value);
  });
});

describe('bond accrued interest', () => {
  it('ACT/ACT: UST 4.25% Nov 2034 bought on 2026-12-07 settles T+1 with 23 of 181 days accrued', () => {
    const bond = get<Bond>('UST.4.25.2034');
    const settle = bondSettlementDate(bond, '2026-12-07');
    expect(settle).toBe('2026-12-08');
    expect(couponPeriod(bond, settle)).toEqual({ previous: '2026-11-15', next: '2027-05-15' });
    // 1,000,000 × 4.25 / 2 × 23 / 181 / 100 = 2,700.2762… → 2,700.28
    expect(accruedInterest(bond, d('1000000'), settle).toFixed()).toBe('2700.28');
  });

  it('ACT/ACT with the end-of-month rule: coupons of a Nov 30 bond fall on May 31', () => {
    expect(couponPeriod(get<Bond>('UST.4.125.2029'), '2026-12-08')).toEqual({ previous: '2026-11-30', next: '2027-05-31' });
  });

  it('30/360: Apple 4.3% 2033, 28 days from Nov 10 to Dec 8', () => {
    const bond = get<Bond>('AAPL.4.3.2033');
    expect(days30360('2026-11-10', '2026-12-08')).toBe(28);
    // 100,000 × 4.3 × 28 / 360 / 100 = 334.444… → 334.44
    expect(accruedInterest(bond, d('100000'), '2026-12-08').toFixed()).toBe('334.44');
  });

  it('30/360 counts a 31st as the 30th', () => {
    expect(days30360('2026-01-31', '2026-03-31')).toBe(60);
    expect(days30360('2026-01-30', '2026-03-31')).toBe(60);
    expect(days30360('2026-01-15', '2026-03-31')).toBe(76);
  });

  it('annual ACT/ACT: the Bund accrues from its August coupon, settling T+2', () => {
    const bond = get<Bond>('DBR.2.6.2034');
    const settle = bondSettlementDate(bond, '2026-12-07');
    expect(settle).toBe('2026-12-09');
    expect(couponPeriod(bond, settle)).toEqual({ previous: '2026-08-15', next: '2027-08-15' });
    // 1,000,000 × 2.6 × 116 / 365 / 100 = 8,263.0136… → 8,263.01
    expect(accruedInterest(bond, d('1000000'), settle).toFixed()).toBe('8263.01');
  });
});

describe('the instrument picker search', () => {
  it('finds by symbol, ISIN and any word of the name, best first', () => {
    expect(master.search('aapl', 3).map((i) => i.id)).toEqual(['AAPL.XNAS', 'AAPL261218C200', 'AAPL261218P180']);
    expect(master.search('US0378331005').map((i) => i.id)).toEqual(['AAPL.XNAS']);
    expect(master.search('bund').map((i) => i.id)).toEqual(['FGBLH7.XEUR', 'DBR.2.6.2034']); // Euro-Bund, Bundesrepublik
    expect(master.search('treasury').map((i) => i.id)).toEqual(['UST.4.25.2034', 'UST.4.125.2029', 'UST.4.625.2054', 'UKT.4.25.2034']);
    expect(master.search('eur/usd').map((i) => i.id)).toEqual(['EURUSD.SPOT', 'EURUSD.1M', 'EURUSD.3M']);
    expect(master.search('  ')).toEqual([]);
    expect(master.search('zzzz')).toEqual([]);
  });
});
