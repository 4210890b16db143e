import type { AlertView, ExecutionView } from '../../../shared/contract/views';
import type { DeskEvent } from '../journal/desk-events';
import type { Order } from './order';
import { applyOrderEvent } from './order';
import { executionKey, executionView } from './order-views';

export interface BookChange {
  readonly order?: Order;
  readonly execution?: ExecutionView;
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
  private readonly executions: ExecutionView[] = [];
  private readonly seenExecutions = new Set<string>();
  private readonly alertLog: AlertView[] = [];

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** Finds the order a broker message is about, by any ClOrdID it has used. */
  orderIdForClOrdId(clOrdId: string): string | undefined {
    return this.byClOrdId.get(clOrdId);
  }

  hasExecution(broker: string, execId: string): boolean {
    return this.seenExecutions.has(executionKey(broker, execId));
  }

  allOrders(): IterableIterator<Order> {
    return this.orders.values();
  }

  allExecutions(): readonly ExecutionView[] {
    return this.executions;
  }

  alerts(): readonly AlertView[] {
    return this.alertLog;
  }

  apply(event: DeskEvent, seq: number): BookChange {
    if (event.type === 'unmatchedBrokerMessage') {
      const m = event.message;
      const what = m.type === 'executionReport' ? `execution report ${m.execId}` : 'cancel reject';
      return { alerts: [this.alert(seq, 'error', `${event.broker} sent ${what} for unknown ClOrdID ${m.clOrdId}`, event.at, undefined, event.broker)] };
    }
    if (event.type === 'executionReceived') this.seenExecutions.add(executionKey(event.broker, event.report.execId));

    const before = this.orders.get(event.orderId);
    const result = applyOrderEvent(before, event);
    if (!result.ok) {
      return { alerts: [this.alert(seq, 'error', `${event.orderId}: ${event.type} ignored: ${result.reason}`, event.at, event.orderId)] };
    }
    const order = result.order;
    this.orders.set(order.orderId, order);
    for (const id of order.clOrdIds) this.byClOrdId.set(id, order.orderId);

    let execution: ExecutionView | undefined;
    const alerts: AlertView[] = [];
    result.effects.forEach((effect, i) => {
      if (effect.kind === 'execution') {
        execution = executionView(order, effect.broker, effect.report, event.at);
        this.executions.push(execution);
      } else {
        alerts.push(this.alert(seq, effect.level, effect.message, event.at, order.orderId, order.broker, i));
      }
    });
    return { order, ...(execution !== undefined && { execution }), alerts };
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
