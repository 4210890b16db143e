import type { InstrumentDetails, OrderPreview, PreviewOrderRequest, TicketProblem } from '../../../shared/contract/instruments';
import type { Instrument } from '../../../shared/domain/instrument';
import { PRICE_MEANINGS, quantityUnit } from '../../../shared/domain/instrument';
import { Dec, decimalString } from '../decimal/decimal';
import { accruedInterest, accruedPer100, bondSettlementDate, fxValueDate, notional, notionalInMajorUnit, priceProblem, quantityProblem } from './contract-terms';
import { majorUnit } from './currencies';

/**
 * What a ticket must satisfy for its instrument, on the desk's trading date: lot and tick size,
 * an expiry not past, an FX value date that is today's, a GTD date within the contract's life.
 * One set of checks for `previewOrder` (as the ticket is filled in) and `submitOrder` (which refuses).
 */

/** The ticket's values the instrument's rules apply to (decimal strings as typed, already shape-checked). */
export interface TicketTerms {
  readonly quantity?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly valueDate?: string;
  readonly expireDate?: string;
}

/** When an order of `instrument` traded on `tradeDate` settles: an FX value date, a bond's settlement date; undefined for listed products. */
export function settlementDate(instrument: Instrument, tradeDate: string): string | undefined {
  if (instrument.assetClass === 'fx') return fxValueDate(instrument, tradeDate);
  if (instrument.assetClass === 'bond') return bondSettlementDate(instrument, tradeDate);
  return undefined;
}

/** The last date an order of it can be worked: a contract's expiry (its last trading day), the day before a bond matures. */
export function lastTradingDate(instrument: Instrument): string | undefined {
  switch (instrument.assetClass) {
    case 'future':
    case 'option':
      return instrument.expiry;
    case 'bond':
      return instrument.maturity;
    default:
      return undefined;
  }
}

/** Past its expiry, or a bond that matures before it would settle. */
export function isExpired(instrument: Instrument, tradeDate: string): boolean {
  if (instrument.assetClass === 'bond') return (settlementDate(instrument, tradeDate) as string) >= instrument.maturity;
  const last = lastTradingDate(instrument);
  return last !== undefined && tradeDate > last;
}

export function instrumentDetails(instrument: Instrument, tradeDate: string): InstrumentDetails {
  const settles = settlementDate(instrument, tradeDate);
  const expired = isExpired(instrument, tradeDate);
  return {
    instrument,
    quantityUnit: quantityUnit(instrument),
    priceMeaning: PRICE_MEANINGS[instrument.assetClass],
    tradeDate,
    ...(settles !== undefined && { settlementDate: settles }),
    ...(instrument.assetClass === 'bond' && !expired && { accruedPer100: decimalString(accruedPer100(instrument, settles as string).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN)) }),
    expired,
  };
}

/** Every way the ticket's values do not fit the instrument, per field (empty: they fit). */
export function ticketProblems(instrument: Instrument, terms: TicketTerms, tradeDate: string): Record<string, TicketProblem> {
  const problems: Record<string, TicketProblem> = {};
  const add = (field: string, code: TicketProblem['code'], message: string) => {
    problems[field] ??= { code, message };
  };
  if (isExpired(instrument, tradeDate)) {
    add(
      'instrumentId',
      'INSTRUMENT_EXPIRED',
      instrument.assetClass === 'bond' ? `${instrument.symbol} matures ${instrument.maturity}: it no longer trades` : `${instrument.symbol} expired ${lastTradingDate(instrument)}: it no longer trades`,
    );
  }
  if (terms.quantity !== undefined) {
    const problem = quantityProblem(instrument, new Dec(terms.quantity));
    if (problem !== undefined) add('quantity', 'LOT_SIZE', problem);
  }
  for (const field of ['limitPrice', 'stopPrice'] as const) {
    const price = terms[field];
    if (price === undefined) continue;
    const problem = priceProblem(instrument, new Dec(price));
    if (problem !== undefined) add(field, 'TICK_SIZE', `${field === 'limitPrice' ? 'limit' : 'stop'} ${problem}`);
  }
  if (terms.valueDate !== undefined) {
    if (instrument.assetClass !== 'fx') add('valueDate', 'VALUE_DATE', `only an FX order takes a value date (${instrument.symbol} is a ${instrument.assetClass})`);
    else {
      const valueDate = fxValueDate(instrument, tradeDate);
      if (terms.valueDate !== valueDate) add('valueDate', 'VALUE_DATE', `${instrument.id} values ${valueDate} when traded today (${tradeDate}), not ${terms.valueDate}: check the ticket`);
    }
  }
  if (terms.expireDate !== undefined) {
    const last = lastTradingDate(instrument);
    if (terms.expireDate < tradeDate) add('expireDate', 'EXPIRE_DATE', `expire date ${terms.expireDate} is before today (${tradeDate})`);
    else if (last !== undefined && terms.expireDate > last) add('expireDate', 'EXPIRE_DATE', `expire date ${terms.expireDate} is after ${instrument.symbol} ${instrument.assetClass === 'bond' ? 'matures' : 'expires'} (${last})`);
  }
  return problems;
}

/** What the order would be: notional with the multiplier, a bond's accrued interest, the settlement date, the units. */
export function orderPreview(instrument: Instrument, request: PreviewOrderRequest, tradeDate: string): OrderPreview {
  const details = instrumentDetails(instrument, tradeDate);
  const problems = ticketProblems(instrument, request, tradeDate);
  const price = request.limitPrice ?? request.stopPrice ?? request.marketPrice;
  if (request.quantity === undefined || price === undefined) return { details, ...(price !== undefined && { valuedAt: price }), problems };
  const quantity = new Dec(request.quantity);
  const amount = notional(instrument, quantity, new Dec(price));
  const major = majorUnit(instrument.currency);
  const preview: OrderPreview = {
    details,
    valuedAt: price,
    notional: decimalString(amount),
    ...(major.currency !== instrument.currency && {
      notionalMajor: { amount: decimalString(notionalInMajorUnit(instrument, quantity, new Dec(price)).amount), currency: major.currency },
    }),
    problems,
  };
  if (instrument.assetClass !== 'bond' || details.expired) return preview;
  const accrued = accruedInterest(instrument, quantity, details.settlementDate as string);
  return { ...preview, accruedInterest: decimalString(accrued), settlementAmount: decimalString(amount.plus(accrued)) };
}
