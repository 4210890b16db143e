import type { PositionRow } from '../../../shared/contract/positions';
import type { Instrument } from '../../../shared/domain/instrument';
import { Dec } from '../decimal/decimal';
import { notional } from '../instruments/contract-terms';
import { majorUnit } from '../instruments/currencies';
import { averageCost } from './average-cost';
import type { FxRate, FxRates, Mark } from './marks';
import { fxAge, fxSourceText } from './marks';
import type { PositionState } from './positions';

/** Money on the wire: exact to 8 places (the screens sum them and round to the cent). */
export const MONEY_PLACES = 8;

export interface FundOf {
  readonly fund: string;
  readonly baseCurrency: string;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A position valued at its mark: computed outside the fold, on the latest market data, every time a
 * row is published (marks are live, not journaled). In the position's currency, then in its fund's
 * base currency at market FX rates. On the fill path (once per changed position per batch): no
 * closure or spread per row, fields set in the row's order.
 */
export function valuePosition(p: PositionState, fund: FundOf, mark: Mark | undefined, rates: FxRates, version: number): PositionRow {
  const i = p.instrument;
  const unit = majorUnit(i.currency);
  const currency = unit.currency;
  const q = p.holding.quantity;
  const avg = averageCost(p.holding);
  const realised = money(i, unit.perMajor, p.holding.realised);
  let marketValue: Dec | undefined;
  let unrealised: Dec | undefined;
  if (mark !== undefined) {
    const priced = q.times(mark.price);
    marketValue = money(i, unit.perMajor, priced);
    unrealised = money(i, unit.perMajor, priced.minus(p.holding.cost));
  }
  // Exposure: what a move in the market moves. Futures and options: quantity × price × multiplier
  // (options: the premium's value); bonds: face × price / 100; equities: market value. FX: the base
  // currency leg (the quantity itself, in the base currency: known without a mark), the quote leg beside it.
  const fx = i.assetClass === 'fx';
  const exposure = fx ? q : marketValue;
  const exposureCurrency = fx ? (i.baseCurrency as string) : currency;
  const rate = rates(currency, fund.baseCurrency);
  const exposureRate = exposureCurrency === currency ? rate : rates(exposureCurrency, fund.baseCurrency);
  const row: Writable<PositionRow> = {
    key: p.key,
    version,
    fund: fund.fund,
    baseCurrency: fund.baseCurrency,
    account: p.account,
    instrumentId: i.id,
    symbol: i.symbol,
    name: i.name,
    assetClass: i.assetClass,
    currency,
    quantity: q.toFixed(),
    startQuantity: p.startQuantity.toFixed(),
    bought: p.bought.toFixed(),
    sold: p.sold.toFixed(),
    traded: p.bought.minus(p.sold).toFixed(),
    realised: text(realised),
    exposureCurrency,
  };
  if (avg !== undefined) row.averageCost = avg.toFixed();
  if (mark !== undefined) {
    row.mark = mark.price.toFixed();
    row.markSource = mark.source;
    row.markAt = mark.at;
    row.markStale = mark.stale;
  }
  const out = row;
  let pnl: Dec | undefined;
  if (marketValue !== undefined && unrealised !== undefined) {
    pnl = realised.plus(unrealised);
    out.unrealised = text(unrealised);
    out.pnl = text(pnl);
    out.marketValue = text(marketValue);
  }
  const gross = exposure?.abs();
  if (exposure !== undefined && gross !== undefined) {
    out.exposure = text(exposure);
    out.grossExposure = text(gross);
  }
  if (fx && marketValue !== undefined) out.quoteLeg = text(marketValue.negated());
  if (rate !== undefined) {
    out.realisedBase = toBase(realised, rate);
    if (unrealised !== undefined) out.unrealisedBase = toBase(unrealised, rate);
    if (pnl !== undefined) out.pnlBase = toBase(pnl, rate);
  }
  if (exposureRate !== undefined && exposure !== undefined && gross !== undefined) {
    out.exposureBase = toBase(exposure, exposureRate);
    out.grossExposureBase = toBase(gross, exposureRate);
  }
  if (rate !== undefined) {
    const fields = rateFields(rate);
    out.fxRate = fields.fxRate;
    out.fxSource = fields.fxSource;
    if (fields.fxAt !== undefined) out.fxAt = fields.fxAt;
    out.fxStale = fields.fxStale;
  }
  if (rate === undefined || exposureRate === undefined) {
    const missing = rate === undefined && exposureRate === undefined && exposureCurrency !== currency ? [currency, exposureCurrency] : [rate === undefined ? currency : exposureCurrency];
    out.noRate = missing.map((c) => `no rate ${c}/${fund.baseCurrency}`).join(', ');
  }
  return out;
}

/** Price units in money of the instrument's major currency unit. Equities and FX: price units are money already; a division only for a minor unit (GBX). */
function money(i: Instrument, perMajor: string, priceUnits: Dec): Dec {
  const amount = i.assetClass === 'equity' || i.assetClass === 'fx' ? priceUnits : notional(i, priceUnits, ONE);
  return perMajor === '1' ? amount : amount.dividedBy(perMajor);
}

function toBase(amount: Dec, r: FxRate): string {
  return text(amount.times(r.numerator).dividedBy(r.denominator));
}

const ONE = new Dec(1);

/** The rate from the position's currency to the fund's base: its value, its quotes and the oldest quote's time. */
function rateFields(rate: FxRate): Pick<PositionRow, 'fxRate' | 'fxSource' | 'fxAt' | 'fxStale'> {
  let fields = rateFieldsOf.get(rate);
  if (fields === undefined) {
    const age = fxAge(rate);
    fields = { fxRate: rate.rate.toDecimalPlaces(RATE_PLACES, Dec.ROUND_HALF_EVEN).toFixed(), fxSource: fxSourceText(rate), ...(age.at !== undefined && { fxAt: age.at }), fxStale: age.stale };
    rateFieldsOf.set(rate, fields);
  }
  return fields;
}

/** A rate's fields, computed once per rate (a batch's rates are shared by its rows: see fxRates' memo in the position stream). */
const rateFieldsOf = new WeakMap<FxRate, Pick<PositionRow, 'fxRate' | 'fxSource' | 'fxAt' | 'fxStale'>>();

/** A rate on the wire (for display; conversions use the exact quotient). */
const RATE_PLACES = 10;

function text(d: Dec): string {
  return d.toDecimalPlaces(MONEY_PLACES, Dec.ROUND_HALF_EVEN).toFixed();
}
