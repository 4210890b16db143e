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

/**
 * A position valued at its mark: computed outside the fold, on the latest market data, every time a
 * row is published (marks are live, not journaled). In the position's currency, then in its fund's
 * base currency at market FX rates.
 */
export function valuePosition(p: PositionState, fund: FundOf, mark: Mark | undefined, rates: FxRates, version: number): PositionRow {
  const i = p.instrument;
  const { currency, perMajor } = majorUnit(i.currency);
  // Equities and FX: price units are money already; a division only for a minor unit (GBX).
  const plain = i.assetClass === 'equity' || i.assetClass === 'fx';
  const money = (priceUnits: Dec) => {
    const amount = plain ? priceUnits : notional(i, priceUnits, ONE);
    return perMajor === '1' ? amount : amount.dividedBy(perMajor);
  };
  const q = p.holding.quantity;
  const avg = averageCost(p.holding);
  const realised = money(p.holding.realised);
  const valued =
    mark === undefined
      ? undefined
      : (() => {
          const marketValue = money(q.times(mark.price));
          const unrealised = money(q.times(mark.price).minus(p.holding.cost));
          return { marketValue, unrealised, pnl: realised.plus(unrealised) };
        })();
  const exposure = exposureOf(i, q, valued?.marketValue);
  const rate = rates(currency, fund.baseCurrency);
  const exposureRate = exposure.currency === currency ? rate : rates(exposure.currency, fund.baseCurrency);
  const missing = [rate === undefined ? currency : undefined, exposureRate === undefined ? exposure.currency : undefined].filter((c) => c !== undefined);
  const base = (amount: Dec | undefined, r: FxRate | undefined) => (amount === undefined || r === undefined ? undefined : text(amount.times(r.numerator).dividedBy(r.denominator)));
  return {
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
    ...(avg !== undefined && { averageCost: avg.toFixed() }),
    ...(mark !== undefined && { mark: mark.price.toFixed(), markSource: mark.source, markAt: mark.at, markStale: mark.stale }),
    realised: text(realised),
    ...(valued !== undefined && { unrealised: text(valued.unrealised), pnl: text(valued.pnl), marketValue: text(valued.marketValue) }),
    ...(exposure.net !== undefined && { exposure: text(exposure.net), grossExposure: text(exposure.net.abs()) }),
    exposureCurrency: exposure.currency,
    ...(exposure.quoteLeg !== undefined && { quoteLeg: text(exposure.quoteLeg) }),
    ...optional('realisedBase', base(realised, rate)),
    ...optional('unrealisedBase', base(valued?.unrealised, rate)),
    ...optional('pnlBase', base(valued?.pnl, rate)),
    ...optional('exposureBase', base(exposure.net, exposureRate)),
    ...optional('grossExposureBase', base(exposure.net?.abs(), exposureRate)),
    ...(rate !== undefined && rateFields(rate)),
    ...(missing.length > 0 && { noRate: [...new Set(missing)].map((c) => `no rate ${c}/${fund.baseCurrency}`).join(', ') }),
  };
}

const ONE = new Dec(1);

/** The rate from the position's currency to the fund's base: its value, its quotes and the oldest quote's time. */
function rateFields(rate: FxRate): Pick<PositionRow, 'fxRate' | 'fxSource' | 'fxAt' | 'fxStale'> {
  const age = fxAge(rate);
  return { fxRate: rate.rate.toDecimalPlaces(RATE_PLACES, Dec.ROUND_HALF_EVEN).toFixed(), fxSource: fxSourceText(rate), ...(age.at !== undefined && { fxAt: age.at }), fxStale: age.stale };
}

/** A rate on the wire (for display; conversions use the exact quotient). */
const RATE_PLACES = 10;

/**
 * Exposure: what a move in the market moves. Futures and options: quantity × price × multiplier
 * (options: the premium's value); bonds: face × price / 100; equities: market value. FX: the base
 * currency leg (the quantity itself, in the base currency: known without a mark), the quote leg beside it.
 */
function exposureOf(i: Instrument, quantity: Dec, marketValue: Dec | undefined): { net?: Dec; currency: string; quoteLeg?: Dec } {
  if (i.assetClass === 'fx') return { net: quantity, currency: i.baseCurrency, ...(marketValue !== undefined && { quoteLeg: marketValue.negated() }) };
  return { ...(marketValue !== undefined && { net: marketValue }), currency: majorUnit(i.currency).currency };
}

function text(d: Dec): string {
  return d.toDecimalPlaces(MONEY_PLACES, Dec.ROUND_HALF_EVEN).toFixed();
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
