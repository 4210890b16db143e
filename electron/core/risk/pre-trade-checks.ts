import type { RiskFinding, TradingMode } from '../../../shared/contract/risk';
import type { Instrument } from '../../../shared/domain/instrument';
import type { Side } from '../../../shared/domain/order-types';
import type { RiskLimits, RiskLimitSet, RiskPolicy } from '../config/risk-limits-config';
import { Dec, decimalString } from '../decimal/decimal';
import { notionalInMajorUnit } from '../instruments/contract-terms';
import { resolveLimits } from './limit-resolution';
import { crossed, finding, ZERO } from './risk-finding';
import type { TokenBucket } from './token-bucket';
import { hasToken } from './token-bucket';
import { TRADING_STATE_TABLE } from './trading-state-table';

/** An order as the checks judge it: a new order, an algo child, or an amend's new values. */
export interface RiskOrder {
  readonly account: string;
  readonly broker: string;
  readonly instrument: Instrument;
  readonly side: Side;
  /** The order's quantity (an amend: the new total). */
  readonly quantity: Dec;
  /** The limit price, else the stop price; absent: a market order, valued at the reference price. */
  readonly price?: Dec;
  /** A short sale's locate was arranged (the ticket says so). */
  readonly locate?: boolean;
  /** An amend: the order as it stands (the gross increase counts; the duplicate and open-order checks do not apply). */
  readonly amending?: { readonly cumQty: Dec; readonly notional?: Dec };
}

/** What the checks read: the limits, the trading mode, the clock, the live reference price and the usage folded from the journal. */
export interface RiskState {
  readonly limits: RiskLimits;
  readonly mode: TradingMode;
  /** The desk's clock (injected), in milliseconds. */
  readonly nowMs: number;
  /** Mid, else last; `stale` when the feed says it may be old. */
  reference(instrumentId: string): { readonly price: Dec; readonly stale: boolean } | undefined;
  position(account: string, instrumentId: string): Dec;
  dailyGross(account: string): Dec;
  openOrders(account: string): number;
  /** When the same account, side, instrument and quantity last went out (duplicateKey). */
  lastSameOrderMs(key: string): number | undefined;
  bucket(broker: string): TokenBucket | undefined;
}

export interface RiskAssessment {
  readonly findings: readonly RiskFinding[];
  /** The order's notional in the base currency, where it could be valued (what the day's gross counts). */
  readonly notional?: Dec;
}

export function duplicateKey(account: string, side: Side, instrumentId: string, quantity: Dec): string {
  return `${account}|${side}|${instrumentId}|${decimalString(quantity)}`;
}

/** Every check, pure: the same order and state give the same findings. */
export function assessOrder(order: RiskOrder, state: RiskState): RiskAssessment {
  const limits = resolveLimits(state.limits, order.account, order.instrument.assetClass, order.instrument.id);
  const out: RiskFinding[] = [];
  const unavailable = new Set<string>();
  const policy = state.limits.whenUnavailable;
  const once = (f: RiskFinding) => {
    if (unavailable.has(f.code)) return;
    unavailable.add(f.code);
    out.push(f);
  };

  tradingMode(order, state, out);
  lists(order, state.limits, out);
  if (limits.allowedBrokers !== undefined && !limits.allowedBrokers.includes(order.broker)) {
    out.push(finding('BROKER_NOT_ALLOWED', 'block', { broker: order.broker, allowed: limits.allowedBrokers.join(',') }, `${order.account} may not send ${order.instrument.assetClass} orders to ${order.broker}`));
  }
  const quantity = crossed(order.quantity, limits.maxQuantity);
  if (quantity !== undefined) {
    out.push(finding('QUANTITY_ABOVE_MAX', quantity.tier, { quantity: decimalString(order.quantity), max: quantity.limit }, `the quantity is above the maximum per order`));
  }
  const reference = state.reference(order.instrument.id);
  const liveReference = reference !== undefined && !reference.stale ? reference.price : undefined;
  const referenceMissing = (policyTier: RiskPolicy, what: string) =>
    once(
      finding(
        'REFERENCE_PRICE_UNAVAILABLE',
        policyTier,
        { instrument: order.instrument.id, state: reference === undefined ? 'none' : 'stale', policy: policyTier },
        `no live reference price for ${order.instrument.id} (${reference === undefined ? 'no quote' : 'the quote is stale'}): ${what} cannot be checked, the policy is ${policyTier}`,
      ),
    );
  const notional = valueOrder(order, liveReference, state.limits, limits, policy, out, referenceMissing, once);
  collar(order, limits, liveReference, out, referenceMissing, policy.referencePrice);
  if (limits.shortSales !== undefined) shortSale(order, state, limits.shortSales, out);
  if (order.amending === undefined) duplicate(order, limits, state, out);
  dailyGross(order, limits, state, notional, out);
  if (order.amending === undefined) {
    const open = crossed(new Dec(state.openOrders(order.account) + 1), limits.maxOpenOrders);
    if (open !== undefined) {
      out.push(finding('OPEN_ORDERS_ABOVE_MAX', open.tier, { open: String(state.openOrders(order.account) + 1), max: open.limit }, `${order.account} would have more open orders than allowed`));
    }
  }
  const rate = state.limits.brokerRates[order.broker];
  if (rate !== undefined && !hasToken(state.bucket(order.broker), rate, state.nowMs)) {
    out.push(finding('ORDER_RATE_ABOVE_MAX', 'block', { broker: order.broker, ordersPerSecond: String(rate.ordersPerSecond), burst: String(rate.burst) }, `${order.broker}'s order rate throttle has no room now: try again in a moment`));
  }
  fatFinger(order, limits, out, policy.adv, once);
  return { findings: out, ...(notional !== undefined && { notional }) };
}

