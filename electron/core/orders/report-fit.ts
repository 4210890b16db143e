import type { DkReason, ExecutionReportMessage } from '../broker/broker-port';
import { Dec } from '../decimal/decimal';
import type { ReportRefusalCode } from '../journal/desk-events';
import type { Order } from './order';

/** Beyond this, a quantity or a price is no value a market trades: a broker's bug or an attack. */
export const SANE_BOUND = new Dec('1000000000000');

export interface ReportMisfit {
  readonly code: ReportRefusalCode;
  readonly dkReason: DkReason;
  readonly reason: string;
}

/** What the desk knows of an order's instrument beyond the order (the instrument master's terms). */
export interface InstrumentTerms {
  /** Prices may be negative (some futures and spreads); else every price must be positive. */
  readonly negativePrices: boolean;
}

/**
 * Whether an execution report fits the order it names (its instrument is checked against the FIX
 * Instrument component we sent: desk/broker-inbound.ts): the same side, positive
 * quantities on trades, none beyond the order (where the FIX order state matrices allow none) or
 * beyond sane bounds, and prices of the instrument's sign. A report that does not fit is refused
 * whole (desk/broker-inbound.ts: DontKnowTrade, an error alert, nothing applied).
 */
export function reportMisfit(order: Order, report: ExecutionReportMessage, terms: InstrumentTerms): ReportMisfit | undefined {
  return sideMisfit(order, report) ?? quantityMisfit(order, report) ?? priceMisfit(report, terms);
}

function sideMisfit(order: Order, report: ExecutionReportMessage): ReportMisfit | undefined {
  if (report.side === undefined || isBuy(report.side) === isBuy(order.side)) return undefined; // sell and sell short are one direction
  return { code: 'sideMismatch', dkReason: 'wrongSide', reason: `it says Side ${report.side}, the order is a ${order.side}` };
}

function isBuy(side: string): boolean {
  return side === 'buy';
}

function quantityMisfit(order: Order, report: ExecutionReportMessage): ReportMisfit | undefined {
  // Fields by hand, not a list of tuples: this runs for every report.
  const absurd = absurdQuantity('OrderQty', report.orderQty) ?? absurdQuantity('LastQty', report.lastQty) ?? absurdQuantity('CumQty', report.cumQty) ?? absurdQuantity('LeavesQty', report.leavesQty);
  if (absurd !== undefined) return absurd;
  const trade = report.execType === 'trade' || report.execType === 'tradeCorrect';
  if (!trade || report.lastQty === undefined) return undefined;
  const lastQty = new Dec(report.lastQty);
  if (!lastQty.greaterThan(0)) return { code: 'quantityNotPositive', dkReason: 'calculationDifference', reason: `a trade with LastQty ${report.lastQty}` };
  // One execution larger than the whole order (or the amend it may answer) is no overfill a matrix knows.
  let most = order.quantity;
  for (const r of order.requests) if (r.quantity !== undefined && r.quantity.greaterThan(most)) most = r.quantity;
  if (lastQty.greaterThan(most)) {
    return { code: 'quantityExceedsOrder', dkReason: 'quantityExceedsOrder', reason: `a single execution of ${report.lastQty} on an order for ${most.toString()}` };
  }
  return undefined;
}

function absurdQuantity(name: string, value: string | undefined): ReportMisfit | undefined {
  if (value === undefined || plainWithinBound(value) || !new Dec(value).greaterThan(SANE_BOUND)) return undefined;
  return { code: 'absurdValue', dkReason: 'calculationDifference', reason: `${name} ${value} is beyond any sane quantity (more than ${SANE_BOUND.toString()})` };
}

function priceMisfit(report: ExecutionReportMessage, terms: InstrumentTerms): ReportMisfit | undefined {
  const trade = report.execType === 'trade' || report.execType === 'tradeCorrect';
  return (
    badPrice('LastPx', report.lastPx, trade, terms) ??
    badPrice('AvgPx', report.avgPx, false, terms) ??
    badPrice('Price', report.limitPrice, true, terms) ??
    badPrice('StopPx', report.stopPrice, true, terms)
  );
}

function badPrice(name: string, value: string | undefined, nonZero: boolean, terms: InstrumentTerms): ReportMisfit | undefined {
  if (value === undefined) return undefined;
  // Nearly every price is a plain positive number well within the bound: told from its text, no decimal made.
  if (plainWithinBound(value) && (terms.negativePrices || plainPositive(value))) return undefined;
  const price = new Dec(value);
  if (price.abs().greaterThan(SANE_BOUND)) {
    return { code: 'absurdValue', dkReason: 'calculationDifference', reason: `${name} ${value} is beyond any sane price` };
  }
  if (!terms.negativePrices && (price.isNegative() || (nonZero && price.isZero()))) {
    return { code: 'priceSign', dkReason: 'calculationDifference', reason: `${name} ${value}: prices of this instrument are positive` };
  }
  return undefined;
}

/** Digits before the point of the largest plain number surely within SANE_BOUND (10^12: twelve nines). */
const BOUND_DIGITS = SANE_BOUND.toFixed().length - 1;

/**
 * True when `value` is plain decimal text ([-]digits[.digits]) with at most BOUND_DIGITS digits
 * before the point, so its magnitude is below SANE_BOUND; false says nothing (the decimal decides).
 */
export function plainWithinBound(value: string): boolean {
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let point = false;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && !point && digits > 0) point = true;
    else if (c < 48 || c > 57) return false;
    else if (!point) digits++;
  }
  return digits > 0 && digits <= BOUND_DIGITS && value.charCodeAt(value.length - 1) !== 46;
}

/** True when plain decimal text (as `plainWithinBound` accepts it) has no sign and a digit other than 0: above zero. */
export function plainPositive(value: string): boolean {
  if (value.charCodeAt(0) === 45) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 48 && c <= 57) return true;
  }
  return false;
}

/**
 * A fill at a price worse than the order's limit (a buy above it, a sell below it; the loosest of
 * the limits an unanswered amend may bring): kept — it happened at the market — but raised.
 */
export function fillBeyondLimit(order: Order, report: ExecutionReportMessage): string | undefined {
  if (report.execType !== 'trade' && report.execType !== 'tradeCorrect') return undefined;
  if (report.lastPx === undefined || order.limitPrice === undefined) return undefined;
  const buy = isBuy(order.side);
  // The loosest of the order's limit and those of its requests not yet answered (a loop: this runs for every fill).
  let loosest = order.limitPrice;
  for (const r of order.requests) {
    const l = r.limitPrice;
    if (l !== undefined && (buy ? l.greaterThan(loosest) : l.lessThan(loosest))) loosest = l;
  }
  const px = new Dec(report.lastPx);
  const worse = buy ? px.greaterThan(loosest) : px.lessThan(loosest);
  return worse ? `filled ${report.lastQty ?? '?'} at ${report.lastPx}, ${buy ? 'above' : 'below'} the order's limit ${loosest.toString()}` : undefined;
}
