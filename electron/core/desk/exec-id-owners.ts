import type { OrderBookView } from '../orders/order-book';

/**
 * broker → ExecID → the first of today's orders it came for: how the desk tells that a broker reuses
 * ExecIDs on other orders (an engine restarted mid-day counting from 1 again). Live only: what it
 * finds is journaled with the report (`reusedFrom`), so the fold never needs it. Built from the
 * orders' ExecIDs when first asked (not at start), forgotten at a new trading day.
 */
export class ExecIdOwners {
  private owners: Map<string, Map<string, string>> | undefined;

  constructor(private readonly orders: OrderBookView) {}

  /** The other order this broker sent this ExecID for first today, if any; this order is noted as having it. */
  reusedFrom(broker: string, execId: string, orderId: string): string | undefined {
    const owners = this.of(broker);
    const owner = owners.get(execId);
    if (owner === undefined) owners.set(execId, orderId);
    return owner !== undefined && owner !== orderId ? owner : undefined;
  }

  /** A new trading day: yesterday's ExecIDs may come again. */
  forget(): void {
    this.owners = undefined;
  }

  private of(broker: string): Map<string, string> {
    if (this.owners === undefined) {
      const all = new Map<string, Map<string, string>>();
      for (const order of this.orders.allOrders()) {
        let owners = all.get(order.broker);
        if (owners === undefined) all.set(order.broker, (owners = new Map()));
        for (const execId of order.execIds) if (!owners.has(execId)) owners.set(execId, order.orderId);
      }
      this.owners = all;
    }
    let owners = this.owners.get(broker);
    if (owners === undefined) this.owners.set(broker, (owners = new Map()));
    return owners;
  }
}
