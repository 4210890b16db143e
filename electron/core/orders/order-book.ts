import type { AlertView, ExecutionView } from '../../../shared/contract/views';
import type { DontKnowTradeMessage, ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import type { Order } from './order';
import { applyOrderEvent, markUncertain } from './order';
import type { ExecutionRecord } from './order-views';
import { executionKey, executionView } from './order-views';

export interface BookChange {
  readonly order?: Order;
  /** Other orders the event changed (a session interruption marks many orders uncertain). */
  readonly orders?: readonly Order[];
  /** Every execution row this event added or changed: the new row, and a row a bust or correction ended. */
  readonly executions: readonly ExecutionView[];
  readonly alerts: readonly AlertView[];
}

const MAX_ALERTS = 500;

/**
 * All orders and executions: a fold over the journal. `apply` is called for every journaled
 * event, live or on replay, and is deterministic: replay rebuilds exactly the state the desk had.
 */
export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private readonly byClOrdId = new Map<string, string>();
  /** broker + the broker's OrderID (37) → orderId. */
  private readonly byBrokerOrderId = new Map<string, string>();
  private readonly executions: ExecutionRecord[] = [];
  private readonly executionIndex = new Map<string, number>();
  private readonly seenExecutions = new Set<string>();
  private readonly alertLog: AlertView[] = [];

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** Finds the order a broker message is about, by any ClOrdID it has used. */
  orderIdForClOrdId(clOrdId: string): string | undefined {
    return this.byClOrdId.get(clOrdId);
  }

  /** Finds an order by the broker's own OrderID (tag 37). */
  orderIdForBrokerOrderId(broker: string, brokerOrderId: string): string | undefined {
    return this.byBrokerOrderId.get(executionKey(broker, brokerOrderId));
  }

  hasExecution(broker: string, execId: string): boolean {
    return this.seenExecutions.has(executionKey(broker, execId));
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
    if (event.type === 'executionReceived' || event.type === 'orderAdopted') this.seenExecutions.add(executionKey(event.broker, event.report.execId));

    const before = this.orders.get(event.orderId);
    const result = applyOrderEvent(before, event);
    if (!result.ok) {
      return { executions: [], alerts: [this.alert(seq, 'error', `${event.orderId}: ${event.type} ignored: ${result.reason}`, event.at, event.orderId)] };
    }
    const order = result.order;
    this.orders.set(order.orderId, order);
    for (const id of order.clOrdIds) this.byClOrdId.set(id, order.orderId);
    if (order.brokerOrderId !== undefined) this.byBrokerOrderId.set(executionKey(order.broker, order.brokerOrderId), order.orderId);

    const executions: ExecutionView[] = [];
    const alerts: AlertView[] = [];
    result.effects.forEach((effect, i) => {
      if (effect.kind === 'execution') {
        const fill = order.fills.find((f) => f.execId === effect.report.execId);
        const base = executionView(order, effect.broker, effect.report, event.at, effect.reconciled);
        // A fill whose bust or correction arrived first (sequence gap) is shown ended from the start.
        const row: ExecutionRecord = fill !== undefined && fill.state !== 'active' ? { ...base, state: fill.state, ...(fill.endedBy !== undefined && { endedBy: fill.endedBy }) } : base;
        this.executionIndex.set(row.execKey, this.executions.length);
        this.executions.push(row);
        executions.push(row);
      } else if (effect.kind === 'executionEnded') {
        const index = this.executionIndex.get(executionKey(order.broker, effect.execId));
        const row = index === undefined ? undefined : this.executions[index];
        if (index === undefined || row === undefined) return;
        const ended: ExecutionRecord = { ...row, state: effect.state, endedBy: effect.endedBy };
        this.executions[index] = ended;
        executions.push(ended);
      } else {
        alerts.push(this.alert(seq, effect.level, effect.message, event.at, order.orderId, order.broker, i));
      }
    });
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
    const only = clOrdIds === undefined ? undefined : new Set(clOrdIds.map((id) => this.byClOrdId.get(id)));
    const orders: Order[] = [];
    for (const order of this.orders.values()) {
      if (order.broker !== broker || (only !== undefined && !only.has(order.orderId))) continue;
      const marked = markUncertain(order, `${why} before the broker answered: checking with ${broker}`, at);
      if (marked === undefined) continue;
      this.orders.set(marked.orderId, marked);
      orders.push(marked);
    }
    return { orders, executions: [], alerts: [] };
  }

  /** Orders of `broker` whose fate a session interruption would make unknown. */
  awaitingAnswer(broker: string): Order[] {
    return [...this.orders.values()].filter((o) => o.broker === broker && markUncertain(o, '', '') !== undefined);
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
