import { readFileSync } from 'node:fs';
import { isDecimalString, isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import type { Bond, DayCount, Equity, FxInstrument, FxTenor, Future, Instrument, ListedOption } from '../../../shared/domain/instrument';
import { DAY_COUNTS, FX_TENORS } from '../../../shared/domain/instrument';
import { isCurrencyCode, isIsoDate, isMic, isValidIsin } from '../../../shared/domain/instrument-codes';
import type { AssetClass } from '../../../shared/domain/order-types';
import { ASSET_CLASSES } from '../../../shared/domain/order-types';
import { ConfigError } from '../config/json-config';
import type { CsvProblem, CsvRow } from '../csv/csv-table';
import { describeCsvProblems, parseCsvTable } from '../csv/csv-table';
import { Dec } from '../decimal/decimal';
import { isPriceCurrency } from './currencies';

/**
 * The instrument reference file: one CSV, one row per instrument, the columns of every class (a
 * class leaves the others' columns empty, which is checked: a shifted column is caught). Validated
 * as a whole: any bad row and nothing is loaded; each problem names its line and field.
 */

const COMMON = ['id', 'assetClass', 'symbol', 'name', 'currency', 'exchange', 'isin', 'tickSize', 'lotSize'] as const;
const BY_CLASS: Readonly<Record<AssetClass, readonly string[]>> = {
  equity: [],
  future: ['root', 'contractMonth', 'expiry', 'multiplier', 'tickValue'],
  fx: ['baseCurrency', 'tenor'],
  option: ['underlying', 'expiry', 'strike', 'putCall', 'exerciseStyle', 'multiplier'],
  bond: ['coupon', 'maturity', 'couponFrequency', 'dayCount', 'issuerType'],
};
const CLASS_COLUMNS = [...new Set(Object.values(BY_CLASS).flat())];
export const INSTRUMENT_COLUMNS: readonly string[] = [...COMMON, ...CLASS_COLUMNS];

const ID = /^[A-Z0-9][A-Z0-9._/-]{0,39}$/;
const SYMBOL = /^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/;

export function loadInstrumentFile(path: string): Instrument[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the instrument file ${path}: ${(e as Error).message}`);
  }
  return parseInstrumentFile(text, path);
}

/** The instruments of a reference file's text, or a ConfigError naming every bad line and field. */
export function parseInstrumentFile(text: string, source: string): Instrument[] {
  const table = parseCsvTable(text, { required: INSTRUMENT_COLUMNS });
  if (!table.ok) throw new ConfigError(describeCsvProblems(source, table.problems));
  const problems: CsvProblem[] = [];
  const instruments: Array<{ instrument: Instrument; line: number }> = [];
  for (const row of table.rows) {
    const result = instrumentOf(row);
    if ('problems' in result) problems.push(...result.problems);
    else instruments.push({ instrument: result.instrument, line: row.line });
  }
  problems.push(...crossRowProblems(instruments));
  if (instruments.length === 0 && problems.length === 0) problems.push({ line: 1, message: 'no instruments: the file has a header and nothing else' });
  if (problems.length > 0) throw new ConfigError(describeCsvProblems(source, problems.sort((a, b) => a.line - b.line)));
  return instruments.map((i) => i.instrument);
}

function instrumentOf(row: CsvRow): { instrument: Instrument } | { problems: CsvProblem[] } {
  const v = row.values;
  const problems: CsvProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ line: row.line, field, message });
  const need = (field: string, ok: (value: string) => boolean, what: string): string => {
    const value = v[field] ?? '';
    if (value === '') bad(field, `${field} is required for ${v.assetClass === '' ? 'an instrument' : `a ${v.assetClass}`}`);
    else if (!ok(value)) bad(field, `${field} '${value}' is not ${what}`);
    return value;
  };

  const assetClass = v.assetClass as AssetClass;
  if (!(ASSET_CLASSES as readonly string[]).includes(v.assetClass ?? '')) {
    bad('assetClass', `assetClass '${v.assetClass ?? ''}' is not one of ${ASSET_CLASSES.join(', ')}`);
    return { problems };
  }
  const id = need('id', (x) => ID.test(x), 'an id (capitals, digits and . _ / -, at most 40)');
  const symbol = need('symbol', (x) => SYMBOL.test(x), 'a symbol (printable ASCII, at most 32)');
  const name = need('name', (x) => x.length <= 80, 'a name of at most 80 characters');
  const currency = need('currency', isPriceCurrency, 'a currency code (ISO 4217, or GBX for pence)');
  const tickSize = need('tickSize', isPositiveDecimalString, 'a positive decimal');
  const lotSize = need('lotSize', isPositiveDecimalString, 'a positive decimal');
  const exchangeRequired = assetClass === 'equity' || assetClass === 'future' || assetClass === 'option';
  const exchange = exchangeRequired ? need('exchange', isMic, 'a market identifier code (MIC, 4 characters)') : optional(v, 'exchange', isMic, 'a MIC', bad);
  const isinRequired = assetClass === 'equity' || assetClass === 'bond';
  const isin = isinRequired ? need('isin', isValidIsin, 'a valid ISIN (ISO 6166, check digit included)') : optional(v, 'isin', isValidIsin, 'a valid ISIN', bad);

  for (const column of CLASS_COLUMNS) {
    if (!BY_CLASS[assetClass].includes(column) && (v[column] ?? '') !== '') bad(column, `${column} does not apply to a ${assetClass} (a shifted column?)`);
  }
  const base = { id, symbol, name, currency, tickSize, lotSize, ...(exchange !== '' && { exchange }), ...(isin !== '' && { isin }) };

  let instrument: Instrument | undefined;
  switch (assetClass) {
    case 'equity':
      instrument = { ...base, assetClass, isin, exchange } satisfies Equity;
      break;
    case 'future': {
      const root = need('root', (x) => /^[A-Z0-9]{1,10}$/.test(x), 'a contract root (capitals and digits)');
      const contractMonth = need('contractMonth', (x) => /^\d{4}-(0[1-9]|1[0-2])$/.test(x), 'a contract month YYYY-MM');
      const expiry = need('expiry', isIsoDate, 'a date YYYY-MM-DD');
      const multiplier = need('multiplier', isPositiveDecimalString, 'a positive decimal');
      const tickValue = need('tickValue', isPositiveDecimalString, 'a positive decimal');
      if (problems.length === 0 && !new Dec(tickSize).times(multiplier).equals(tickValue)) {
        bad('tickValue', `tickValue ${tickValue} is not tickSize × multiplier (${new Dec(tickSize).times(multiplier).toFixed()})`);
      }
      if (problems.length === 0 && expiry.slice(0, 7) > contractMonth) bad('expiry', `expiry ${expiry} is after the contract month ${contractMonth}`);
      instrument = { ...base, assetClass, root, contractMonth, expiry, multiplier, tickValue, exchange } satisfies Future;
      break;
    }
    case 'fx': {
      const baseCurrency = need('baseCurrency', isCurrencyCode, 'a currency code (ISO 4217)');
      const tenor = need('tenor', (x) => (FX_TENORS as readonly string[]).includes(x), `a tenor (${FX_TENORS.join(', ')})`) as FxTenor;
      if (baseCurrency !== '' && baseCurrency === currency) bad('baseCurrency', 'the base currency must differ from the quote currency');
      if (problems.length === 0 && symbol !== `${baseCurrency}/${currency}`) bad('symbol', `an FX symbol is BASE/QUOTE: ${baseCurrency}/${currency}, not ${symbol}`);
      if (!isCurrencyCode(currency)) bad('currency', 'an FX quote currency must be an ISO 4217 code');
      instrument = { ...base, assetClass, baseCurrency, quoteCurrency: currency, tenor } satisfies FxInstrument;
      break;
    }
    case 'option': {
      const underlying = need('underlying', (x) => ID.test(x), 'an instrument id');
      const expiry = need('expiry', isIsoDate, 'a date YYYY-MM-DD');
      const strike = need('strike', isPositiveDecimalString, 'a positive decimal');
      const putCall = need('putCall', (x) => x === 'put' || x === 'call', 'put or call') as 'put' | 'call';
      const exerciseStyle = need('exerciseStyle', (x) => x === 'american' || x === 'european', 'american or european') as 'american' | 'european';
      const multiplier = need('multiplier', isPositiveDecimalString, 'a positive decimal');
      instrument = { ...base, assetClass, underlying, expiry, strike, putCall, exerciseStyle, multiplier, exchange } satisfies ListedOption;
      break;
    }
    case 'bond': {
      const coupon = need('coupon', (x) => isDecimalString(x) && !x.startsWith('-'), 'a coupon rate in percent (0 or more)');
      const maturity = need('maturity', isIsoDate, 'a date YYYY-MM-DD');
      const frequency = need('couponFrequency', (x) => ['1', '2', '4', '12'].includes(x), 'a number of coupons a year (1, 2, 4 or 12)');
      const dayCount = need('dayCount', (x) => (DAY_COUNTS as readonly string[]).includes(x), `a day count (${DAY_COUNTS.join(', ')})`) as DayCount;
      const issuerType = need('issuerType', (x) => x === 'government' || x === 'corporate', 'government or corporate') as 'government' | 'corporate';
      instrument = { ...base, assetClass, isin, coupon, maturity, couponFrequency: Number(frequency) as Bond['couponFrequency'], dayCount, issuerType } satisfies Bond;
      break;
    }
  }
  return problems.length > 0 || instrument === undefined ? { problems } : { instrument };
}

function optional(values: Readonly<Record<string, string>>, field: string, ok: (value: string) => boolean, what: string, bad: (field: string, message: string) => void): string {
  const value = values[field] ?? '';
  if (value !== '' && !ok(value)) bad(field, `${field} '${value}' is not ${what}`);
  return value;
}

/** Unique ids and ISINs; an option's underlying must be a listed equity of the file, in the option's currency. */
function crossRowProblems(rows: ReadonlyArray<{ instrument: Instrument; line: number }>): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const byId = new Map<string, { instrument: Instrument; line: number }>();
  const byIsin = new Map<string, number>();
  for (const row of rows) {
    const { id, isin } = row.instrument;
    const first = byId.get(id);
    if (first !== undefined) problems.push({ line: row.line, field: 'id', message: `id ${id} is already used on line ${first.line}` });
    else byId.set(id, row);
    if (isin !== undefined) {
      const isinLine = byIsin.get(isin);
      if (isinLine !== undefined) problems.push({ line: row.line, field: 'isin', message: `ISIN ${isin} is already used on line ${isinLine}` });
      else byIsin.set(isin, row.line);
    }
  }
  for (const row of rows) {
    const i = row.instrument;
    if (i.assetClass !== 'option') continue;
    const underlying = byId.get(i.underlying)?.instrument;
    if (underlying === undefined) problems.push({ line: row.line, field: 'underlying', message: `underlying ${i.underlying} is not an instrument of this file` });
    else if (underlying.assetClass !== 'equity') problems.push({ line: row.line, field: 'underlying', message: `underlying ${i.underlying} is a ${underlying.assetClass}: options here are on equities` });
    else if (underlying.currency !== i.currency) problems.push({ line: row.line, field: 'currency', message: `an option trades in its underlying's currency (${underlying.currency})` });
    else if (underlying.symbol !== i.symbol) problems.push({ line: row.line, field: 'symbol', message: `an option's symbol is its underlying's (${underlying.symbol})` });
  }
  return problems;
}
