import type { Order } from '../orders/order';
import { foldOrder } from '../orders/order';
import type { DeskContext } from './desk-context';

/**
 * Orders of earlier trading days, which the live read models no longer hold: read from the journal
 * on demand (a broker message naming one again, its history). The journal keeps every event.
 */

/** The order as its journaled events leave it (undefined when the journal has none). */
export function pastOrder(ctx: Pick<DeskContext, 'journal'>, orderId: string): Order | undefined {
  return foldOrder(
    orderId,
    ctx.journal.eventsForOrder(orderId).map((e) => e.event),
  );
}

/** The order of an earlier day that used this ClOrdID with this broker. */
export function pastOrderForClOrdId(ctx: Pick<DeskContext, 'journal'>, broker: string, clOrdId: string): Order | undefined {
  for (const orderId of [ctx.journal.orderIdOfClOrdId(clOrdId), clOrdId, `${broker}.${clOrdId}`]) {
    if (orderId === undefined) continue;
    const order = pastOrder(ctx, orderId);
    if (order !== undefined && order.broker === broker && order.clOrdIds.includes(clOrdId)) return order;
  }
  return undefined;
}
