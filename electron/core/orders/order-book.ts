import type { AlertLevel, ExecutionView } from '../../../shared/contract/views';
import { EXECUTIONS_KEPT } from '../../../shared/contract/views';
import type { DontKnowTradeMessage, ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent, OrderEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import type { BlockReader, BlockWriter } from '../journal/snapshot-codec';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import type { Fill, FillList, Order, OrderEffect } from './order';
import { applyOrderEvent, foldOrder, isDone, markUncertain, withExecId } from './order';
import { hasExecId } from './exec-id-list';
import { ORDER_CODEC, ROW_CODEC } from './order-codec';
import type { ExecutionRecord } from './order-views';
import { executionView } from './order-views';

/**
 * Bump when what the fold means changes (order.ts, order-state-table.ts, `OrderBook.apply`) or how
 * its parts are encoded (order-codec.ts): a snapshot of another version is not used.
 */
export const ORDER_BOOK_VERSION = 4;

/** An alert the fold raised; the desk journals it (alerts/alert-log.ts keeps the list). */
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
  /** A new trading day began: the orders it took out of the book (finished before it). */
  readonly rolledOff?: number;
}

/** What the desk reads of the book. */
export interface OrderBookView {
  get(orderId: string): Order | undefined;
  /** Finds the order a broker message is about, by any ClOrdID it has used. */
  orderIdForClOrdId(clOrdId: string): string | undefined;
  /** Finds an order by the broker's own OrderID (tag 37). */
  orderIdForBrokerOrderId(broker: string, brokerOrderId: string): string | undefined;
  /** True when this ExecID of this broker was applied to this order already (a resend, a PossDup, a duplicate). */
  hasExecution(broker: string, execId: string, orderId: string): boolean;
  allOrders(): IterableIterator<Order>;
  /** The newest execution rows (EXECUTIONS_KEPT of today's), oldest first. */
  executions(): readonly ExecutionRecord[];
  /** Orders of `broker` whose fate a session interruption would make unknown. */
  awaitingAnswer(broker: string): Order[];
  readonly size: number;
}

/**
 * An order's journaled events before `beforeSeq`: how the book takes back an order of an earlier
 * day that a broker message names again (a bust the next morning), the same live and on replay.
 */
export type OrderEventsBefore = (orderId: string, beforeSeq: number) => readonly DeskEvent[];

/**
 * Index entries the orders alone do not explain, kept in snapshots: a ClOrdID more than one order
 * claimed (the index holds the last claim), a broker OrderID an order no longer has (the broker
 * changed it) or that more than one order had.
 */
export type Claim = readonly [kind: 'clOrdId' | 'brokerOrderId', broker: string, id: string, orderId: string];

const CLAIM_KINDS: ReadonlySet<Claim[0]> = new Set(['clOrdId', 'brokerOrderId']);
const CLAIM_CODEC: PartCodec<Claim> = {
  entriesPerBlock: 4_096,
  write: (c: Claim, w: BlockWriter) => {
    w.str(c[0]);
    w.str(c[1]);
    w.inline(c[2]);
    w.inline(c[3]);
  },
  read: (r: BlockReader): Claim => [r.oneOf(CLAIM_KINDS), r.str(), r.str(), r.str()],
};

type Parts = { orders: Order; rows: ExecutionRecord; claims: Claim };

const NONE: readonly never[] = Object.freeze([]);
const NOTHING: BookChange = Object.freeze({ executions: NONE, alerts: NONE });

/**
 * Today's orders and their execution rows: a read model (journal/read-model.ts), folded from every
 * journaled event, live and on replay alike. Orders are immutable (a change is a new object), so a
 * snapshot's capture is the orders as they stand.
 *
 * Its size is today's work, not all history: at the start of a trading day (`dayStarted`) the
 * orders finished before it leave (working ones carry over) and the rows start afresh; rows are
 * bounded (EXECUTIONS_KEPT). An event about an order no longer held (a bust of yesterday's fill)
 * takes the order back from the journal first (`OrderEventsBefore`).
 */
export class OrderBook implements ReadModel<BookChange, OrderBookView, Parts> {
  readonly name = 'orders';
  readonly version = ORDER_BOOK_VERSION;
  readonly parts = { orders: ORDER_CODEC, rows: ROW_CODEC, claims: CLAIM_CODEC };
  readonly view: OrderBookView;

