import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSET_CLASSES } from '../../../shared/domain/order-types';
import { ConfigError } from '../config/json-config';
import { INSTRUMENT_COLUMNS, loadInstrumentFile, parseInstrumentFile } from './instrument-file';

const HEADER = INSTRUMENT_COLUMNS.join(',');
const row = (values: Record<string, string>) => INSTRUMENT_COLUMNS.map((c) => values[c] ?? '').join(',');
const EQUITY = { id: 'AAPL.XNAS', assetClass: 'equity', symbol: 'AAPL', name: 'Apple Inc.', currency: 'USD', exchange: 'XNAS', isin: 'US0378331005', tickSize: '0.01', lotSize: '1' };
const FUTURE = { id: 'ESZ6.XCME', assetClass: 'future', symbol: 'ESZ6', name: 'E-mini Dec 26', currency: 'USD', exchange: 'XCME', tickSize: '0.25', lotSize: '1', root: 'ES', contractMonth: '2026-12', expiry: '2026-12-18', multiplier: '50', tickValue: '12.50' };
const OPTION = { id: 'AAPL261218C200', assetClass: 'option', symbol: 'AAPL', name: 'AAPL Dec 200 C', currency: 'USD', exchange: 'XCBO', tickSize: '0.01', lotSize: '1', underlying: 'AAPL.XNAS', expiry: '2026-12-18', strike: '200', putCall: 'call', exerciseStyle: 'american', multiplier: '100' };
const FX = { id: 'EURUSD.1M', assetClass: 'fx', symbol: 'EUR/USD', name: 'EUR/USD 1M', currency: 'USD', tickSize: '0.00001', lotSize: '1', baseCurrency: 'EUR', tenor: '1M' };
const BOND = { id: 'UST.4.25.2034', assetClass: 'bond', symbol: 'T 4.25 11/15/34', name: 'UST 4.25% 2034', currency: 'USD', isin: 'US91282CLW90', tickSize: '0.00390625', lotSize: '1000', coupon: '4.25', maturity: '2034-11-15', couponFrequency: '2', dayCount: 'ACT/ACT', issuerType: 'government' };

/** The problems of a file whose second data row (line 3) is `bad`, after a good equity on line 2. */
function problemsOf(...rows: string[]): string {
  try {
    parseInstrumentFile([HEADER, ...rows].join('\n'), 'test.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('the instrument reference file', () => {
  it('ships a universe of about fifty instruments across all five classes, every one valid', () => {
    const instruments = loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv'));
    expect(instruments.length).toBeGreaterThanOrEqual(45);
    for (const assetClass of ASSET_CLASSES) expect(instruments.filter((i) => i.assetClass === assetClass).length).toBeGreaterThanOrEqual(5);
    expect(new Set(instruments.map((i) => i.id)).size).toBe(instruments.length);
  });

  it('loads one row of each class with its class fields typed', () => {
    const [equity, future, option, fx, bond] = parseInstrumentFile([HEADER, row(EQUITY), row(FUTURE), row(OPTION), row(FX), row(BOND)].join('\n'), 'test.csv');
    expect(equity).toMatchObject({ assetClass: 'equity', isin: 'US0378331005', exchange: 'XNAS' });
    expect(future).toMatchObject({ assetClass: 'future', root: 'ES', contractMonth: '2026-12', multiplier: '50', tickValue: '12.50' });
    expect(option).toMatchObject({ assetClass: 'option', underlying: 'AAPL.XNAS', strike: '200', putCall: 'call', exerciseStyle: 'american' });
    expect(fx).toMatchObject({ assetClass: 'fx', baseCurrency: 'EUR', quoteCurrency: 'USD', tenor: '1M' });
    expect(bond).toMatchObject({ assetClass: 'bond', coupon: '4.25', couponFrequency: 2, dayCount: 'ACT/ACT', issuerType: 'government' });
  });

  it.each([
    ['an unknown class', { ...EQUITY, id: 'X', assetClass: 'swap' }, 'line 3, assetClass'],
    ['a bad ISIN check digit', { ...EQUITY, id: 'MSFT.XNAS', symbol: 'MSFT', isin: 'US5949181046' }, 'line 3, isin'],
    ['a missing exchange', { ...EQUITY, id: 'MSFT.XNAS', isin: 'US5949181045', exchange: '' }, 'line 3, exchange'],
    ['a duplicate id', { ...EQUITY, isin: 'US5949181045' }, 'line 3, id: id AAPL.XNAS is already used on line 2'],
    ['a duplicate ISIN', { ...EQUITY, id: 'AAPL2.XNAS' }, 'line 3, isin: ISIN US0378331005 is already used on line 2'],
    ['a tick value that is not tick × multiplier', { ...FUTURE, tickValue: '12.00' }, 'line 3, tickValue'],
    ['a contract month that is no month', { ...FUTURE, contractMonth: '2026-13' }, 'line 3, contractMonth'],
    ['a column of another class (shifted)', { ...EQUITY, id: 'MSFT.XNAS', isin: 'US5949181045', multiplier: '100' }, 'line 3, multiplier'],
    ['an FX symbol that is not BASE/QUOTE', { ...FX, symbol: 'EURUSD' }, 'line 3, symbol'],
    ['an FX tenor that does not exist', { ...FX, tenor: '5M' }, 'line 3, tenor'],
    ['an option on an unknown underlying', { ...OPTION, underlying: 'NOPE.XNAS' }, 'line 3, underlying'],
    ['an option without a strike', { ...OPTION, strike: '' }, 'line 3, strike'],
    ['a bond with an unknown day count', { ...BOND, dayCount: 'ACT/364' }, 'line 3, dayCount'],
    ['a bond maturing on no real date', { ...BOND, maturity: '2034-02-30' }, 'line 3, maturity'],
    ['a negative tick size', { ...EQUITY, id: 'MSFT.XNAS', isin: 'US5949181045', tickSize: '-0.01' }, 'line 3, tickSize'],
    ['a currency that is no code', { ...EQUITY, id: 'MSFT.XNAS', isin: 'US5949181045', currency: 'usd' }, 'line 3, currency'],
  ])('refuses %s, naming its line and field, and loads nothing', (_what, bad, expected) => {
    const message = problemsOf(row(EQUITY), row(bad));
    expect(message).toContain(expected);
    expect(message).toContain('nothing loaded');
  });

  it('refuses a row with the wrong number of fields, an unknown column, and an empty file', () => {
    expect(problemsOf(row(EQUITY), 'A,equity,B')).toMatch(/line 3: 3 fields where the header has \d+/);
    expect(() => parseInstrumentFile(`${HEADER},extra\n${row(EQUITY)},x`, 'test.csv')).toThrow(/line 1, extra: unknown column 'extra'/);
    expect(() => parseInstrumentFile('', 'test.csv')).toThrow(/empty/);
    expect(() => parseInstrumentFile(HEADER, 'test.csv')).toThrow(/no instruments/);
  });

  it('counts lines as a person does: blank lines and quoted line breaks included', () => {
    const quoted = row({ ...EQUITY, id: 'MSFT.XNAS', isin: 'US5949181045', name: '"Microsoft\nCorp."' });
    expect(problemsOf(row(EQUITY), '', quoted, row({ ...EQUITY, id: 'IBM.XNYS', isin: 'US4592001015' }))).toContain('line 6, isin');
  });
});
