import type { AlertLevel, ExecutionView } from '../../../shared/contract/views';
import type { DontKnowTradeMessage, ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import type { Fill, Order, OrderEffect } from './order';
import { applyOrderEvent, markUncertain } from './order';
import type { BookBlockSizes } from './order-book-snapshot';
import { BookSnapshots } from './order-book-snapshot';
import type { ExecutionRecord } from './order-views';
import { executionView } from './order-views';

/** An alert the fold raised; the desk journals it (desk/alert-log.ts keeps the list). */
export interface AlertDraft {
  readonly level: AlertLevel;
  readonly code: string;
  readonly message: string;
  readonly orderId?: string;
  readonly broker?: string;
}

export interface BookChange {
  readonly order?: Order;
  /** Other orders the event changed (a session interruption marks many orders uncertain). */
  readonly orders?: readonly Order[];
  /** Every execution row this event added or changed: the new row, and a row a bust or correction ended. */
  readonly executions: readonly ExecutionView[];
  readonly alerts: readonly AlertDraft[];
}

/**
 * An entry of the ExecIDs seen: the index of the execution row it made, or (it made none: an ack, a
 * cancel, a rejected report…) the id of the order it was for.
 */
export type SeenExecution = number | string;

/** The key of an ExecID a broker reused on another order than the one that first had it: the ExecID and that order. */
export function reusedExecIdKey(execId: string, orderId: string): string {
  return `${execId}\u0000${orderId}`;
}

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
   * broker → every ExecID applied (de-duplication) → its row or its order (`SeenExecution`). ExecIDs
   * are de-duplicated per (broker, ExecID, order): a broker that reuses an ExecID on another order
   * (an engine restarted mid-day counting from 1 again) has it applied there, under the key
   * `reusedExecIdKey` (which no real ExecID can be: FIX values hold no NUL). One map serves
   * `hasExecution` and finding the row a bust or correction ends.
   */
  private readonly seenExecutions = new Map<string, Map<string, SeenExecution>>();
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

  /** True when this ExecID of this broker was applied to this order already (a resend, a PossDup, a duplicate). */
  hasExecution(broker: string, execId: string, orderId: string): boolean {
    this.snapshots.finishRestore();
    const seen = this.seenExecutions.get(broker);
    const entry = seen?.get(execId);
    if (entry === undefined) return false;
    return this.ownerOf(entry) === orderId || (seen as Map<string, SeenExecution>).has(reusedExecIdKey(execId, orderId));
  }

  /** The order an entry of the ExecIDs seen belongs to. */
  private ownerOf(entry: SeenExecution): string | undefined {
    return typeof entry === 'string' ? entry : this.executions[entry]?.orderId;
  }

  /** The key under which this order's ExecID is (or will be) seen: the ExecID, or the reused-ExecID key when another order had it first. */
  private seenKey(seen: Map<string, SeenExecution>, execId: string, orderId: string): string {
    const entry = seen.get(execId);
    return entry === undefined || this.ownerOf(entry) === orderId ? execId : reusedExecIdKey(execId, orderId);
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

  apply(event: DeskEvent, _seq: number): BookChange {
    switch (event.type) {
      case 'fixMessageSent':
      case 'sessionAdministered':
      case 'dropCopyReceived':
        return { executions: [], alerts: [] }; // audit only
      case 'alertRaised':
      case 'alertsAcknowledged':
        return { executions: [], alerts: [] }; // the alert list's
      case 'dropCopyMismatch': {
        const level = event.kind === 'missingOnDropCopy' ? 'warning' : 'error';
        return { executions: [], alerts: [draft(level, 'DROP_COPY_MISMATCH', `Drop copy mismatch on ${event.broker}: ${event.detail}`, event.orderId, event.broker)] };
      }
      case 'sessionInterrupted':
        return this.interrupt(event.broker, event.reason, event.at, event.clOrdIds);
      default:
        break;
    }
    if (event.type === 'unmatchedBrokerMessage') {
      const m = event.message;
      if (m.type === 'cancelReject') {
        return { executions: [], alerts: [draft('error', 'UNKNOWN_ORDER', `${event.broker} sent cancel reject for unknown ClOrdID ${m.clOrdId}`, undefined, event.broker)] };
      }
      const message = `${event.broker} sent execution report ${m.execId} (${m.execType}) for unknown ClOrdID ${m.clOrdId}: answered with DontKnowTrade (35=Q)`;
      return { executions: [], alerts: [draft('error', 'UNKNOWN_ORDER', message, undefined, event.broker)] };
    }
    // Seen before it is applied (an ExecID is de-duplicated even when the report changes nothing).
    let seenBefore = true;
    let seenAs: string | undefined;
    let reusedFrom: string | undefined;
    if (event.type === 'executionReceived' || event.type === 'orderAdopted') {
      this.snapshots.finishRestore();
      const seen = this.seen(event.broker);
      const execId = event.report.execId;
      seenAs = this.seenKey(seen, execId, event.orderId);
      if (!seen.has(seenAs)) {
        seen.set(seenAs, event.orderId);
        seenBefore = false;
        if (seenAs !== execId) reusedFrom = this.ownerOf(seen.get(execId) as SeenExecution);
      }
    }

    const before = this.orders.get(event.orderId);
    const result = applyOrderEvent(before, event);
    if (!result.ok) {
      return { executions: [], alerts: [draft('error', 'EVENT_IGNORED', `${event.orderId}: ${event.type} ignored: ${result.reason}`, event.orderId)] };
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
    if (effects.length === 0 && reusedFrom === undefined) return { order, executions: NONE, alerts: NONE };
    const executions: ExecutionView[] = [];
    const alerts: AlertDraft[] = [];
    if (reusedFrom !== undefined && event.type === 'executionReceived') {
      const r = event.report;
      alerts.push(
        draft(
          'warning',
          'EXEC_ID_REUSED',
          `${event.broker} reused ExecID ${r.execId} (first sent for order ${reusedFrom}) for order ${order.orderId} (${r.execType}${r.lastQty !== undefined ? ` ${r.lastQty} @ ${r.lastPx ?? '?'}` : ''}): applied, as its ClOrdID and OrderID are this order's; the broker's ExecIDs are not unique (an engine restarted?)`,
          order.orderId,
          event.broker,
        ),
      );
    }
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i] as OrderEffect;
      if (effect.kind === 'execution') {
        const fill = findFill(order.fills, effect.report.execId);
        let base = executionView(order, effect.broker, effect.report, event.at, effect.reconciled);
        const key = seenAs ?? effect.report.execId;
        // Row ids must stay unique: a reused ExecID's row is keyed by its order too.
        if (key !== effect.report.execId) base = { ...base, execKey: `${base.execKey}:${order.orderId}` };
        // A fill whose bust or correction arrived first (sequence gap) is shown ended from the start.
        const row: ExecutionRecord = fill !== undefined && fill.state !== 'active' ? { ...base, state: fill.state, ...(fill.endedBy !== undefined && { endedBy: fill.endedBy }) } : base;
        this.indexExecution(effect.broker, key, this.executions.length, seenBefore);
        this.executions.push(row);
        executions.push(row);
      } else if (effect.kind === 'executionEnded') {
        const seen = this.seenExecutions.get(order.broker);
        const entry = seen === undefined ? undefined : seen.get(this.seenKey(seen, effect.execId, order.orderId));
        const index = typeof entry === 'number' ? entry : -1;
        const row = this.executions[index];
        if (row === undefined) continue;
        const ended: ExecutionRecord = { ...row, state: effect.state, endedBy: effect.endedBy };
        this.snapshots.rowReplaced(index, row);
        this.executions[index] = ended;
        executions.push(ended);
      } else {
        alerts.push(draft(effect.level, effect.code, effect.message, effect.aboutBroker === true ? undefined : order.orderId, order.broker));
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

  private seen(broker: string): Map<string, SeenExecution> {
    let seen = this.seenExecutions.get(broker);
    if (seen === undefined) {
      seen = new Map();
      this.seenExecutions.set(broker, seen);
    }
    return seen;
  }

  private indexExecution(broker: string, key: string, index: number, seenBefore: boolean): void {
    const seen = this.seen(broker);
    this.snapshots.execIdIndexing(broker, key, seenBefore);
    seen.set(key, index);
  }
}

function draft(level: AlertLevel, code: string, message: string, orderId?: string, broker?: string): AlertDraft {
  return { level, code, message, ...(orderId !== undefined && { orderId }), ...(broker !== undefined && { broker }) };
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
