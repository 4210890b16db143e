import type { AlertView } from '../../../shared/contract/views';
import type { BrokerConnection } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import type { Journal } from '../journal/journal';
import type { Logger } from '../log/logger';
import type { OrderBook } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import type { Clock } from '../time/clock';
import type { StreamPublisher } from './stream-publisher';

/** What the command and inbound handlers share. One per desk. */
export interface DeskContext {
  readonly config: DeskConfig;
  readonly journal: Journal;
  readonly book: OrderBook;
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

/** Journal first, then apply to the book, then publish: the write-ahead rule in one place. */
export function record(ctx: DeskContext, event: DeskEvent): void {
  const seq = ctx.journal.append(event);
  applyAndPublish(ctx, event, seq);
}

/** Like `record`, for events that carry a fresh ClOrdID allocated in the same transaction. */
export function recordWithClOrdId<E extends DeskEvent>(ctx: DeskContext, build: (clOrdId: string) => E): E {
  const { seq, event } = ctx.journal.appendWithClOrdId(build);
  applyAndPublish(ctx, event, seq);
  return event as E;
}

export function applyAndPublish(ctx: DeskContext, event: DeskEvent, seq: number): void {
  const change = ctx.book.apply(event, seq);
  if (change.order) ctx.publisher.order(orderView(change.order));
  for (const order of change.orders ?? []) ctx.publisher.order(orderView(order));
  for (const execution of change.executions) ctx.publisher.execution(execution);
  for (const alert of change.alerts) publishAlert(ctx, alert);
}

export function publishAlert(ctx: DeskContext, alert: AlertView): void {
  const fields = { alertId: alert.id, orderId: alert.orderId, broker: alert.broker };
  if (alert.level === 'error') ctx.log.error(alert.message, fields);
  else ctx.log.warn(alert.message, fields);
  ctx.publisher.alert(alert);
}
