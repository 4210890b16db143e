import type { Bond, FxInstrument, Instrument } from '../../../shared/domain/instrument';
import { Dec, ZERO } from '../decimal/decimal';
import { addBusinessDays, addDays, addMonths, daysBetween, endOfMonth, isBusinessDay, modifiedFollowing, parseDate } from './calendar';
import { majorUnit } from './currencies';

/**
 * What a quantity at a price of an instrument is worth, and whether they are tradable at all:
 * the contract terms of the reference data applied exactly (decimals throughout).
 */

/** The notional in the instrument's price currency; clean (no accrued interest) for a bond. */
export function notional(instrument: Instrument, quantity: Dec, price: Dec): Dec {
  switch (instrument.assetClass) {
    case 'equity':
    case 'fx':
      return quantity.times(price);
    case 'future':
    case 'option':
      return quantity.times(price).times(instrument.multiplier);
    case 'bond':
      return quantity.times(price).dividedBy(100);
  }
}

/** The same notional in the ISO currency (GBX pence become GBP). */
export function notionalInMajorUnit(instrument: Instrument, quantity: Dec, price: Dec): { readonly amount: Dec; readonly currency: string } {
  const unit = majorUnit(instrument.currency);
  return { amount: notional(instrument, quantity, price).dividedBy(unit.perMajor), currency: unit.currency };
}

/**
 * How an amount of the instrument is valued: notional = quantity × price × `factor`, in `currency`
 * (the multiplier of a future or option, 1/100 for a bond's % of par, and a price in pence to pounds).
 */
export interface ValueTerms {
  readonly factor: Dec;
  readonly currency: string;
}

const valueTermsOf = new WeakMap<Instrument, ValueTerms>();

export function valueTerms(instrument: Instrument): ValueTerms {
  let terms = valueTermsOf.get(instrument);
  if (terms === undefined) {
    const unit = majorUnit(instrument.currency);
    terms = { factor: notional(instrument, new Dec(1), new Dec(1)).dividedBy(unit.perMajor), currency: unit.currency };
    valueTermsOf.set(instrument, terms);
  }
  return terms;
}

/** Why the quantity cannot be traded, or undefined: it must be a positive multiple of the lot size. */
export function quantityProblem(instrument: Instrument, quantity: Dec): string | undefined {
  if (!quantity.greaterThan(ZERO)) return 'quantity must be positive';
  if (!quantity.dividedBy(instrument.lotSize).isInteger()) return `quantity must be a multiple of ${instrument.lotSize} (the lot size of ${instrument.symbol})`;
  return undefined;
}

/** Why the price cannot be sent, or undefined: it must be a positive multiple of the tick size. */
export function priceProblem(instrument: Instrument, price: Dec): string | undefined {
  if (!price.greaterThan(ZERO)) return 'price must be positive';
  if (!price.dividedBy(instrument.tickSize).isInteger()) return `price must be a multiple of the tick size ${instrument.tickSize}`;
  return undefined;
}

/** Pairs that settle spot one business day after the trade, not two. */
const T_PLUS_ONE_PAIRS = new Set(['USD/CAD', 'USD/TRY', 'USD/RUB', 'USD/PHP']);

/** The spot date of an FX pair traded on `tradeDate`. */
export function fxSpotDate(instrument: FxInstrument, tradeDate: string): string {
  const lag = T_PLUS_ONE_PAIRS.has(instrument.symbol) ? 1 : 2;
  return addBusinessDays(tradeDate, lag);
}

/**
 * The value date of an FX instrument traded on `tradeDate`: the spot date, or the tenor counted from
 * it (weeks in days; months by the end-end rule: from the last business day of a month to the last
 * business day of the target month; otherwise modified following).
 */
export function fxValueDate(instrument: FxInstrument, tradeDate: string): string {
  const spot = fxSpotDate(instrument, tradeDate);
  const tenor = instrument.tenor;
  if (tenor === 'SPOT') return spot;
  const n = Number(tenor.slice(0, -1));
  const unit = tenor.slice(-1);
  if (unit === 'W') return modifiedFollowing(addDays(spot, 7 * n));
  const months = unit === 'Y' ? 12 * n : n;
  if (spot === lastBusinessDay(spot)) return lastBusinessDay(addMonths(spot, months));
  return modifiedFollowing(addMonths(spot, months));
}

function lastBusinessDay(date: string): string {
  let d = endOfMonth(date);
  while (!isBusinessDay(d)) d = addDays(d, -1);
  return d;
}

/** Business days from trade to settlement for a bond, by its currency's market convention. */
const BOND_SETTLEMENT_DAYS: Readonly<Record<string, number>> = { USD: 1, GBP: 1, EUR: 2, CHF: 2, JPY: 2 };

export function bondSettlementDate(bond: Bond, tradeDate: string): string {
  return addBusinessDays(tradeDate, BOND_SETTLEMENT_DAYS[bond.currency] ?? 2);
}

/** The coupon dates around `date`: the last one on or before it, and the next one after it. */
export function couponPeriod(bond: Bond, date: string): { readonly previous: string; readonly next: string } {
  const step = 12 / bond.couponFrequency;
  const endOfMonthRule = bond.maturity === endOfMonth(bond.maturity);
  const couponDate = (k: number) => {
    const d = addMonths(bond.maturity, -step * k);
    return endOfMonthRule ? endOfMonth(d) : d;
  };
  let k = 0;
  while (couponDate(k + 1) > date) k++;
  // couponDate(k) > date >= couponDate(k + 1); at or after maturity the period is the last one.
  if (couponDate(0) <= date) return { previous: couponDate(1), next: couponDate(0) };
  return { previous: couponDate(k + 1), next: couponDate(k) };
}

/** Accrued interest per 100 of face at `settlement`, unrounded, by the bond's day count. */
export function accruedPer100(bond: Bond, settlement: string): Dec {
  const { previous, next } = couponPeriod(bond, settlement);
  const coupon = new Dec(bond.coupon);
  switch (bond.dayCount) {
    case 'ACT/ACT': // ICMA: the period's share of one coupon
      return coupon.dividedBy(bond.couponFrequency).times(daysBetween(previous, settlement)).dividedBy(daysBetween(previous, next));
    case '30/360':
      return coupon.times(days30360(previous, settlement)).dividedBy(360);
    case 'ACT/360':
      return coupon.times(daysBetween(previous, settlement)).dividedBy(360);
    case 'ACT/365':
      return coupon.times(daysBetween(previous, settlement)).dividedBy(365);
  }
}

/** Accrued interest on `face` at `settlement`, rounded half-even to the currency's minor unit. */
export function accruedInterest(bond: Bond, face: Dec, settlement: string): Dec {
  return face.times(accruedPer100(bond, settlement)).dividedBy(100).toDecimalPlaces(currencyPlaces(bond.currency), Dec.ROUND_HALF_EVEN);
}

/** 30/360 US (bond basis): a 31st counts as the 30th, the end date's only when the start is the 30th or 31st. */
export function days30360(start: string, end: string): number {
  const a = parseDate(start);
  const b = parseDate(end);
  let d1 = a.getUTCDate();
  let d2 = b.getUTCDate();
  if (d1 === 31) d1 = 30;
  if (d2 === 31 && d1 === 30) d2 = 30;
  return 360 * (b.getUTCFullYear() - a.getUTCFullYear()) + 30 * (b.getUTCMonth() - a.getUTCMonth()) + (d2 - d1);
}

/** Decimal places of a currency's minor unit (ISO 4217). */
export function currencyPlaces(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
}

const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'VND']);