  private orders = new Map<string, Order>();
  /**
   * ClOrdID → orderId, for the ClOrdIDs the orders do not answer by themselves: an order's own id,
   * when it is one of its ClOrdIDs (the first ClOrdID of nearly every order), answers for itself and
   * is not stored; the others (amends, cancels) are, and so is any ClOrdID more than one order claimed.
   */
  private byClOrdId = new Map<string, string>();
  /** broker → the broker's OrderID (37) → orderId. Nested, so no key is built per message. */
  private byBrokerOrderId = new Map<string, Map<string, string>>();
  /** What the indexes hold beyond what the orders say (`Claim`), by kind, broker and id. */
  private claims = new Map<string, Claim>();
  /** The newest execution rows: `rows[rowsFrom…]`. */
  private rows: ExecutionRecord[] = [];
  private rowsFrom = 0;

  constructor(
    private readonly eventsBefore: OrderEventsBefore = () => NONE,
    private readonly rowsKept = EXECUTIONS_KEPT,
  ) {
    const size = () => this.orders.size;
    this.view = {
      get: (orderId) => this.orders.get(orderId),
      orderIdForClOrdId: (clOrdId) => this.orderIdForClOrdId(clOrdId),
      orderIdForBrokerOrderId: (broker, id) => this.byBrokerOrderId.get(broker)?.get(id),
      hasExecution: (_broker, execId, orderId) => {
        const order = this.orders.get(orderId);
        return order !== undefined && hasExecId(order.execIds, execId);
      },
      allOrders: () => this.orders.values(),
      executions: () => (this.rowsFrom === 0 ? this.rows : this.rows.slice(this.rowsFrom)),
      awaitingAnswer: (broker) => [...this.orders.values()].filter((o) => o.broker === broker && markUncertain(o, '', '') !== undefined),
      get size() {
        return size();
      },
    };
  }

  apply(event: DeskEvent, seq: number): BookChange {
    switch (event.type) {
      case 'fixMessageSent':
      case 'sessionAdministered':
      case 'dropCopyReceived':
      case 'alertRaised':
      case 'alertsAcknowledged':
      case 'statusRequestSent':
      case 'algoParentStarted':
      case 'algoParentPaused':
      case 'algoParentResumed':
      case 'algoParentAmended':
      case 'algoParentCancelled':
      case 'algoParentFlagged':
      case 'algoParentEnded':
      case 'startOfDayImported':
      case 'amendRefused':
      case 'tradingStateSet':
      case 'cancelDeferred':
      case 'riskLimitsLoaded':
        return NOTHING; // audit, or another read model's: the alert list, the algo parents, positions, risk
      case 'brokerReportRefused': {
        const r = event.report;
        const code = event.code === 'unsolicitedStatus' ? 'UNSOLICITED_REPORT' : event.code === 'instrumentMismatch' ? 'INSTRUMENT_MISMATCH' : 'REPORT_REFUSED';
        const message = `${event.broker} sent execution report ${r.execId} (${r.execType}) for ClOrdID ${r.clOrdId}: refused, ${event.reason}; answered with DontKnowTrade (35=Q), nothing applied`;
        return { executions: NONE, alerts: [draft('error', code, message, event.orderId, event.broker)] };
      }
      case 'dayStarted':
        return this.roll();
      case 'dropCopyMismatch': {
        const level = event.kind === 'missingOnDropCopy' ? 'warning' : 'error';
        return { executions: NONE, alerts: [draft(level, 'DROP_COPY_MISMATCH', `Drop copy mismatch on ${event.broker}: ${event.detail}`, event.orderId, event.broker)] };
      }
      case 'sessionInterrupted':
        return this.interrupt(event.broker, event.reason, event.at, event.clOrdIds);
      case 'unmatchedBrokerMessage': {
        const m = event.message;
        if (m.type === 'cancelReject') {
          return { executions: NONE, alerts: [draft('error', 'UNKNOWN_ORDER', `${event.broker} sent cancel reject for unknown ClOrdID ${m.clOrdId}`, undefined, event.broker)] };
        }
        const message = `${event.broker} sent execution report ${m.execId} (${m.execType}) for unknown ClOrdID ${m.clOrdId}: answered with DontKnowTrade (35=Q)`;
        return { executions: NONE, alerts: [draft('error', 'UNKNOWN_ORDER', message, undefined, event.broker)] };
      }
      default:
        return this.applyToOrder(event, seq);
    }
  }

