import type { Order } from '../orders/order';
import { awaitsAnswer, isOpen } from '../orders/order';
import type { DeskContext } from './desk-context';
import { raiseAlert, record, sendForOrder } from './desk-context';
import { isStorageError } from '../sqlite/commit-batch';

/**
 * Status requests per turn of the event loop, each turn one commit and one socket write: a desk
 * with 100,000 open orders keeps taking orders and updating screens while it reconciles (sent in
 * one go, they held the desk's thread for 4.4 s).
 */
export const STATUS_REQUESTS_PER_TURN = 1_000;

/** Per desk and broker: the logon whose reconciliation is running (a newer logon takes over). */
const generations = new WeakMap<DeskContext, Map<string, number>>();
let massStatusSerial = 0;
let ordStatusSerial = 0;

/**
 * On every logon, ask the broker for the status of each of its open orders (and of a filled order
 * with a replace or cancel unanswered: C.1.c, B.1.c): fills or cancels that happened while we were
 * away come back as status reports, and an order the broker never received comes back rejected.
 * Orders with a request unanswered or marked uncertain go first: theirs is the state the desk does
 * not know. Then, where the broker takes it (its capability profile; never FIX 4.2), one
 * OrderMassStatusRequest: it also names orders the broker has and we do not, which the desk adopts
 * (broker-inbound.ts). A broker that takes no status requests is sent none: its orders in doubt are
 * raised for a person to settle. Nor is an order asked about whose status the broker already refused
 * or ignored `statusRequestAttempts` times (a person was asked to settle it).
 *
 * The first requests go out with the logon's own read; the rest follow turn by turn, and stop if
 * the session drops or logs on again (that logon asks afresh).
 */
export function onBrokerLoggedOn(ctx: DeskContext, broker: string): void {
  const connection = ctx.brokers.get(broker);
  const config = ctx.config.brokers.find((b) => b.name === broker);
  if (connection === undefined || config === undefined) return;
  ctx.requests.loggedOn(broker);
  const unknown: string[] = [];
  const rest: string[] = [];
  const statusRequests = config.capabilities.orderStatusRequest;
  for (const order of ctx.orders.allOrders()) {
    if (order.broker !== broker || !needsStatus(order)) continue;
    const inDoubt = order.pending !== undefined || order.uncertain !== undefined;
    if (!statusRequests) {
      if (order.uncertain !== undefined) ctx.requests.checkStatus(order); // raises it for a person
      continue;
    }
    if (ctx.requests.exhausted(order)) continue;
    (inDoubt ? unknown : rest).push(order.orderId);
  }
  const orderIds = unknown.concat(rest);
  const mass = config.capabilities.massStatusRequest;
  if (!statusRequests && !mass) {
    raiseAlert(ctx, {
      level: 'info',
      code: 'NO_RECONCILIATION',
      message: `${broker} takes neither status nor mass status requests (its capability profile): fills and cancels made while the desk was away arrive only if the broker resends them`,
      broker,
    });
  }
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
        const order = ctx.orders.get(orderIds[next] as string);
        if (order !== undefined && needsStatus(order) && sendStatusRequest(ctx, order)) {
          requested += 1;
          ctx.requests.statusSent(order);
        }
      }
      if (next === orderIds.length && mass) sendMassStatusRequest(ctx, broker);
    });
    if (next < orderIds.length) ctx.clock.setTimeout(step, 0);
    else if (orderIds.length > STATUS_REQUESTS_PER_TURN) ctx.log.info('status requests sent', { broker, statusRequests: requested });
  };
  step();
}

/** Open, or filled with a request of ours unanswered: what the broker's status settles. */
function needsStatus(order: Order): boolean {
  return isOpen(order) || awaitsAnswer(order);
}

/**
 * One OrderStatusRequest (35=H) for the order, by its live ClOrdID and the broker's OrderID; from
 * FIX 4.4 on with an OrdStatusReqID (790), journaled in the commit of the send: an answer echoing
 * one the desk never sent is refused (broker-inbound.ts). An engine that omits 790 on its answer is
 * matched by ClOrdID, as in FIX 4.2.
 */
export function sendStatusRequest(ctx: DeskContext, order: Order): boolean {
  const connection = ctx.brokers.get(order.broker);
  if (connection === undefined) return false;
  const fixVersion = ctx.config.brokers.find((b) => b.name === order.broker)?.fixVersion;
  const ordStatusReqId = fixVersion === 'FIX.4.2' ? undefined : `OS-${ctx.clock.now().getTime().toString(36)}-${++ordStatusSerial}`;
  const sent = sendForOrder(ctx, connection, order.orderId, {
    type: 'statusRequest',
    clOrdId: order.liveClOrdId,
    ...(ordStatusReqId !== undefined && { ordStatusReqId }),
    ...(order.brokerOrderId !== undefined && { brokerOrderId: order.brokerOrderId }),
    instrument: order.instrument,
    tradeDate: order.tradeDate,
    side: order.side,
  });
  if (sent === true && ordStatusReqId !== undefined) record(ctx, { type: 'statusRequestSent', at: ctx.now(), broker: order.broker, kind: 'orderStatus', reqId: ordStatusReqId });
  return sent === true;
}

function sendMassStatusRequest(ctx: DeskContext, broker: string): void {
  const massStatusReqId = `MS-${ctx.clock.now().getTime().toString(36)}-${++massStatusSerial}`;
  try {
    // The id is journaled in the commit of the send: only reports answering it are taken (broker-inbound.ts).
    if (ctx.brokers.get(broker)?.send({ type: 'massStatusRequest', massStatusReqId }) !== undefined) {
      record(ctx, { type: 'statusRequestSent', at: ctx.now(), broker, kind: 'massStatus', reqId: massStatusReqId });
    }
  } catch (error) {
    if (isStorageError(error)) throw error; // it could not be stored: nothing was sent, the unit of work fails
    ctx.log.error('OrderMassStatusRequest refused by the FIX layer', { broker, error: String(error) });
  }
}

