import type { QuoteSubscriptions, SubscribeQuotesRequest, UnsubscribeQuotesRequest } from '../../../shared/contract/market-data';
import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { Instrument } from '../../../shared/domain/instrument';
import type { MarketDataService } from '../marketdata/market-data-service';
import type { Order } from '../orders/order';
import { isOpen } from '../orders/order';

/** The holder of every instrument with a working order: its quotes are followed while any order on it works. */
export const WORKING_ORDERS_HOLDER = 'orders';

/** subscribeQuotes: every id must be an instrument of the master, else nothing changes. */
export function subscribeQuotes(md: MarketDataService, instrument: (id: string) => Instrument | undefined, p: SubscribeQuotesRequest): Result<QuoteSubscriptions> {
  const unknown = [...new Set(p.instrumentIds.filter((id) => instrument(id) === undefined))];
  if (unknown.length > 0) return fail('INVALID_REQUEST', `unknown instrument${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { instrumentIds: `unknown: ${unknown.join(', ')}` });
  if (p.holder === WORKING_ORDERS_HOLDER) return fail('INVALID_REQUEST', `holder '${WORKING_ORDERS_HOLDER}' is the desk's own`, { holder: 'reserved' });
  return ok({ holder: p.holder, instrumentIds: md.hold(p.holder, p.instrumentIds) });
}

export function unsubscribeQuotes(md: MarketDataService, p: UnsubscribeQuotesRequest): Result<QuoteSubscriptions> {
  if (p.holder === WORKING_ORDERS_HOLDER) return fail('INVALID_REQUEST', `holder '${WORKING_ORDERS_HOLDER}' is the desk's own`, { holder: 'reserved' });
  return ok({ holder: p.holder, instrumentIds: md.release(p.holder, p.instrumentIds) });
}

/**
 * Keeps the working-orders holder equal to the instruments of the orders still open: fed every
 * order an event changed, it holds an instrument from its first open order to its last one's end.
 */
export class WorkingOrderInstruments {
  private readonly instrumentOf = new Map<string, string>();
  private readonly ordersOn = new Map<string, number>();

  constructor(
    private readonly md: MarketDataService,
    /** The order's instrument in the master (undefined: not one the feed can price). */
    private readonly instrumentIdOf: (order: Order) => string | undefined,
  ) {}

  changed(orders: Iterable<Order>): void {
    let added: string[] | undefined; // made when needed: nearly every call (a fill) changes nothing here
    let removed: string[] | undefined;
    for (const order of orders) {
      const held = this.instrumentOf.get(order.orderId);
      const now = isOpen(order) ? this.instrumentIdOf(order) : undefined;
      if (held === now) continue;
      if (held !== undefined) {
        this.instrumentOf.delete(order.orderId);
        const left = (this.ordersOn.get(held) ?? 1) - 1;
        if (left === 0) {
          this.ordersOn.delete(held);
          (removed ??= []).push(held);
        } else this.ordersOn.set(held, left);
      }
      if (now !== undefined) {
        this.instrumentOf.set(order.orderId, now);
        const count = (this.ordersOn.get(now) ?? 0) + 1;
        this.ordersOn.set(now, count);
        if (count === 1) (added ??= []).push(now);
      }
    }
    if (added !== undefined) this.md.hold(WORKING_ORDERS_HOLDER, added);
    const gone = removed?.filter((id) => !this.ordersOn.has(id));
    if (gone !== undefined && gone.length > 0) this.md.release(WORKING_ORDERS_HOLDER, gone);
  }
}