  private applyToOrder(event: OrderEvent, seq: number): BookChange {
    // An order of an earlier day is read back from the journal; an event that creates one has none to read.
    const creates = event.type === 'orderSubmitted' || event.type === 'orderDenied';
    const before = this.orders.get(event.orderId) ?? (creates ? undefined : this.recall(event.orderId, seq));
    const report = event.type === 'executionReceived' || event.type === 'orderAdopted' ? event.report : undefined;
    // The desk found the broker reusing an ExecID of another order (an engine restarted mid-day counting from 1 again).
    const reusedFrom = event.type === 'executionReceived' ? event.reusedFrom : undefined;
    const result = applyOrderEvent(before, event);
    if (!result.ok) {
      // The ExecID is the order's even when the report changes nothing: a resend is not journaled again.
      if (before !== undefined && report !== undefined && !hasExecId(before.execIds, report.execId)) this.setOrder({ ...before, execIds: withExecId(before.execIds, report.execId) });
      return { executions: NONE, alerts: [draft('error', 'EVENT_IGNORED', `${event.orderId}: ${event.type} ignored: ${result.reason}`, event.orderId)] };
    }
    const order = result.order;
    this.setOrder(order);
    this.index(order, before);

    const effects = result.effects;
    if (effects.length === 0 && reusedFrom === undefined) return { order, executions: NONE, alerts: NONE };
    const executions: ExecutionView[] = [];
    const alerts: AlertDraft[] = [];
    if (reusedFrom !== undefined && event.type === 'executionReceived') {
      const r = event.report;
      const what = `${r.execType}${r.lastQty !== undefined ? ` ${r.lastQty} @ ${r.lastPx ?? '?'}` : ''}`;
      alerts.push(
        draft(
          'warning',
          'EXEC_ID_REUSED',
          `${event.broker} reused ExecID ${r.execId} (first sent for order ${reusedFrom}) for order ${order.orderId} (${what}): applied, as its ClOrdID and OrderID are this order's; the broker's ExecIDs are not unique (an engine restarted?)`,
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
        // Row ids must stay unique: a reused ExecID's row is keyed by its order too.
        if (reusedFrom !== undefined) base = { ...base, execKey: `${base.execKey}:${order.orderId}` };
        // A fill whose bust or correction arrived first (sequence gap) is shown ended from the start.
        const row: ExecutionRecord = fill !== undefined && fill.state !== 'active' ? { ...base, state: fill.state, ...(fill.endedBy !== undefined && { endedBy: fill.endedBy }) } : base;
        this.addRow(row);
        executions.push(row);
      } else if (effect.kind === 'executionEnded') {
        const ended = this.endRow(order, effect.execId, effect.state, effect.endedBy);
        if (ended !== undefined) executions.push(ended);
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
    return { orders, executions: NONE, alerts: NONE };
  }

  /** A new trading day: the orders finished before it leave, working ones carry over, the rows start afresh. */
  private roll(): BookChange {
    const kept: Order[] = [];
    for (const order of this.orders.values()) if (!isDone(order)) kept.push(order);
    const rolledOff = this.orders.size - kept.length;
    const keptIds = new Set(kept.map((o) => o.orderId));
    this.restore({ orders: kept, rows: NONE, claims: [...this.claims.values()].filter((c) => keptIds.has(c[3])) });
    return { executions: NONE, alerts: NONE, rolledOff };
  }

  /** An order of an earlier day, rebuilt from its journaled events (undefined when the journal has none). */
  private recall(orderId: string, seq: number): Order | undefined {
    const order = foldOrder(orderId, this.eventsBefore(orderId, seq));
    if (order !== undefined) {
      this.setOrder(order);
      this.index(order, undefined);
    }
    return order;
  }

  private setOrder(order: Order): void {
    this.orders.set(order.orderId, order);
  }

  /** Every ClOrdID and the broker's OrderID of the order point at it (one another order had claimed is taken back). */
  private index(order: Order, before: Order | undefined): void {
    for (const id of order.clOrdIds) {
      const stored = this.byClOrdId.get(id);
      if (stored === order.orderId || (stored === undefined && id === order.orderId)) continue;
      const old = this.orderIdForClOrdId(id);
      if (old !== undefined) this.claim(['clOrdId', '', id, order.orderId]);
      this.byClOrdId.set(id, order.orderId);
    }
    if (before?.brokerOrderId !== undefined && before.brokerOrderId !== order.brokerOrderId) {
      const ids = this.byBrokerOrderId.get(order.broker);
      const owner = ids?.get(before.brokerOrderId);
      if (owner !== undefined) this.claim(['brokerOrderId', order.broker, before.brokerOrderId, owner]);
    }
    if (order.brokerOrderId !== undefined) {
      let ids = this.byBrokerOrderId.get(order.broker);
      if (ids === undefined) this.byBrokerOrderId.set(order.broker, (ids = new Map()));
      const old = ids.get(order.brokerOrderId);
      if (old === order.orderId) return;
      if (old !== undefined) this.claim(['brokerOrderId', order.broker, order.brokerOrderId, order.orderId]);
      ids.set(order.brokerOrderId, order.orderId);
    }
  }

  private claim(claim: Claim): void {
    this.claims.set(`${claim[0]}\u0000${claim[1]}\u0000${claim[2]}`, claim);
  }

  private orderIdForClOrdId(clOrdId: string): string | undefined {
    const stored = this.byClOrdId.get(clOrdId);
    if (stored !== undefined) return stored;
    return this.orders.get(clOrdId)?.clOrdIds.includes(clOrdId) === true ? clOrdId : undefined;
  }

  private addRow(row: ExecutionRecord): void {
    this.rows.push(row);
    if (this.rows.length - this.rowsFrom > this.rowsKept) this.rowsFrom++;
    if (this.rowsFrom >= this.rowsKept) {
      this.rows = this.rows.slice(this.rowsFrom);
      this.rowsFrom = 0;
    }
  }

  /** The row of an execution a bust or correction ended, when it is among the rows kept. */
  private endRow(order: Order, execId: string, state: 'busted' | 'corrected', endedBy: string): ExecutionRecord | undefined {
    for (let i = this.rows.length - 1; i >= this.rowsFrom; i--) {
      const row = this.rows[i] as ExecutionRecord;
      if (row.execId !== execId || row.orderId !== order.orderId || row.broker !== order.broker) continue;
      const ended: ExecutionRecord = { ...row, state, endedBy };
      this.rows[i] = ended;
      return ended;
    }
    return undefined;
  }

  capture() {
    return { orders: [...this.orders.values()], rows: this.rows.slice(this.rowsFrom), claims: [...this.claims.values()] };
  }

  restore(parts: { readonly orders: readonly Order[]; readonly rows: readonly ExecutionRecord[]; readonly claims: readonly Claim[] }): void {
    const orders = new Map<string, Order>();
    const byClOrdId = new Map<string, string>();
    const byBrokerOrderId = new Map<string, Map<string, string>>();
    for (const order of parts.orders) {
      if (orders.has(order.orderId)) throw new SnapshotFormatError(`order ${order.orderId} is in the snapshot twice`);
      orders.set(order.orderId, order);
      for (const id of order.clOrdIds) if (id !== order.orderId) byClOrdId.set(id, order.orderId);
      if (order.brokerOrderId !== undefined) {
        let ids = byBrokerOrderId.get(order.broker);
        if (ids === undefined) byBrokerOrderId.set(order.broker, (ids = new Map()));
        ids.set(order.brokerOrderId, order.orderId);
      }
    }
    const claims = new Map<string, Claim>();
    for (const claim of parts.claims) {
      const [kind, broker, id, orderId] = claim;
      if (!orders.has(orderId)) throw new SnapshotFormatError(`a claim on ${id} names order ${orderId}, which is not in the snapshot`);
      if (kind === 'clOrdId') byClOrdId.set(id, orderId);
      else {
        let ids = byBrokerOrderId.get(broker);
        if (ids === undefined) byBrokerOrderId.set(broker, (ids = new Map()));
        ids.set(id, orderId);
      }
      claims.set(`${kind}\u0000${broker}\u0000${id}`, claim);
    }
    if (parts.rows.length > this.rowsKept) throw new SnapshotFormatError(`${parts.rows.length} execution rows, more than the ${this.rowsKept} kept`);
    this.orders = orders;
    this.byClOrdId = byClOrdId;
    this.byBrokerOrderId = byBrokerOrderId;
    this.claims = claims;
    this.rows = [...parts.rows];
    this.rowsFrom = 0;
  }
}

function draft(level: AlertLevel, code: string, message: string, orderId?: string, broker?: string): AlertDraft {
  return { level, code, message, ...(orderId !== undefined && { orderId }), ...(broker !== undefined && { broker }) };
}

/** The fill with this ExecID: usually the one just added, so searched from the end. */
function findFill(fills: FillList, execId: string): Fill | undefined {
  for (let i = fills.length - 1; i >= 0; i--) if (fills.at(i)?.execId === execId) return fills.at(i);
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