function tradingMode(order: RiskOrder, state: RiskState, out: RiskFinding[]): void {
  const allowed = TRADING_STATE_TABLE[state.mode];
  if (allowed === 'all') return;
  if (allowed === 'none') {
    out.push(finding('TRADING_HALTED', 'block', { mode: state.mode }, 'trading is halted by the kill switch: no new orders'));
    return;
  }
  const position = state.position(order.account, order.instrument.id);
  const remaining = order.amending === undefined ? order.quantity : order.quantity.minus(order.amending.cumQty);
  const signed = order.side === 'buy' ? remaining : remaining.negated();
  const reduces = !position.isZero() && position.isNegative() !== signed.isNegative() && remaining.lessThanOrEqualTo(position.abs());
  if (!reduces) {
    out.push(
      finding('REDUCE_ONLY', 'block', { position: decimalString(position), quantity: decimalString(remaining), side: order.side }, `trading is reduce-only: this order would not reduce ${order.account}'s position in ${order.instrument.id}`),
    );
  }
}

function lists(order: RiskOrder, limits: RiskLimits, out: RiskFinding[]): void {
  const id = order.instrument.id;
  if (limits.restricted.includes(id)) out.push(finding('INSTRUMENT_RESTRICTED', 'block', { instrument: id }, `${id} is on the restricted list`));
  else if (limits.watch.includes(id)) out.push(finding('INSTRUMENT_ON_WATCH_LIST', 'warn', { instrument: id }, `${id} is on the watch list`));
}

/** The notional in the base currency, and the per-order maximum; undefined when it cannot be valued. */
function valueOrder(
  order: RiskOrder,
  liveReference: Dec | undefined,
  all: RiskLimits,
  limits: RiskLimitSet,
  policy: RiskLimits['whenUnavailable'],
  out: RiskFinding[],
  referenceMissing: (tier: RiskPolicy, what: string) => void,
  once: (f: RiskFinding) => void,
): Dec | undefined {
  const needed = limits.maxNotional !== undefined || limits.maxDailyGrossNotional !== undefined;
  const price = order.price ?? liveReference;
  if (price === undefined) {
    if (needed) referenceMissing(policy.referencePrice, 'a market order\'s notional');
    return undefined;
  }
  const major = notionalInMajorUnit(order.instrument, order.quantity, price);
  let amount = major.amount;
  if (major.currency !== all.baseCurrency) {
    const rate = all.fxRates[major.currency];
    if (rate === undefined) {
      if (needed) {
        once(
          finding('FX_RATE_UNAVAILABLE', policy.fxRate, { currency: major.currency, base: all.baseCurrency, policy: policy.fxRate }, `no rate from ${major.currency} to ${all.baseCurrency}: the notional cannot be checked, the policy is ${policy.fxRate}`),
        );
      }
      return undefined;
    }
    amount = amount.times(rate);
  }
  amount = amount.toDecimalPlaces(2);
  const over = crossed(amount, limits.maxNotional);
  if (over !== undefined) {
    out.push(finding('NOTIONAL_ABOVE_MAX', over.tier, { notional: decimalString(amount), max: over.limit, currency: all.baseCurrency }, 'the notional is above the maximum per order'));
  }
  return amount;
}

