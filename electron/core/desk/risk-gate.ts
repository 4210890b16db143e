import type { RiskOverride, RiskPreview } from '../../../shared/contract/risk';
import type { Result } from '../../../shared/contract/result';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import type { Side } from '../../../shared/domain/order-types';
import { Dec, decimalString } from '../decimal/decimal';
import type { RiskStamp } from '../journal/desk-events';
import type { Order } from '../orders/order';
import type { RiskOrder, RiskState } from '../risk/pre-trade-checks';
import { assessOrder } from '../risk/pre-trade-checks';
import type { RiskVerdict } from '../risk/risk-verdict';
import { mayOverride, refusalText, riskVerdict } from '../risk/risk-verdict';
import type { DeskContext } from './desk-context';

/**
 * THE GATE: every new order, amend and algo child passes the pre-trade checks (risk/) here, in the
 * command path before anything is journaled. What it reads is folded from the journal (limits,
 * trading state, usage, positions) plus the live reference price; the clock is the desk's.
 */
export type GateOutcome = { readonly ok: true; readonly stamp?: RiskStamp } | { readonly ok: false; readonly verdict: Extract<RiskVerdict, { kind: 'refused' }> };

export function riskState(ctx: DeskContext): RiskState {
  const usage = ctx.models.riskUsage.view;
  return {
    limits: ctx.models.riskLimits.view.current().limits,
    mode: ctx.models.tradingState.view.state().mode,
    nowMs: ctx.clock.now().getTime(),
    reference: (instrumentId) => referencePrice(ctx.quote(instrumentId)),
    position: (account, instrumentId) => new Dec(ctx.positions.quantity(account, instrumentId)),
    dailyGross: (account) => usage.dailyGross(account),
    openOrders: (account) => ctx.models.openOrdersByAccount.view.count(account),
    lastSameOrderMs: (key) => usage.lastSameOrderMs(key),
    bucket: (broker) => usage.bucket(broker),
  };
}

/** The checks on an order about to be journaled, and what to journal with it. */
export function gate(ctx: DeskContext, order: RiskOrder, override: RiskOverride | undefined): GateOutcome {
  const state = riskState(ctx);
  const assessment = assessOrder(order, state);
  const verdict = riskVerdict(assessment.findings, state.limits, ctx.operator, override);
  if (verdict.kind === 'refused') return { ok: false, verdict };
  const notional = assessment.notional !== undefined ? { notional: decimalString(assessment.notional) } : {};
  if (verdict.kind === 'overridden') return { ok: true, stamp: { ...notional, overridden: { by: verdict.by, reason: verdict.reason, warnings: verdict.warnings } } };
  return { ok: true, ...(assessment.notional !== undefined && { stamp: notional }) };
}

/** What the ticket shows before sending: nothing is journaled or consumed. */
export function previewRisk(ctx: DeskContext, order: RiskOrder): RiskPreview {
  const state = riskState(ctx);
  return { findings: assessOrder(order, state).findings, canOverride: mayOverride(state.limits, ctx.operator), tradingState: ctx.models.tradingState.view.state() };
}

export function newOrderForRisk(
  ticket: { readonly account: string; readonly broker: string; readonly side: Side; readonly quantity: string; readonly limitPrice?: string; readonly stopPrice?: string; readonly locate?: boolean },
  instrument: Instrument,
): RiskOrder {
  const price = ticket.limitPrice ?? ticket.stopPrice;
  return {
    account: ticket.account,
    broker: ticket.broker,
    instrument,
    side: ticket.side,
    quantity: new Dec(ticket.quantity),
    ...(price !== undefined && { price: new Dec(price) }),
    ...(ticket.locate !== undefined && { locate: ticket.locate }),
  };
}

export function amendForRisk(ctx: DeskContext, order: Order, quantity: Dec, price: Dec | undefined): RiskOrder {
  const notional = ctx.models.riskUsage.view.orderNotional(order.orderId);
  return {
    account: order.account,
    broker: order.broker,
    instrument: order.instrument,
    side: order.side,
    quantity,
    ...(price !== undefined && { price }),
    locate: true, // a short sale's locate was checked when it went out
    amending: { cumQty: order.cumQty, ...(notional !== undefined && { notional }) },
  };
}

export function riskRefusal(verdict: Extract<RiskVerdict, { kind: 'refused' }>): Result<never> {
  const blocked = verdict.code === 'RISK_BLOCKED';
  const message = `${blocked ? 'blocked by the pre-trade checks' : 'the pre-trade checks warn: override with a reason to send'}: ${refusalText(verdict.findings)}`;
  return { ok: false, error: { code: 'RISK_REFUSED', message, risk: verdict.findings } };
}

/** The reference price: the mid when both sides are quoted, else the last trade. */
function referencePrice(quote: QuoteView | undefined): { readonly price: Dec; readonly stale: boolean } | undefined {
  if (quote === undefined || quote.rejected !== undefined) return undefined;
  if (quote.bid !== undefined && quote.ask !== undefined) return { price: new Dec(quote.bid).plus(quote.ask).dividedBy(2), stale: quote.stale };
  if (quote.last !== undefined) return { price: new Dec(quote.last), stale: quote.stale };
  return undefined;
}
