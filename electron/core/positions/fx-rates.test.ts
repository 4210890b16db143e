import { describe, expect, it } from 'vitest';
import { shippedMaster } from '../instruments/shipped-instruments.test-support';
import { Dec } from '../decimal/decimal';
import type { Mark } from './marks';
import { fxAge, fxRates, fxRouteInstruments, fxSourceText, fxSpots } from './marks';

const at = (minute: string) => `2026-03-02T14:${minute}:00.000Z`;

function mark(price: string, source: Mark['source'] = 'last', when = at('05'), stale = false): Mark {
  return { price: new Dec(price), source, at: when, stale };
}

/** Rates from these spot marks only (the shipped master: EUR/USD, GBP/USD, USD/JPY, USD/CHF, EUR/GBP, EUR/CHF). */
function ratesFrom(marks: Record<string, Mark>) {
  return fxRates(shippedMaster(), (id) => marks[id]);
}

/** `amount` converted as the valuation does: × numerator ÷ denominator, one division. */
function convert(amount: string, rate: { numerator: Dec; denominator: Dec } | undefined): string | undefined {
  return rate === undefined ? undefined : new Dec(amount).times(rate.numerator).dividedBy(rate.denominator).toFixed();
}

describe('FX rates to a fund’s base currency, hand-computed', () => {
  it('a currency into itself is 1 and comes from no quote', () => {
    const r = ratesFrom({})('USD', 'USD');
    expect([r?.rate.toFixed(), r?.legs.length, r === undefined ? '' : fxSourceText(r)]).toEqual(['1', 0, 'same currency']);
  });

  it('direct: GBP→USD at GBP/USD 1.25', () => {
    const r = ratesFrom({ 'GBPUSD.SPOT': mark('1.25') })('GBP', 'USD');
    expect([r?.rate.toFixed(), convert('150', r), r === undefined ? '' : fxSourceText(r)]).toEqual(['1.25', '187.5', 'GBPUSD.SPOT last']);
  });

  it('inverse: USD→GBP is 1 / GBP/USD (200 USD at 1.25 = 160 GBP)', () => {
    const r = ratesFrom({ 'GBPUSD.SPOT': mark('1.25', 'mid') })('USD', 'GBP');
    expect([r?.rate.toFixed(), convert('200', r), r === undefined ? '' : fxSourceText(r)]).toEqual(['0.8', '160', '1/GBPUSD.SPOT mid']);
  });

  it('crossed through USD with both legs inverse: JPY→EUR = 1 / (USD/JPY × EUR/USD); 16,500 JPY at 150 and 1.10 = 100 EUR exactly', () => {
    const r = ratesFrom({ 'USDJPY.SPOT': mark('150'), 'EURUSD.SPOT': mark('1.1') })('JPY', 'EUR');
    expect([r?.numerator.toFixed(), r?.denominator.toFixed(), convert('16500', r)]).toEqual(['1', '165', '100']);
    expect(r === undefined ? '' : fxSourceText(r)).toBe('1/USDJPY.SPOT last × 1/EURUSD.SPOT last');
  });

  it('crossed through USD with both legs direct: EUR→JPY = EUR/USD × USD/JPY = 1.1 × 150 = 165', () => {
    const r = ratesFrom({ 'USDJPY.SPOT': mark('150'), 'EURUSD.SPOT': mark('1.1') })('EUR', 'JPY');
    expect([r?.rate.toFixed(), convert('100', r)]).toEqual(['165', '16500']);
  });

  it('crossed through USD, one leg each way: CHF→JPY = USD/JPY ÷ USD/CHF; 9 CHF at 150 and 0.9 = 1,500 JPY', () => {
    const r = ratesFrom({ 'USDJPY.SPOT': mark('150'), 'USDCHF.SPOT': mark('0.9') })('CHF', 'JPY');
    expect([r?.numerator.toFixed(), r?.denominator.toFixed(), convert('9', r)]).toEqual(['150', '0.9', '1500']);
    expect(r === undefined ? '' : fxSourceText(r)).toBe('1/USDCHF.SPOT last × USDJPY.SPOT last');
  });

  it('prefers the pair itself; crosses only when its quote is missing (GBP→EUR: 1/EUR/GBP, else GBP/USD ÷ EUR/USD)', () => {
    const all = { 'EURGBP.SPOT': mark('0.8'), 'GBPUSD.SPOT': mark('1.25'), 'EURUSD.SPOT': mark('1.1') };
    const direct = ratesFrom(all)('GBP', 'EUR');
    expect([direct?.rate.toFixed(), direct === undefined ? '' : fxSourceText(direct)]).toEqual(['1.25', '1/EURGBP.SPOT last']);
    const { 'EURGBP.SPOT': _gone, ...withoutPair } = all;
    const crossed = ratesFrom(withoutPair)('GBP', 'EUR');
    // 150 GBP × 1.25 / 1.1 = 170.4545…
    expect([convert('150', crossed)?.slice(0, 12), crossed === undefined ? '' : fxSourceText(crossed)]).toEqual(['170.45454545', 'GBPUSD.SPOT last × 1/EURUSD.SPOT last']);
  });

  it('a missing leg is no rate, never a silent 1', () => {
    expect(ratesFrom({ 'USDJPY.SPOT': mark('150') })('JPY', 'EUR')).toBeUndefined();
    expect(ratesFrom({})('GBP', 'USD')).toBeUndefined();
    // A currency the master has no spot for at all.
    expect(ratesFrom({ 'EURUSD.SPOT': mark('1.1') })('SEK', 'USD')).toBeUndefined();
    // A zero mark is no rate either (it would divide by zero).
    expect(ratesFrom({ 'GBPUSD.SPOT': mark('0') })('USD', 'GBP')).toBeUndefined();
  });

  it('a rate is as old as its oldest quote, and stale when any is', () => {
    const r = ratesFrom({ 'USDJPY.SPOT': mark('150', 'last', at('07')), 'EURUSD.SPOT': mark('1.1', 'mid', at('02'), true) })('JPY', 'EUR');
    expect(r === undefined ? undefined : fxAge(r)).toEqual({ at: at('02'), stale: true });
  });

  it('names every spot a conversion may go through (what the desk follows)', () => {
    const spots = fxSpots(shippedMaster());
    expect(fxRouteInstruments(spots, 'GBP', 'EUR').sort()).toEqual(['EURGBP.SPOT', 'EURUSD.SPOT', 'GBPUSD.SPOT']);
    expect(fxRouteInstruments(spots, 'JPY', 'USD')).toEqual(['USDJPY.SPOT']);
    expect(fxRouteInstruments(spots, 'USD', 'USD')).toEqual([]);
  });
});
