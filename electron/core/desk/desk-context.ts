import type { AlertLog } from '../alerts/alert-log';
import type { BrokerConnection } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import type { Journal } from '../journal/journal';
import type { Logger } from '../log/logger';
import type { AlertDraft, OrderBook } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import type { Clock } from '../time/clock';
import type { RequestTimeouts } from './request-timeouts';
import type { StreamPublisher } from './stream-publisher';

/** What the command and inbound handlers share. One per desk. */
export interface DeskContext {
  readonly config: DeskConfig;
  readonly journal: Journal;
  readonly book: OrderBook;
  /** The alert list (a fold over the journaled alerts). */
  readonly alerts: AlertLog;
  /** The timeouts of the requests the desk waits on. */
  readonly requests: RequestTimeouts;
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
  /** Who acts on this desk, for the audit trail of a person's actions (settling an order, acknowledging alerts). */
  readonly operator: string;
  now(): string;
}

/**
 * Journal first, then apply to the book, then publish: the write-ahead rule in one place. The
 * alerts the event raises are journaled in its transaction.
 */
export function record(ctx: DeskContext, event: DeskEvent): void {
  ctx.journal.batch(() => {
    const seq = ctx.journal.append(event);
    applyAndPublish(ctx, event, seq);
  });
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
  if (event.type === 'alertRaised' || event.type === 'alertsAcknowledged') {
    for (const row of ctx.alerts.apply(event, seq)) ctx.publisher.alert(row);
    if (event.type === 'alertRaised') logAlert(ctx, event);
  }
  for (const alert of change.alerts) raise(ctx, alert, event.at);
}

/**
 * Raises an alert: journaled (in the open transaction, if any), folded into the alert list,
 * published, logged. Never throws into its caller (a FIX session, a timer): a failure is logged.
 */
export function raiseAlert(ctx: DeskContext, alert: AlertDraft): void {
  try {
    record(ctx, { type: 'alertRaised', at: ctx.now(), ...alert });
  } catch (error) {
    ctx.log.error('could not journal an alert', { alert: alert.message, error: error instanceof Error ? error.message : String(error) });
  }
}

function raise(ctx: DeskContext, alert: AlertDraft, at: string): void {
  const event: DeskEvent = { type: 'alertRaised', at, ...alert };
  applyAndPublish(ctx, event, ctx.journal.append(event));
}

function logAlert(ctx: DeskContext, alert: Extract<DeskEvent, { type: 'alertRaised' }>): void {
  const fields = { code: alert.code, orderId: alert.orderId, broker: alert.broker };
  if (alert.level === 'error') ctx.log.error(alert.message, fields);
  else if (alert.level === 'warning') ctx.log.warn(alert.message, fields);
  else ctx.log.info(alert.message, fields);
}
