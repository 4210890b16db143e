import { describe, expect, it } from 'vitest';
import type { Bond, Equity, Future, FxInstrument } from '../../../shared/domain/instrument';
import { contractMonthLabel, instrumentFacts, lotProblem, priceLabel, quantityLabel, tickProblem } from './instrument-terms';

const toyota: Equity = { id: '7203.XTKS', assetClass: 'equity', symbol: '7203.T', name: 'Toyota Motor Corp.', currency: 'JPY', exchange: 'XTKS', isin: 'JP3633400001', tickSize: '0.5', lotSize: '100' };
const es: Future = {
  id: 'ESZ6.XCME', assetClass: 'future', symbol: 'ESZ6', name: 'E-mini S&P 500 Dec 2026', currency: 'USD', exchange: 'XCME', tickSize: '0.25', lotSize: '1',
  root: 'ES', contractMonth: '2026-12', expiry: '2026-12-18', multiplier: '50', tickValue: '12.50',
};
const eur3m: FxInstrument = { id: 'EURUSD.3M', assetClass: 'fx', symbol: 'EUR/USD', name: 'Euro / US Dollar 3 month forward', currency: 'USD', tickSize: '0.00001', lotSize: '1', baseCurrency: 'EUR', quoteCurrency: 'USD', tenor: '3M' };
const ust: Bond = {
  id: 'UST.4.25.2034', assetClass: 'bond', symbol: 'T 4.25 11/15/34', name: 'US Treasury 4.25% Nov 2034', currency: 'USD', isin: 'US91282CLW90', tickSize: '0.00390625', lotSize: '1000',
  coupon: '4.25', maturity: '2034-11-15', couponFrequency: 2, dayCount: 'ACT/ACT', issuerType: 'government',
};

describe('instrument terms in the ticket', () => {
  it('names the quantity and price in the units of the class', () => {
    expect(quantityLabel(toyota)).toBe('Quantity (shares)');
    expect(quantityLabel(es)).toBe('Quantity (contracts)');
    expect(quantityLabel(eur3m)).toBe('Quantity (EUR)');
    expect(quantityLabel(ust)).toBe('Face value (USD)');
    expect(quantityLabel(undefined)).toBe('Quantity');
    expect(priceLabel('Limit', ust)).toBe('Limit (% of par)');
    expect(priceLabel('Limit', eur3m)).toBe('Limit rate');
    expect(priceLabel('Stop', es)).toBe('Stop price (USD)');
  });

  it('checks lots and ticks exactly, saying the step', () => {
    expect(lotProblem(toyota, '150')).toBe('Shares must be a multiple of the lot size 100');
    expect(lotProblem(toyota, '200')).toBeUndefined();
    expect(lotProblem(ust, '1500')).toBe('Quantity must be a multiple of the lot size 1,000');
    expect(tickProblem(es, '6000.10')).toBe('Price must be a multiple of the tick size 0.25');
    expect(tickProblem(es, '6000.75')).toBeUndefined();
    expect(tickProblem(ust, '98.51953125')).toBeUndefined();
    // Not a number yet: the schema's own message applies, not a tick message.
    expect(tickProblem(es, 'abc')).toBeUndefined();
  });

  it('shows the contract month, expiry and multiplier of a future, the tenor of FX, the maturity of a bond', () => {
    expect(contractMonthLabel('2026-12')).toBe('Dec 2026');
    expect(instrumentFacts(es)).toEqual(expect.arrayContaining([{ label: 'Contract', value: 'Dec 2026' }, { label: 'Expiry', value: '2026-12-18' }, { label: 'Multiplier', value: '×50' }]));
    expect(instrumentFacts(eur3m)).toEqual(expect.arrayContaining([{ label: 'Tenor', value: '3M forward' }]));
    expect(instrumentFacts(ust)).toEqual(expect.arrayContaining([{ label: 'Maturity', value: '2034-11-15' }, { label: 'Coupon', value: '4.25%' }]));
  });
});
