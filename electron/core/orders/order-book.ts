import type { AlertView, ExecutionView } from '../../../shared/contract/views';
import type { DontKnowTradeMessage, ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import type { Fill, Order, OrderEffect } from './order';
import { applyOrderEvent, markUncertain } from './order';
import type { BookBlockSizes } from './order-book-snapshot';
import { BookSnapshots } from './order-book-snapshot';
import type { ExecutionRecord } from './order-views';
import { executionView } from './order-views';

export interface BookChange {
  readonly order?: Order;
  /** Other orders the event changed (a session interruption marks many orders uncertain). */
  readonly orders?: readonly Order[];
  /** Every execution row this event added or changed: the new row, and a row a bust or correction ended. */
  readonly executions: readonly ExecutionView[];
  readonly alerts: readonly AlertView[];
}

const MAX_ALERTS = 500;
const NONE: readonly never[] = Object.freeze([]);

/**
 * All orders and executions: a fold over the journal. `apply` is called for every journaled
 * event, live or on replay, and is deterministic: replay rebuilds exactly the state the desk had.
 * Its snapshots: `snapshots` (order-book-snapshot.ts).
 */
export class OrderBook {
  private readonly orders = new Map<string, Order>();
  /**
   * ClOrdID → orderId, for the ClOrdIDs the orders do not answer by themselves: an order's own id,
   * when it is one of its ClOrdIDs (the first ClOrdID of nearly every order), answers for itself and
   * is not stored; the others (amends, cancels) are, and so is any ClOrdID more than one order claimed.
   */
  private readonly byClOrdId = new Map<string, string>();
  /** ClOrdIDs that more than one order has claimed: the index holds the last claim, which the orders alone cannot tell. */
  private readonly contested = new Set<string>();
  /** broker → the broker's OrderID (37) → orderId. Nested, so no key is built per message. */
  private readonly byBrokerOrderId = new Map<string, Map<string, string>>();
  /**
   * Entries of `byBrokerOrderId` the orders alone do not explain: an OrderID an order no longer has
   * (the broker changed it), or one that more than one order had. Key `broker\u0000OrderID`.
   */
  private readonly brokerOrderIdExtras = new Map<string, readonly [broker: string, brokerOrderId: string]>();
  private readonly executions: ExecutionRecord[] = [];
  /**
   * broker → every ExecID applied (de-duplication) → the index of its execution row, or -1 when it
   * made none (an ack, a cancel, a rejected report…). One map serves `hasExecution` and finding the
   * row a bust or correction ends.
   */
  private readonly seenExecutions = new Map<string, Map<string, number>>();
  private readonly alertLog: AlertView[] = [];
  /** The book's snapshot section; the fold tells it of every entry it replaces. */
  readonly snapshots: BookSnapshots;

  /** `blockSizes`: entries per snapshot block (tests use small ones; not part of the format). */
  constructor(options: { readonly blockSizes?: Partial<BookBlockSizes> } = {}) {
    this.snapshots = new BookSnapshots(
      {
        orders: this.orders,
        byClOrdId: this.byClOrdId,
        contested: this.contested,
        byBrokerOrderId: this.byBrokerOrderId,
        brokerOrderIdExtras: this.brokerOrderIdExtras,
        executions: this.executions,
        seenExecutions: this.seenExecutions,
        alertLog: this.alertLog,
        maxAlerts: MAX_ALERTS,
        orderIdForClOrdId: (clOrdId) => this.orderIdForClOrdId(clOrdId),
        seen: (broker) => this.seen(broker),
        brokerOrderIds: (broker) => this.brokerOrderIds(broker),
      },
      options.blockSizes,
    );
  }

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** Finds the order a broker message is about, by any ClOrdID it has used. */
  orderIdForClOrdId(clOrdId: string): string | undefined {
    const stored = this.byClOrdId.get(clOrdId);
    if (stored !== undefined) return stored;
    return this.orders.get(clOrdId)?.clOrdIds.includes(clOrdId) === true ? clOrdId : undefined;
  }

  /** Finds an order by the broker's own OrderID (tag 37). */
  orderIdForBrokerOrderId(broker: string, brokerOrderId: string): string | undefined {
    this.snapshots.finishRestore();
    return this.byBrokerOrderId.get(broker)?.get(brokerOrderId);
  }

  hasExecution(broker: string, execId: string): boolean {
    this.snapshots.finishRestore();
    return this.seenExecutions.get(broker)?.has(execId) ?? false;
  }

  /** Resolves when the indexes a restore fills after the fact are complete (at once when there are none). */
  restoreComplete(): Promise<void> {
    return this.snapshots.restoreComplete();
  }

  allOrders(): IterableIterator<Order> {
    return this.orders.values();
  }

  allExecutions(): readonly ExecutionRecord[] {
    return this.executions;
  }

  alerts(): readonly AlertView[] {
    return this.alertLog;
  }

  apply(event: DeskEvent, seq: number): BookChange {
    switch (event.type) {
      case 'fixMessageSent':
      case 'sessionAdministered':
      case 'dropCopyReceived':
        return { executions: [], alerts: [] }; // audit only
      case 'dropCopyMismatch': {
        const level = event.kind === 'missingOnDropCopy' ? 'warning' : 'error';
        return { executions: [], alerts: [this.alert(seq, level, `Drop copy mismatch on ${event.broker}: ${event.detail}`, event.at, event.orderId, event.broker)] };
      }
      case 'sessionInterrupted':
        return this.interrupt(event.broker, event.reason, event.at, event.clOrdIds);
      default:
        break;
    }
    if (event.type === 'unmatchedBrokerMessage') {
      const m = event.message;
      if (m.type !== 'executionReport') {
        return { executions: [], alerts: [this.alert(seq, 'error', `${event.broker} sent cancel reject for unknown ClOrdID ${m.clOrdId}`, event.at, undefined, event.broker)] };
      }
      const message = `${event.broker} sent execution report ${m.execId} (${m.execType}) for unknown ClOrdID ${m.clOrdId}: answered with DontKnowTrade (35=Q)`;
      return { executions: [], alerts: [this.alert(seq, 'error', message, event.at, undefined, event.broker)] };
    }
    // Seen before it is applied (an ExecID is de-duplicated even when the report changes nothing).
    let seenBefore = true;
    if (event.type === 'executionReceived' || event.type === 'orderAdopted') {
      this.snapshots.finishRestore();
      const seen = this.seen(event.broker);
      if (!seen.has(event.report.execId)) {
        seen.set(event.report.execId, -1);
        seenBefore = false;
      }
    }

    const before = this.orders.get(event.orderId);
    const result = applyOrderEvent(before, event);
    if (!result.ok) {
      return { executions: [], alerts: [this.alert(seq, 'error', `${event.orderId}: ${event.type} ignored: ${result.reason}`, event.at, event.orderId)] };
    }
    const order = result.order;
    this.setOrder(order);
    // Every ClOrdID of the order points at it (one another order had claimed is taken back).
    for (const id of order.clOrdIds) {
      const stored = this.byClOrdId.get(id);
      if (stored === order.orderId || (stored === undefined && id === order.orderId)) continue;
      this.indexClOrdId(id, order.orderId);
    }
    if (order.brokerOrderId !== undefined || before?.brokerOrderId !== undefined) this.snapshots.finishRestore();
    if (before?.brokerOrderId !== undefined && before.brokerOrderId !== order.brokerOrderId) this.brokerOrderIdExtra(order.broker, before.brokerOrderId);
    if (order.brokerOrderId !== undefined) this.indexBrokerOrderId(order.broker, order.brokerOrderId, order.orderId);

    const effects = result.effects;
    if (effects.length === 0) return { order, executions: NONE, alerts: NONE };
    const executions: ExecutionView[] = [];
    const alerts: AlertView[] = [];
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i] as OrderEffect;
      if (effect.kind === 'execution') {
        const fill = findFill(order.fills, effect.report.execId);
        const base = executionView(order, effect.broker, effect.report, event.at, effect.reconciled);
        // A fill whose bust or correction arrived first (sequence gap) is shown ended from the start.
        const row: ExecutionRecord = fill !== undefined && fill.state !== 'active' ? { ...base, state: fill.state, ...(fill.endedBy !== undefined && { endedBy: fill.endedBy }) } : base;
        this.indexExecution(effect.broker, row.execId, this.executions.length, seenBefore);
        this.executions.push(row);
        executions.push(row);
      } else if (effect.kind === 'executionEnded') {
        const index = this.seenExecutions.get(order.broker)?.get(effect.execId) ?? -1;
        const row = this.executions[index];
        if (row === undefined) continue;
        const ended: ExecutionRecord = { ...row, state: effect.state, endedBy: effect.endedBy };
        this.snapshots.rowReplaced(index, row);
        this.executions[index] = ended;
        executions.push(ended);
      } else {
        alerts.push(this.alert(seq, effect.level, effect.message, event.at, order.orderId, order.broker, i));
      }
    }
    return { order, executions, alerts };
  }

  /** Marks every order of the broker with an unanswered request uncertain. */
  private interrupt(broker: string, reason: 'sessionDropped' | 'deskRestarted' | 'notReplayed', at: string, clOrdIds?: readonly string[]): BookChange {
    const why =
      reason === 'deskRestarted'
        ? 'the desk restarted'
        : reason === 'notReplayed'
          ? `${broker} asked for our messages again and they were gap-filled, not resent,`
          : `the session to ${broker} dropped`;
    const only = clOrdIds === undefined ? undefined : new Set(clOrdIds.map((id) => this.orderIdForClOrdId(id)));
    const orders: Order[] = [];
    for (const order of this.orders.values()) {
      if (order.broker !== broker || (only !== undefined && !only.has(order.orderId))) continue;
      const marked = markUncertain(order, `${why} before the broker answered: checking with ${broker}`, at);
      if (marked === undefined) continue;
      this.setOrder(marked);
      orders.push(marked);
    }
    return { orders, executions: [], alerts: [] };
  }

  /** The book's containers as they stand (copies; the indexes completed first), for tests that compare two books field by field. */
  internals() {
    this.snapshots.finishRestore();
    return {
      orders: [...this.orders],
      byClOrdId: new Map(this.byClOrdId),
      contested: new Set(this.contested),
      byBrokerOrderId: new Map([...this.byBrokerOrderId].map(([broker, ids]) => [broker, new Map(ids)] as const)),
      brokerOrderIdExtras: new Set(this.brokerOrderIdExtras.keys()),
      executions: [...this.executions],
      seenExecutions: new Map([...this.seenExecutions].map(([broker, seen]) => [broker, [...seen]] as const)),
      alerts: [...this.alertLog],
    };
  }

  /** Orders of `broker` whose fate a session interruption would make unknown. */
  awaitingAnswer(broker: string): Order[] {
    return [...this.orders.values()].filter((o) => o.broker === broker && markUncertain(o, '', '') !== undefined);
  }

  private setOrder(order: Order): void {
    this.snapshots.orderReplacing(order.orderId);
    this.orders.set(order.orderId, order);
  }

  private indexClOrdId(clOrdId: string, orderId: string): void {
    const old = this.orderIdForClOrdId(clOrdId);
    if (old !== undefined) {
      this.contested.add(clOrdId);
      this.snapshots.clOrdIdReplaced(clOrdId, old);
    }
    this.byClOrdId.set(clOrdId, orderId);
  }

  private brokerOrderIds(broker: string): Map<string, string> {
    let ids = this.byBrokerOrderId.get(broker);
    if (ids === undefined) {
      ids = new Map();
      this.byBrokerOrderId.set(broker, ids);
    }
    return ids;
  }

  private indexBrokerOrderId(broker: string, brokerOrderId: string, orderId: string): void {
    const ids = this.brokerOrderIds(broker);
    const old = ids.get(brokerOrderId);
    if (old === orderId) return;
    if (old !== undefined) {
      this.brokerOrderIdExtra(broker, brokerOrderId);
      this.snapshots.brokerOrderIdReplaced(broker, brokerOrderId, old);
    }
    ids.set(brokerOrderId, orderId);
  }

  private brokerOrderIdExtra(broker: string, brokerOrderId: string): void {
    const key = `${broker}\u0000${brokerOrderId}`;
    if (!this.brokerOrderIdExtras.has(key)) this.brokerOrderIdExtras.set(key, [broker, brokerOrderId]);
  }

  private seen(broker: string): Map<string, number> {
    let seen = this.seenExecutions.get(broker);
    if (seen === undefined) {
      seen = new Map();
      this.seenExecutions.set(broker, seen);
    }
    return seen;
  }

  private indexExecution(broker: string, execId: string, index: number, seenBefore: boolean): void {
    const seen = this.seen(broker);
    this.snapshots.execIdIndexing(broker, execId, seenBefore);
    seen.set(execId, index);
  }

  private alert(
    seq: number,
    level: AlertView['level'],
    message: string,
    at: string,
    orderId?: string,
    broker?: string,
    index = 0,
  ): AlertView {
    const alert: AlertView = {
      id: `A-${seq}-${index}`,
      level,
      message,
      at,
      ...(orderId !== undefined && { orderId }),
      ...(broker !== undefined && { broker }),
    };
    this.alertLog.push(alert);
    if (this.alertLog.length > MAX_ALERTS) this.alertLog.splice(0, this.alertLog.length - MAX_ALERTS);
    return alert;
  }
}

/** The fill with this ExecID: usually the one just added, so searched from the end. */
function findFill(fills: readonly Fill[], execId: string): Fill | undefined {
  for (let i = fills.length - 1; i >= 0; i--) if (fills[i]?.execId === execId) return fills[i];
  return undefined;
}

/** DontKnowTrade (35=Q) for an execution report about an order we do not know. */
export function dontKnowTradeFor(m: ExecutionReportMessage): DontKnowTradeMessage {
  return {
    type: 'dontKnowTrade',
    brokerOrderId: m.brokerOrderId ?? 'NONE',
    execId: m.execId,
    reason: 'noMatchingOrder',
    symbol: m.symbol ?? '[N/A]',
    side: m.side ?? 'buy',
    quantity: m.orderQty ?? m.lastQty ?? m.cumQty,
    ...(m.lastQty !== undefined && { lastQty: m.lastQty }),
    ...(m.lastPx !== undefined && { lastPx: m.lastPx }),
    text: `no order with ClOrdID ${m.clOrdId}`,
  };
}
