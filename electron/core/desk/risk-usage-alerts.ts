import type { Threshold } from '../config/risk-limits-config';
import { Dec, decimalString } from '../decimal/decimal';
import type { OrderSubmitted } from '../journal/desk-events';
import { accountLimits } from '../risk/limit-resolution';
import type { DeskContext } from './desk-context';
import { raiseAlert } from './desk-context';

/** Usage at or above this share of a limit raises a warning, once, as it crosses it. */
const NEAR = new Dec('0.8');

/**
 * A live effect of an order that went out (never on replay): when it takes its account's daily gross
 * notional or open orders across 80 % of the limit (its block level, else its warn level), a warning
 * alert says so with the figures.
 */
export function warnNearLimits(ctx: DeskContext, event: OrderSubmitted): void {
  const account = event.ticket.account;
  const limits = accountLimits(ctx.models.riskLimits.view.current().limits, account);
  if (limits.maxDailyGrossNotional === undefined && limits.maxOpenOrders === undefined) return; // nothing to be near (every order pays this call)
  const gross = ctx.models.riskUsage.view.dailyGross(account);
  const added = event.risk?.notional !== undefined ? new Dec(event.risk.notional) : undefined;
  if (added !== undefined) crossing(ctx, account, 'daily gross notional', gross.minus(added), gross, limits.maxDailyGrossNotional);
  const open = new Dec(ctx.models.openOrdersByAccount.view.count(account));
  crossing(ctx, account, 'open orders', open.minus(1), open, limits.maxOpenOrders);
}

function crossing(ctx: DeskContext, account: string, what: string, before: Dec, after: Dec, threshold: Threshold | undefined): void {
  const limit = threshold?.block ?? threshold?.warn;
  if (limit === undefined) return;
  const at = new Dec(limit).times(NEAR);
  if (before.greaterThanOrEqualTo(at) || after.lessThan(at)) return;
  const percent = after.times(100).dividedBy(limit).toDecimalPlaces(1);
  raiseAlert(ctx, { level: 'warning', code: 'RISK_LIMIT_NEAR', message: `${account}: ${what} at ${decimalString(percent)} % of its limit (${decimalString(after)} of ${limit})` });
}
