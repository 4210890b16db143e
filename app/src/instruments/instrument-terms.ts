import type { Instrument } from '../../../shared/domain/instrument';
import { PRICE_MEANINGS, quantityUnit } from '../../../shared/domain/instrument';
import type { AssetClass } from '../../../shared/domain/order-types';
import { isDecimalString, isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import { isMultipleOf } from '../format/fixed-point';
import { groupDecimal } from '../format/decimal';

/** What the ticket, the picker and the grids say about an instrument, by its class. */

/** The short badge of a class, as a trader reads it in a list. */
export const CLASS_BADGES: Readonly<Record<AssetClass, string>> = {
  equity: 'EQ',
  future: 'FUT',
  option: 'OPT',
  fx: 'FX',
  bond: 'BOND',
};

export const CLASS_NAMES: Readonly<Record<AssetClass, string>> = {
  equity: 'Equity',
  future: 'Future',
  option: 'Option',
  fx: 'FX',
  bond: 'Bond',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-12" → "Dec 2026". */
export function contractMonthLabel(month: string): string {
  const [year, m] = month.split('-');
  const name = MONTHS[Number(m) - 1];
  return name === undefined || year === undefined ? month : `${name} ${year}`;
}

/** The quantity field's label: "Quantity (shares)", "Quantity (EUR)", "Face value (USD)". */
export function quantityLabel(instrument: Instrument | undefined): string {
  if (instrument === undefined) return 'Quantity';
  if (instrument.assetClass === 'bond') return `Face value (${instrument.currency})`;
  return `Quantity (${quantityUnit(instrument)})`;
}

/** A price field's label: "Limit price", "Limit (% of par)", "Limit rate", "Limit premium". */
export function priceLabel(kind: 'Limit' | 'Stop', instrument: Instrument | undefined): string {
  if (instrument === undefined) return `${kind} price`;
  switch (instrument.assetClass) {
    case 'bond':
      return `${kind} (% of par)`;
    case 'fx':
      return `${kind} rate`;
    case 'option':
      return `${kind} premium`;
    default:
      return `${kind} price (${instrument.currency})`;
  }
}

/** The class's price meaning, for hints ("% of par", "rate"). */
export function priceMeaning(instrument: Instrument): string {
  return PRICE_MEANINGS[instrument.assetClass];
}

/**
 * The terms a trader checks before sending, one short line per fact: contract month and expiry of a
 * future, strike/expiry/style of an option, tenor of FX, coupon and maturity of a bond, and the steps.
 */
export function instrumentFacts(instrument: Instrument): ReadonlyArray<{ readonly label: string; readonly value: string }> {
  const facts: Array<{ label: string; value: string }> = [];
  switch (instrument.assetClass) {
    case 'equity':
      facts.push({ label: 'Exchange', value: instrument.exchange }, { label: 'ISIN', value: instrument.isin });
      break;
    case 'future':
      facts.push(
        { label: 'Contract', value: contractMonthLabel(instrument.contractMonth) },
        { label: 'Expiry', value: instrument.expiry },
        { label: 'Multiplier', value: `×${groupDecimal(instrument.multiplier)}` },
        { label: 'Tick value', value: `${groupDecimal(instrument.tickValue)} ${instrument.currency}` },
      );
      break;
    case 'option':
      facts.push(
        { label: 'Contract', value: `${instrument.putCall === 'call' ? 'Call' : 'Put'} ${groupDecimal(instrument.strike)}` },
        { label: 'Expiry', value: instrument.expiry },
        { label: 'Multiplier', value: `×${groupDecimal(instrument.multiplier)}` },
        { label: 'Style', value: instrument.exerciseStyle === 'american' ? 'American' : 'European' },
      );
      break;
    case 'fx':
      facts.push({ label: 'Tenor', value: instrument.tenor === 'SPOT' ? 'Spot' : `${instrument.tenor} forward` }, { label: 'Amount in', value: instrument.baseCurrency });
      break;
    case 'bond':
      facts.push(
        { label: 'Coupon', value: `${instrument.coupon}%` },
        { label: 'Maturity', value: instrument.maturity },
        { label: 'Day count', value: instrument.dayCount },
        { label: 'ISIN', value: instrument.isin },
      );
      break;
  }
  facts.push({ label: 'Tick', value: instrument.tickSize }, { label: 'Lot', value: groupDecimal(instrument.lotSize) });
  return facts;
}

/** One line for a list: "E-mini S&P 500 Dec 2026 · XCME" / "US Treasury 4.25% Nov 2034 · US91282CLW90". */
export function instrumentSubtitle(instrument: Instrument): string {
  const where = instrument.isin ?? instrument.exchange;
  return where === undefined ? instrument.name : `${instrument.name} · ${where}`;
}

/** Why this quantity cannot be sent for the instrument (not a positive multiple of its lot), or undefined. */
export function lotProblem(instrument: Instrument, quantity: string): string | undefined {
  const q = quantity.trim();
  if (!isPositiveDecimalString(q)) return undefined;
  if (isMultipleOf(q, instrument.lotSize)) return undefined;
  return `${quantityUnit(instrument) === 'shares' ? 'Shares' : 'Quantity'} must be a multiple of the lot size ${groupDecimal(instrument.lotSize)}`;
}

/** Why this price is off the instrument's tick grid, or undefined. */
export function tickProblem(instrument: Instrument, price: string): string | undefined {
  const p = price.trim();
  if (!isDecimalString(p) || !isPositiveDecimalString(p)) return undefined;
  if (isMultipleOf(p, instrument.tickSize)) return undefined;
  return `Price must be a multiple of the tick size ${instrument.tickSize}`;
}
