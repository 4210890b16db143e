import type { Decimal } from 'decimal.js';
import type { ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../shared/domain/order-types';
import { Dec, decimalText } from './sim-decimal';
import type { FillSettings } from './simulator-config';

/**
 * The simulated broker's order book: pure logic, no FIX, no timers. Each method takes a request and
 * returns the reports to send, in order. Prices come from the market through `quote`.
 */

export interface MarketQuote {
  readonly price: Decimal;
  readonly liquidity: Decimal;
}

/**
 * A broker algo order's terms: its strategy, the share of the order a fill round executes, and the
 * window it works in (its StartTime / EndTime, ms since the epoch): nothing before the start, the
 * order spread evenly to the end, the rest cancelled at the end.
 */
export interface AlgoTerms {
  readonly strategy: string;
  readonly sliceFraction: number;
  readonly startMs?: number;
  readonly endMs?: number;
}

export interface NewOrderRequest {
  readonly clOrdId: string;
  readonly account?: string;
  /** Symbol (55) as received: echoed when the instrument is unknown. */
  readonly symbol: string;
  /** The instrument the order's Instrument fields name (the market's key), or undefined when they name none. */
  readonly instrument: string | undefined;
  /** Why the Instrument fields name no instrument the broker trades. */
  readonly instrumentProblem?: string;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Exact text as received; validated here. */
  readonly quantity: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly timeInForce: TimeInForce;
  readonly expireDate?: string;
  /** The broker's own algo the order names (sim-broker-algos.ts): worked in slices of this share of it, or refused. */
  readonly algo?: AlgoTerms | { readonly refused: string };
}

export interface ReplaceRequest extends NewOrderRequest {
  readonly origClOrdId: string;
  readonly orderId?: string;
}

export interface CancelRequest {
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly orderId?: string;
  readonly symbol?: string;
  readonly side?: Side;
}

export interface StatusRequest {
  readonly clOrdId: string;
  /** OrdStatusReqID (790): echoed on the answer, as real engines do. */
  readonly ordStatusReqId?: string;
  readonly orderId?: string;
  readonly symbol?: string;
  readonly side?: Side;
}

/** OrdRejReason (103) values the simulator uses. */
export type OrdRejReason = 'unknownSymbol' | 'incorrectQuantity' | 'duplicateOrder' | 'unsupportedOrderCharacteristic' | 'other';
/** CxlRejReason (102) values the simulator uses. */
export type CxlRejReason = 'tooLateToCancel' | 'unknownOrder' | 'duplicateClOrdId' | 'other';

export interface ExecutionReport {
  readonly kind: 'execution';
  readonly execId: string;
  readonly execType: ExecType;
  readonly ordStatus: OrderStatus;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly origClOrdId?: string;
  readonly account?: string;
  readonly symbol: string;
  /** The order's instrument (the market's key): its Instrument fields go out with the report. */
  readonly instrument?: string;
  readonly side?: Side;
  readonly orderType?: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly expireDate?: string;
  readonly orderQty?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
  readonly cumQty: string;
  readonly leavesQty: string;
  readonly avgPx: string;
  readonly ordRejReason?: OrdRejReason;
  /** ExecRefID (19): the execution a bust or correction refers to (scripted reports). */
  readonly execRefId?: string;
  /** ExecRestatementReason (378) code, e.g. '1' GT renewal, '6' cancel on trading halt (scripted reports). */
  readonly execRestatementReason?: string;
  readonly text?: string;
  /** An answer to an OrderMassStatusRequest: MassStatusReqID (584), TotNumReports (911), LastRptRequested (912). */
  readonly massStatus?: { readonly reqId: string; readonly total: number; readonly last: boolean };
  /** An answer to an OrderStatusRequest that carried OrdStatusReqID (790): echoed. */
  readonly ordStatusReqId?: string;
}

export interface CancelReject {
  readonly kind: 'cancelReject';
  readonly orderId: string;
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly ordStatus: OrderStatus;
  readonly responseTo: 'cancel' | 'replace';
  readonly reason: CxlRejReason;
  readonly text: string;
}

export type Report = ExecutionReport | CancelReject;

/** The simulator's truth about one order (GET /brokers/<name>/orders). */
export interface OrderTruth {
  readonly clOrdIds: readonly string[];
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly orderQty: string;
  readonly cumQty: string;
  readonly leavesQty: string;
  readonly avgPx: string;
  readonly executions: ReadonlyArray<{ readonly execId: string; readonly lastQty: string; readonly lastPx: string }>;
}

/** The order book as JSON (decimals as text). */
export interface EngineSnapshot {
  readonly orders: ReadonlyArray<
    Omit<Order, 'quantity' | 'limitPrice' | 'stopPrice' | 'cumQty' | 'notional'> & {
      quantity: string;
      limitPrice?: string | undefined;
      stopPrice?: string | undefined;
      cumQty: string;
      notional: string;
    }
  >;
  readonly seenClOrdIds: readonly string[];
}

/** Unknown order placeholder for OrderID (37), as brokers send it. */
export const NO_ORDER_ID = 'NONE';
/** AvgPx is rounded half-even to this many decimal places (an average is rarely a finite decimal). */
export const AVG_PX_DECIMALS = 8;

interface Order {
  readonly orderId: string;
  clOrdId: string;
  /** Every ClOrdID the order had, first to current. */
  readonly clOrdIds: string[];
  readonly executions: Array<{ readonly execId: string; readonly lastQty: string; readonly lastPx: string }>;
  readonly account?: string;
  readonly symbol: string;
  readonly instrument: string;
  readonly side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  expireDate?: string;
  quantity: Decimal;
  limitPrice?: Decimal;
  stopPrice?: Decimal;
  /** A stop that has triggered now works as a market (stop) or limit (stop-limit) order. */
  triggered: boolean;
  cumQty: Decimal;
  notional: Decimal;
  status: OrderStatus;
  /** A broker algo order: its strategy, the share of the order each fill round executes, its window. */
  algo?: AlgoTerms;
}

export interface OrderEngineOptions {
  /** The market an order on `instrument` of `side` trades against (a buyer: the offer), or undefined for an instrument not traded. */
  readonly quote: (instrument: string, side: Side) => MarketQuote | undefined;
  readonly nextOrderId: () => string;
  readonly nextExecId: () => string;
  readonly fills: FillSettings;
  /** The time now (ms since the epoch): a broker algo's window. Default: the system's. */
  readonly now?: () => number;
}

const DONE: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired', 'doneForDay']);
const ZERO = new Dec(0);

export class OrderEngine {
  private readonly orders: Order[] = [];
  private readonly byClOrdId = new Map<string, Order>();
  private readonly byOrderId = new Map<string, Order>();
  private readonly seenClOrdIds = new Set<string>();

  constructor(private readonly options: OrderEngineOptions) {}

  /** Every ClOrdID received (new, cancel, replace), in order of arrival, duplicates included. */
  readonly received: string[] = [];

  newOrder(request: NewOrderRequest): Report[] {
    const duplicate = this.noteClOrdId(request.clOrdId);
    const reject = (reason: OrdRejReason, text: string): Report[] => [this.rejectNew(request, reason, text)];
    if (duplicate) return reject('duplicateOrder', `duplicate ClOrdID ${request.clOrdId}`);
    const quote = request.instrument === undefined ? undefined : this.options.quote(request.instrument, request.side);
    if (request.instrument === undefined || quote === undefined) return reject('unknownSymbol', `unknown symbol: ${request.instrumentProblem ?? `no instrument ${request.instrument ?? request.symbol}`}`);
    const checked = checkOrderTerms(request);
    if (typeof checked === 'string') return reject(checked.startsWith('quantity') ? 'incorrectQuantity' : 'other', checked);
    if (request.algo !== undefined && 'refused' in request.algo) return reject('unsupportedOrderCharacteristic', request.algo.refused);
    const algo = request.algo;
    if (algo?.endMs !== undefined && algo.endMs <= this.now()) return reject('other', `${algo.strategy} EndTime ${new Date(algo.endMs).toISOString()} has passed`);
    const order: Order = {
      orderId: this.options.nextOrderId(),
      clOrdId: request.clOrdId,
      clOrdIds: [request.clOrdId],
      executions: [],
      ...(request.account !== undefined ? { account: request.account } : {}),
      symbol: request.symbol,
      instrument: request.instrument,
      side: request.side,
      orderType: request.orderType,
      timeInForce: request.timeInForce,
      ...(request.expireDate !== undefined ? { expireDate: request.expireDate } : {}),
      ...checked,
      ...(request.algo !== undefined && { algo: request.algo }),
      triggered: false,
      cumQty: ZERO,
      notional: ZERO,
      status: 'new',
    };
    this.orders.push(order);
    this.byClOrdId.set(order.clOrdId, order);
    this.byOrderId.set(order.orderId, order);
    const reports: Report[] = [this.report(order, 'new')];
    if (order.timeInForce === 'ioc' || order.timeInForce === 'fok') reports.push(...this.fillImmediately(order, quote));
    return reports;
  }

  cancel(request: CancelRequest): Report[] {
    const duplicate = this.noteClOrdId(request.clOrdId);
    const order = this.find(request.origClOrdId, request.orderId);
    const reject = (reason: CxlRejReason, text: string) => [this.cancelReject(request, order, 'cancel', reason, text)];
    if (order === undefined) return reject('unknownOrder', `unknown order ${request.origClOrdId}`);
    if (duplicate) return reject('duplicateClOrdId', `duplicate ClOrdID ${request.clOrdId}`);
    if (DONE.has(order.status)) return reject('tooLateToCancel', `too late to cancel: order is ${order.status}`);
    const origClOrdId = order.clOrdId;
    const previous = order.status;
    order.status = 'pendingCancel';
    const pending = this.report(order, 'pendingCancel', { clOrdId: request.clOrdId, origClOrdId });
    order.status = previous;
    this.rename(order, request.clOrdId);
    order.status = 'canceled';
    return [pending, this.report(order, 'canceled', { origClOrdId })];
  }

  replace(request: ReplaceRequest): Report[] {
    const duplicate = this.noteClOrdId(request.clOrdId);
    const order = this.find(request.origClOrdId, request.orderId);
    const reject = (reason: CxlRejReason, text: string) => [this.cancelReject(request, order, 'replace', reason, text)];
    if (order === undefined) return reject('unknownOrder', `unknown order ${request.origClOrdId}`);
    if (duplicate) return reject('duplicateClOrdId', `duplicate ClOrdID ${request.clOrdId}`);
    if (DONE.has(order.status)) return reject('tooLateToCancel', `too late to replace: order is ${order.status}`);
    if (request.instrument !== order.instrument) return reject('other', `cannot change the instrument of an order (${order.instrument} to ${request.instrument ?? request.symbol})`);
    if (request.side !== order.side) return reject('other', `cannot change the side of an order (${order.side} to ${request.side})`);
    const checked = checkOrderTerms(request);
    if (typeof checked === 'string') return reject('other', checked);
    if (request.algo !== undefined && 'refused' in request.algo) return reject('other', request.algo.refused);
    const strategy = request.algo !== undefined && 'strategy' in request.algo ? request.algo.strategy : undefined;
    if (strategy !== order.algo?.strategy) return reject('other', `cannot change the strategy of an order (${order.algo?.strategy ?? 'none'} to ${strategy ?? 'none'})`);
    if (checked.quantity.lessThan(order.cumQty)) {
      return reject('other', `new quantity ${decimalText(checked.quantity)} is below the executed quantity ${decimalText(order.cumQty)}`);
    }
    const origClOrdId = order.clOrdId;
    const previous = order.status;
    order.status = 'pendingReplace';
    const pending = this.report(order, 'pendingReplace', { clOrdId: request.clOrdId, origClOrdId });
    order.status = previous;
    this.rename(order, request.clOrdId);
    order.orderType = request.orderType;
    order.timeInForce = request.timeInForce;
    order.expireDate = request.expireDate;
    order.quantity = checked.quantity;
    order.limitPrice = checked.limitPrice;
    order.stopPrice = checked.stopPrice;
    if (request.algo !== undefined && 'strategy' in request.algo) order.algo = request.algo;
    if (order.orderType !== 'stop' && order.orderType !== 'stopLimit') order.triggered = false;
    order.status = order.cumQty.equals(order.quantity) ? 'filled' : order.cumQty.isZero() ? 'new' : 'partiallyFilled';
    return [pending, this.report(order, 'replaced', { origClOrdId })];
  }

  status(request: StatusRequest): Report[] {
    const order = this.find(request.clOrdId, request.orderId);
    const reqId = request.ordStatusReqId !== undefined ? { ordStatusReqId: request.ordStatusReqId } : {};
    if (order === undefined) {
      return [
        {
          ...reqId,
          kind: 'execution',
          execId: this.options.nextExecId(),
          execType: 'orderStatus',
          ordStatus: 'rejected',
          orderId: request.orderId ?? NO_ORDER_ID,
          clOrdId: request.clOrdId,
          symbol: request.symbol ?? '[N/A]',
          ...(request.side !== undefined ? { side: request.side } : {}),
          cumQty: '0',
          leavesQty: '0',
          avgPx: '0',
          text: 'unknown order',
        },
      ];
    }
    return [{ ...this.report(order, 'orderStatus'), ...reqId }];
  }

  /**
   * One fill round: stops that the price crossed trigger, marketable orders fill a slice. A broker
   * algo order works only in its window: not before its StartTime; spread evenly to its EndTime
   * (done by the last round before it); at its EndTime the rest is cancelled.
   */
  fillRound(nowMs: number = this.now()): Report[] {
    const reports: Report[] = [];
    for (const order of this.orders) {
      if (DONE.has(order.status)) continue;
      const algo = order.algo;
      if (algo?.endMs !== undefined && nowMs >= algo.endMs) {
        order.status = 'canceled';
        reports.push(this.report(order, 'canceled', { text: `${algo.strategy} EndTime reached: ${decimalText(leaves(order))} not done, cancelled` }));
        continue;
      }
      if (algo?.startMs !== undefined && nowMs < algo.startMs) continue;
      const quote = this.options.quote(order.instrument, order.side);
      if (quote === undefined) continue;
      this.trigger(order, quote);
      if (!this.options.fills.enabled || !isMarketable(order, quote.price)) continue;
      const slice = Dec.min(this.sliceOf(order, nowMs), quote.liquidity, leaves(order));
      if (slice.greaterThan(0)) reports.push(this.fill(order, slice, quote.price));
    }
    this.prune();
    return reports;
  }

  /** What one round fills: a share of the order; in an algo's window, what keeps it on a straight line to the end. */
  private sliceOf(order: Order, nowMs: number): Decimal {
    const algo = order.algo;
    if (algo?.startMs === undefined || algo.endMs === undefined) return sliceQuantity(order.quantity, algo?.sliceFraction ?? this.options.fills.fraction);
    // Done by the round before the end: the target is where the line stands at the next round.
    const share = Math.min(1, (nowMs + this.options.fills.intervalMs - algo.startMs) / (algo.endMs - algo.startMs));
    const target = share >= 1 ? order.quantity : order.quantity.times(new Dec(String(share))).toDecimalPlaces(order.quantity.decimalPlaces(), Dec.ROUND_DOWN);
    return target.minus(order.cumQty);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private fillImmediately(order: Order, quote: MarketQuote): Report[] {
    this.trigger(order, quote);
    const marketable = this.options.fills.enabled && isMarketable(order, quote.price);
    const reports: Report[] = [];
    if (order.timeInForce === 'fok') {
      if (marketable && leaves(order).lessThanOrEqualTo(quote.liquidity)) return [this.fill(order, leaves(order), quote.price)];
      order.status = 'canceled';
      const why = marketable ? `only ${decimalText(quote.liquidity)} available` : 'not marketable';
      return [this.report(order, 'canceled', { text: `fill or kill: ${why}, order killed` })];
    }
    if (marketable) reports.push(this.fill(order, Dec.min(leaves(order), quote.liquidity), quote.price));
    if (leaves(order).greaterThan(0)) {
      order.status = 'canceled';
      reports.push(this.report(order, 'canceled', { text: `immediate or cancel: ${decimalText(leaves(order))} not immediately available, canceled` }));
    }
    return reports;
  }

  private trigger(order: Order, quote: MarketQuote): void {
    if (order.triggered || order.stopPrice === undefined) return;
    if (order.orderType !== 'stop' && order.orderType !== 'stopLimit') return;
    const crossed = order.side === 'buy' ? quote.price.greaterThanOrEqualTo(order.stopPrice) : quote.price.lessThanOrEqualTo(order.stopPrice);
    if (crossed) order.triggered = true;
  }

  private fill(order: Order, quantity: Decimal, price: Decimal): ExecutionReport {
    order.cumQty = order.cumQty.plus(quantity);
    order.notional = order.notional.plus(quantity.times(price));
    order.status = order.cumQty.equals(order.quantity) ? 'filled' : 'partiallyFilled';
    const report = this.report(order, 'trade', { lastQty: decimalText(quantity), lastPx: decimalText(price) });
    order.executions.push({ execId: report.execId, lastQty: decimalText(quantity), lastPx: decimalText(price) });
    return report;
  }

  /** True when the book has the order a cancel, replace or status request names (by any ClOrdID of its chain, or its OrderID). */
  hasOrder(clOrdId: string, orderId?: string): boolean {
    return this.find(clOrdId, orderId) !== undefined;
  }

  /** True when a request with this ClOrdID was accepted before (any order's chain). */
  knows(clOrdId: string): boolean {
    return this.byClOrdId.has(clOrdId);
  }

  /** OrderMassStatusRequest: one status report per open order; one 'no orders' report when there are none. */
  massStatus(reqId: string): Report[] {
    const open = [...this.byOrderId.values()].filter((o) => !DONE.has(o.status));
    if (open.length === 0) {
      return [
        {
          kind: 'execution',
          execId: this.options.nextExecId(),
          execType: 'orderStatus',
          ordStatus: 'rejected',
          orderId: NO_ORDER_ID,
          clOrdId: NO_ORDER_ID,
          symbol: '[N/A]',
          cumQty: '0',
          leavesQty: '0',
          avgPx: '0',
          text: 'no open orders',
          massStatus: { reqId, total: 0, last: true },
        },
      ];
    }
    return open.map((o, i) => ({ ...this.report(o, 'orderStatus'), massStatus: { reqId, total: open.length, last: i === open.length - 1 } }));
  }

  /** The broker's truth per order, for tests. */
  truth(): OrderTruth[] {
    return [...this.byOrderId.values()].map((o) => ({
      clOrdIds: [...o.clOrdIds],
      orderId: o.orderId,
      status: o.status,
      orderQty: decimalText(o.quantity),
      cumQty: decimalText(o.cumQty),
      leavesQty: DONE.has(o.status) ? '0' : decimalText(leaves(o)),
      avgPx: averagePrice(o),
      executions: o.executions.map((e) => ({ ...e })),
    }));
  }

  /** Everything needed to be the same broker after a restart. */
  snapshot(): EngineSnapshot {
    return {
      orders: [...this.byOrderId.values()].map((o) => ({
        ...o,
        clOrdIds: [...o.clOrdIds],
        executions: [...o.executions],
        quantity: decimalText(o.quantity),
        limitPrice: o.limitPrice !== undefined ? decimalText(o.limitPrice) : undefined,
        stopPrice: o.stopPrice !== undefined ? decimalText(o.stopPrice) : undefined,
        cumQty: decimalText(o.cumQty),
        notional: o.notional.toString(),
      })),
      seenClOrdIds: [...this.seenClOrdIds],
    };
  }

  restore(snapshot: EngineSnapshot): void {
    for (const s of snapshot.orders) {
      const order: Order = {
        ...s,
        clOrdIds: [...s.clOrdIds],
        executions: [...s.executions],
        quantity: new Dec(s.quantity),
        limitPrice: s.limitPrice !== undefined ? new Dec(s.limitPrice) : undefined,
        stopPrice: s.stopPrice !== undefined ? new Dec(s.stopPrice) : undefined,
        cumQty: new Dec(s.cumQty),
        notional: new Dec(s.notional),
      };
      this.byOrderId.set(order.orderId, order);
      for (const id of order.clOrdIds) this.byClOrdId.set(id, order);
      if (!DONE.has(order.status)) this.orders.push(order);
    }
    for (const id of snapshot.seenClOrdIds) this.seenClOrdIds.add(id);
  }

  private report(
    order: Order,
    execType: ExecType,
    extra: { clOrdId?: string; origClOrdId?: string; lastQty?: string; lastPx?: string; text?: string } = {},
  ): ExecutionReport {
    return {
      kind: 'execution',
      execId: this.options.nextExecId(),
      execType,
      ordStatus: order.status,
      orderId: order.orderId,
      clOrdId: extra.clOrdId ?? order.clOrdId,
      ...(extra.origClOrdId !== undefined ? { origClOrdId: extra.origClOrdId } : {}),
      ...(order.account !== undefined ? { account: order.account } : {}),
      symbol: order.symbol,
      instrument: order.instrument,
      side: order.side,
      orderType: order.orderType,
      timeInForce: order.timeInForce,
      ...(order.expireDate !== undefined ? { expireDate: order.expireDate } : {}),
      orderQty: decimalText(order.quantity),
      ...(order.limitPrice !== undefined ? { limitPrice: decimalText(order.limitPrice) } : {}),
      ...(order.stopPrice !== undefined ? { stopPrice: decimalText(order.stopPrice) } : {}),
      ...(extra.lastQty !== undefined ? { lastQty: extra.lastQty, lastPx: extra.lastPx } : {}),
      cumQty: decimalText(order.cumQty),
      leavesQty: DONE.has(order.status) ? '0' : decimalText(leaves(order)),
      avgPx: averagePrice(order),
      ...(extra.text !== undefined ? { text: extra.text } : {}),
    };
  }

  /** A request the FIX layer could not read (missing ClOrdID, unknown side...): refused, nothing recorded but the ClOrdID. */
  unreadable(kind: 'new' | 'cancel' | 'replace' | 'status', ids: { clOrdId: string; origClOrdId?: string; symbol?: string }, text: string): Report[] {
    this.received.push(ids.clOrdId);
    if (kind === 'cancel' || kind === 'replace') {
      return [this.cancelReject({ clOrdId: ids.clOrdId, origClOrdId: ids.origClOrdId ?? NO_ORDER_ID }, undefined, kind, 'other', text)];
    }
    return [
      {
        kind: 'execution',
        execId: this.options.nextExecId(),
        execType: kind === 'status' ? 'orderStatus' : 'rejected',
        ordStatus: 'rejected',
        orderId: NO_ORDER_ID,
        clOrdId: ids.clOrdId,
        symbol: ids.symbol ?? '[N/A]',
        cumQty: '0',
        leavesQty: '0',
        avgPx: '0',
        ...(kind === 'new' ? { ordRejReason: 'other' as const } : {}),
        text,
      },
    ];
  }

  private rejectNew(request: NewOrderRequest, reason: OrdRejReason, text: string): ExecutionReport {
    return {
      kind: 'execution',
      execId: this.options.nextExecId(),
      execType: 'rejected',
      ordStatus: 'rejected',
      orderId: NO_ORDER_ID,
      clOrdId: request.clOrdId,
      ...(request.account !== undefined ? { account: request.account } : {}),
      symbol: request.symbol,
      side: request.side,
      orderType: request.orderType,
      timeInForce: request.timeInForce,
      ...(isDecimalText(request.quantity) ? { orderQty: request.quantity } : {}),
      cumQty: '0',
      leavesQty: '0',
      avgPx: '0',
      ordRejReason: reason,
      text,
    };
  }

  private cancelReject(request: CancelRequest, order: Order | undefined, responseTo: 'cancel' | 'replace', reason: CxlRejReason, text: string): CancelReject {
    return {
      kind: 'cancelReject',
      orderId: order?.orderId ?? NO_ORDER_ID,
      clOrdId: request.clOrdId,
      origClOrdId: request.origClOrdId,
      ordStatus: order?.status ?? 'rejected',
      responseTo,
      reason,
      text,
    };
  }

  /** Records the ClOrdID; true when it was seen before. */
  private noteClOrdId(clOrdId: string): boolean {
    this.received.push(clOrdId);
    if (this.seenClOrdIds.has(clOrdId)) return true;
    this.seenClOrdIds.add(clOrdId);
    return false;
  }

  /** Finds an order by any ClOrdID of its chain, else by OrderID. */
  private find(clOrdId: string, orderId: string | undefined): Order | undefined {
    return this.byClOrdId.get(clOrdId) ?? (orderId !== undefined ? this.byOrderId.get(orderId) : undefined);
  }

  private rename(order: Order, clOrdId: string): void {
    order.clOrdId = clOrdId;
    order.clOrdIds.push(clOrdId);
    this.byClOrdId.set(clOrdId, order);
  }

  /** Done orders stay findable (status, late cancels) but leave the working list. */
  private prune(): void {
    let w = 0;
    for (const order of this.orders) if (!DONE.has(order.status)) this.orders[w++] = order;
    this.orders.length = w;
  }
}

function leaves(order: Order): Decimal {
  return order.quantity.minus(order.cumQty);
}

function averagePrice(order: Order): string {
  if (order.cumQty.isZero()) return '0';
  return decimalText(order.notional.dividedBy(order.cumQty).toDecimalPlaces(AVG_PX_DECIMALS, Dec.ROUND_HALF_EVEN));
}

/** Can the order trade at this market price now? Fill price is the market price, never worse than the limit. */
export function isMarketable(order: { side: Side; orderType: OrderType; limitPrice?: Decimal; stopPrice?: Decimal; triggered: boolean }, price: Decimal): boolean {
  const isStop = order.orderType === 'stop' || order.orderType === 'stopLimit';
  if (isStop && !order.triggered) return false;
  if (order.orderType === 'market' || order.orderType === 'stop') return true;
  if (order.limitPrice === undefined) return false;
  return order.side === 'buy' ? price.lessThanOrEqualTo(order.limitPrice) : price.greaterThanOrEqualTo(order.limitPrice);
}

/** A share of the order quantity, rounded down to the quantity's own decimals, at least one unit of them. */
export function sliceQuantity(quantity: Decimal, fraction: number): Decimal {
  const places = quantity.decimalPlaces();
  const unit = new Dec(1).dividedBy(new Dec(10).pow(places));
  const slice = quantity.times(new Dec(String(fraction))).toDecimalPlaces(places, Dec.ROUND_DOWN);
  return Dec.max(slice, unit);
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
function isDecimalText(value: string): boolean {
  return DECIMAL_TEXT.test(value);
}

/** Checks quantity and prices against the order type; returns the parsed terms or what is wrong. */
function checkOrderTerms(request: NewOrderRequest): { quantity: Decimal; limitPrice?: Decimal; stopPrice?: Decimal } | string {
  if (!isDecimalText(request.quantity)) return `quantity '${request.quantity}' is not a number`;
  const quantity = new Dec(request.quantity);
  if (quantity.lessThanOrEqualTo(0)) return `quantity must be positive, got ${request.quantity}`;
  const needsLimit = request.orderType === 'limit' || request.orderType === 'stopLimit';
  const needsStop = request.orderType === 'stop' || request.orderType === 'stopLimit';
  const price = (name: string, value: string | undefined, needed: boolean): Decimal | string | undefined => {
    if (!needed) return undefined;
    if (value === undefined) return `${name} is required for a ${request.orderType} order`;
    if (!isDecimalText(value) || new Dec(value).lessThanOrEqualTo(0)) return `${name} must be a positive number, got '${value}'`;
    return new Dec(value);
  };
  const limitPrice = price('limit price (44)', request.limitPrice, needsLimit);
  if (typeof limitPrice === 'string') return limitPrice;
  const stopPrice = price('stop price (99)', request.stopPrice, needsStop);
  if (typeof stopPrice === 'string') return stopPrice;
  if (request.timeInForce === 'gtd' && request.expireDate === undefined) return 'expire date (432) is required for a GTD order';
  return { quantity, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
}
