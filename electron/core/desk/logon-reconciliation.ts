import type { BrokerConfig } from '../config/desk-config';
import type { Order } from '../orders/order';
import { isOpen } from '../orders/order';
import type { DeskContext } from './desk-context';

/**
 * Whether the desk sends OrderMassStatusRequest (35=AF) at logon. desk-config.ts has no per-broker
 * setting for it yet, so this desk-side constant decides for every broker: a broker that does not
 * support it answers with a reject, which changes nothing.
 */
export const MASS_STATUS_AT_LOGON = true;

/**
 * Status requests per turn of the event loop, each turn one commit and one socket write: a desk
 * with 100,000 open orders keeps taking orders and updating screens while it reconciles (sent in
 * one go, they held the desk's thread for 4.4 s).
 */
export const STATUS_REQUESTS_PER_TURN = 1_000;

/** Per desk and broker: the logon whose reconciliation is running (a newer logon takes over). */
const generations = new WeakMap<DeskContext, Map<string, number>>();
let massStatusSerial = 0;

/**
 * On every logon, ask the broker for the status of each of its open orders: fills or cancels that
 * happened while we were away come back as status reports, and an order the broker never received
 * comes back rejected. Orders with a request unanswered or marked uncertain go first: theirs is the
 * state the desk does not know. Then, where the broker supports it, one OrderMassStatusRequest: it
 * also names orders the broker has and we do not, which the desk adopts (broker-inbound.ts).
 *
 * The first requests go out with the logon's own read; the rest follow turn by turn, and stop if
 * the session drops or logs on again (that logon asks afresh).
 */
export function onBrokerLoggedOn(ctx: DeskContext, broker: string): void {
  const connection = ctx.brokers.get(broker);
  if (connection === undefined) return;
  const unknown: string[] = [];
  const rest: string[] = [];
  for (const order of ctx.book.allOrders()) {
    if (order.broker !== broker || !isOpen(order)) continue;
    (order.pending !== undefined || order.uncertain !== undefined ? unknown : rest).push(order.orderId);
  }
  const orderIds = unknown.concat(rest);
  const config = ctx.config.brokers.find((b) => b.name === broker);
  const mass = config !== undefined && supportsMassStatus(config);
  const byBroker = generations.get(ctx) ?? new Map<string, number>();
  generations.set(ctx, byBroker);
  const generation = (byBroker.get(broker) ?? 0) + 1;
  byBroker.set(broker, generation);
  ctx.log.info('reconciling with the broker', { broker, statusRequests: orderIds.length, massStatusRequest: mass });

  let next = 0;
  let requested = 0;
  const step = () => {
    if (byBroker.get(broker) !== generation || connection.state !== 'loggedOn') return;
    ctx.journal.batch(() => {
      for (const end = Math.min(next + STATUS_REQUESTS_PER_TURN, orderIds.length); next < end; next++) {
        const order = ctx.book.get(orderIds[next] as string);
        if (order !== undefined && isOpen(order) && sendStatusRequest(ctx, order)) requested += 1;
      }
      if (next === orderIds.length && mass) sendMassStatusRequest(ctx, broker);
    });
    if (next < orderIds.length) ctx.clock.setTimeout(step, 0);
    else if (orderIds.length > STATUS_REQUESTS_PER_TURN) ctx.log.info('status requests sent', { broker, statusRequests: requested });
  };
  step();
}

function sendStatusRequest(ctx: DeskContext, order: Order): boolean {
  try {
    return (
      ctx.brokers.get(order.broker)?.send({
        type: 'statusRequest',
        clOrdId: order.liveClOrdId,
        ...(order.brokerOrderId !== undefined && { brokerOrderId: order.brokerOrderId }),
        symbol: order.symbol,
        side: order.side,
      }) ?? false
    );
  } catch (error) {
    ctx.log.error('OrderStatusRequest refused by the FIX layer', { broker: order.broker, orderId: order.orderId, error: String(error) });
    return false;
  }
}

function sendMassStatusRequest(ctx: DeskContext, broker: string): void {
  const massStatusReqId = `MS-${ctx.clock.now().getTime().toString(36)}-${++massStatusSerial}`;
  try {
    ctx.brokers.get(broker)?.send({ type: 'massStatusRequest', massStatusReqId });
  } catch (error) {
    ctx.log.error('OrderMassStatusRequest refused by the FIX layer', { broker, error: String(error) });
  }
}

function supportsMassStatus(_config: BrokerConfig): boolean {
  return MASS_STATUS_AT_LOGON;
}
