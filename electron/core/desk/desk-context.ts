import type { AlertView } from '../../../shared/contract/views';
import type { BrokerConnection } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import type { Journal } from '../journal/journal';
import type { Logger } from '../log/logger';
import type { Order } from '../orders/order';
import type { OrderBook } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import type { Clock } from '../time/clock';
import type { OrderSummaries } from './order-summaries';
import type { StreamPublisher } from './stream-publisher';

/** What the command and inbound handlers share. One per desk. */
export interface DeskContext {
  readonly config: DeskConfig;
  readonly journal: Journal;
  readonly book: OrderBook;
  /** Every order of every day as the blotter shows it, written in each event's commit (search, history). */
  readonly orderSummaries: OrderSummaries;
  readonly publisher: StreamPublisher;
  readonly clock: Clock;
  readonly log: Logger;
  readonly brokers: ReadonlyMap<string, BrokerConnection>;
  /** Drop-copy sessions, by the name of the broker they copy. */
  readonly dropCopies: ReadonlyMap<string, BrokerConnection>;
  /** Sessions a person logged out from the session monitor (key `role:broker`), and when: they stay out until connected. */
  readonly loggedOut: Map<string, string>;
  /** Rebuilds a broker's session view now and publishes it if it changed. */
  refreshSession(broker: string): void;
  now(): string;
}

/**
 * Journal first, then apply to the book, then publish: the write-ahead rule in one place. The order
 * summaries the event changes are written in its transaction (a batch of its own when none is open).
 */
export function record(ctx: DeskContext, event: DeskEvent): void {
  ctx.journal.batch(() => {
    const seq = ctx.journal.append(event);
    applyAndPublish(ctx, event, seq);
  });
}

/** Like `record`, for events that carry a fresh ClOrdID allocated in the same transaction. */
export function recordWithClOrdId<E extends DeskEvent>(ctx: DeskContext, build: (clOrdId: string) => E): E {
  return ctx.journal.batch(() => {
    const { seq, event } = ctx.journal.appendWithClOrdId(build);
    applyAndPublish(ctx, event, seq);
    return event as E;
  });
}

export function applyAndPublish(ctx: DeskContext, event: DeskEvent, seq: number): void {
  const change = ctx.book.apply(event, seq);
  if (change.order) publishOrder(ctx, change.order, seq);
  for (const order of change.orders ?? []) publishOrder(ctx, order, seq);
  for (const execution of change.executions) ctx.publisher.execution(execution);
  for (const alert of change.alerts) publishAlert(ctx, alert);
}

function publishOrder(ctx: DeskContext, order: Order, seq: number): void {
  const view = orderView(order);
  ctx.orderSummaries.write(view, order.clOrdIds, seq);
  ctx.publisher.order(view);
}

export function publishAlert(ctx: DeskContext, alert: AlertView): void {
  const fields = { alertId: alert.id, orderId: alert.orderId, broker: alert.broker };
  if (alert.level === 'error') ctx.log.error(alert.message, fields);
  else ctx.log.warn(alert.message, fields);
  ctx.publisher.alert(alert);
}
