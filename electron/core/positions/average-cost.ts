import { Dec, ZERO } from '../decimal/decimal';

/**
 * A holding by the average-cost method, in the instrument's price terms ("price units": quantity ×
 * price, before any multiplier, par or minor-unit factor; `contract-terms.ts#notional` turns them into
 * money). Average cost is the trading desk's intraday default: one cost per position, independent of
 * which lot a fill closes, so a trader's P&L does not depend on lot matching; FIFO lots are an
 * accounting (tax) question the back office answers.
 *
 * The open cost is kept as a sum, not as an average: buying adds quantity × price exactly; a partial
 * close removes its share of the cost (the one rounding, to COST_PLACES) and realises the rest.
 * Whatever that rounding, realised − cost always equals the sum of the trades' cash flows exactly,
 * and a position closed to zero has cost zero: no drift, however many fills.
 */
export interface Holding {
  /** Signed: negative is short. */
  readonly quantity: Dec;
  /** What the open quantity cost (signed like it), in price units. */
  readonly cost: Dec;
  /** Realised P&L since the start of the day, in price units. */
  readonly realised: Dec;
}

export const COST_PLACES = 12;

export const FLAT: Holding = Object.freeze({ quantity: ZERO, cost: ZERO, realised: ZERO });

/** Opens a holding at a start-of-day quantity and cost per unit. */
export function holdingAt(quantity: Dec, price: Dec): Holding {
  return { quantity, cost: quantity.times(price), realised: ZERO };
}

/**
 * One trade: `quantity` signed (a buy is positive), `cash` = quantity × price (signed like it). A
 * trade of no quantity with cash (a broker's restatement of a price) adjusts the cost alone.
 */
export function trade(h: Holding, quantity: Dec, cash: Dec): Holding {
  if (quantity.isZero()) return { ...h, cost: h.cost.plus(cash) };
  const q = h.quantity;
  if (q.isZero() || q.isNegative() === quantity.isNegative()) return { quantity: q.plus(quantity), cost: h.cost.plus(cash), realised: h.realised };
  const after = q.plus(quantity);
  if (after.isZero()) return { quantity: ZERO, cost: ZERO, realised: h.realised.minus(cash).minus(h.cost) };
  if (after.isNegative() === q.isNegative()) {
    // A partial close: its share of the cost leaves, the proceeds beyond it are realised.
    const removed = h.cost.times(quantity.negated()).dividedBy(q).toDecimalPlaces(COST_PLACES, Dec.ROUND_HALF_EVEN);
    return { quantity: after, cost: h.cost.minus(removed), realised: h.realised.minus(cash).minus(removed) };
  }
  // Through zero: the part that closes realises against the whole cost; the rest opens at the trade's price.
  const closingCash = cash.times(q.negated()).dividedBy(quantity).toDecimalPlaces(COST_PLACES, Dec.ROUND_HALF_EVEN);
  return { quantity: after, cost: cash.minus(closingCash), realised: h.realised.minus(closingCash).minus(h.cost) };
}

/** The average cost per unit, or undefined when flat. */
export function averageCost(h: Holding, places = 8): Dec | undefined {
  return h.quantity.isZero() ? undefined : h.cost.dividedBy(h.quantity).toDecimalPlaces(places, Dec.ROUND_HALF_EVEN);
}