function collar(
  order: RiskOrder,
  limits: RiskLimitSet,
  liveReference: Dec | undefined,
  out: RiskFinding[],
  referenceMissing: (tier: RiskPolicy, what: string) => void,
  policy: RiskPolicy,
): void {
  if (limits.priceCollarPercent === undefined || order.price === undefined) return;
  if (liveReference === undefined || liveReference.isZero()) {
    referenceMissing(policy, 'the price collar');
    return;
  }
  const deviation = order.price.minus(liveReference).abs().dividedBy(liveReference).times(100).toDecimalPlaces(2);
  const over = crossed(deviation, limits.priceCollarPercent);
  if (over !== undefined) {
    out.push(
      finding(
        'PRICE_OUTSIDE_COLLAR',
        over.tier,
        { price: decimalString(order.price), reference: decimalString(liveReference), deviationPercent: decimalString(deviation), collarPercent: over.limit },
        'the price is too far from the reference price',
      ),
    );
  }
}

/** Equities and bonds: a short sale needs a locate; a long sale may not exceed the position. */
function shortSale(order: RiskOrder, state: RiskState, tier: RiskPolicy, out: RiskFinding[]): void {
  const cls = order.instrument.assetClass;
  if (cls !== 'equity' && cls !== 'bond') return;
  if (order.side === 'sellShort') {
    if (order.locate !== true) out.push(finding('SHORT_SALE_WITHOUT_LOCATE', tier, { instrument: order.instrument.id }, 'a short sale needs a locate: tick "locate arranged" on the ticket'));
    return;
  }
  if (order.side !== 'sell') return;
  const position = state.position(order.account, order.instrument.id);
  const remaining = order.amending === undefined ? order.quantity : order.quantity.minus(order.amending.cumQty);
  const held = position.isNegative() ? ZERO : position;
  if (remaining.greaterThan(held)) {
    out.push(
      finding('SELL_EXCEEDS_POSITION', tier, { quantity: decimalString(remaining), position: decimalString(position) }, `${order.account} holds less than it would sell: enter the rest as a short sale (with a locate)`),
    );
  }
}

function duplicate(order: RiskOrder, limits: RiskLimitSet, state: RiskState, out: RiskFinding[]): void {
  const seconds = limits.duplicateWindowSeconds ?? 0;
  if (seconds <= 0) return;
  const last = state.lastSameOrderMs(duplicateKey(order.account, order.side, order.instrument.id, order.quantity));
  if (last === undefined || state.nowMs - last >= seconds * 1_000) return;
  const ago = ((state.nowMs - last) / 1_000).toFixed(3);
  out.push(finding('DUPLICATE_ORDER', limits.duplicatePolicy ?? 'warn', { secondsAgo: ago, windowSeconds: String(seconds) }, `the same order (account, side, instrument, quantity) went out ${ago} s ago`));
}

function dailyGross(order: RiskOrder, limits: RiskLimitSet, state: RiskState, notional: Dec | undefined, out: RiskFinding[]): void {
  if (limits.maxDailyGrossNotional === undefined || notional === undefined) return;
  const before = order.amending?.notional;
  const added = before === undefined ? notional : Dec.max(ZERO, notional.minus(before));
  const used = state.dailyGross(order.account);
  const total = used.plus(added);
  const over = crossed(total, limits.maxDailyGrossNotional);
  if (over !== undefined) {
    out.push(
      finding('DAILY_GROSS_NOTIONAL_ABOVE_MAX', over.tier, { used: decimalString(used), order: decimalString(added), total: decimalString(total), max: over.limit }, `${order.account}'s gross notional today would be above its maximum`),
    );
  }
}

function fatFinger(order: RiskOrder, limits: RiskLimitSet, out: RiskFinding[], policy: RiskPolicy, once: (f: RiskFinding) => void): void {
  if (limits.maxPercentOfAdv === undefined) return;
  const adv = limits.averageDailyVolume;
  if (adv === undefined) {
    once(finding('ADV_UNAVAILABLE', policy, { instrument: order.instrument.id, policy }, `no average daily volume for ${order.instrument.id}: the fat-finger check cannot be made, the policy is ${policy}`));
    return;
  }
  const percent = order.quantity.dividedBy(adv).times(100).toDecimalPlaces(2);
  const over = crossed(percent, limits.maxPercentOfAdv);
  if (over !== undefined) {
    out.push(finding('QUANTITY_ABOVE_ADV', over.tier, { quantity: decimalString(order.quantity), adv, percentOfAdv: decimalString(percent), max: over.limit }, 'the quantity is too large a share of the average daily volume'));
  }
}
