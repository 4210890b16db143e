/**
 * What this window wants quoted, counted per instrument: the ticket's instrument, each market-watch
 * row. The desk is told the changes (subscribe / unsubscribe), batched within a turn, so a ticket
 * switching instruments and a watch list being loaded each make one request. After a reconnect the
 * whole set is sent again (`resendAll`): the desk forgets a connection's subscriptions when it drops.
 */
export type SubscriptionSender = (change: { readonly subscribe: readonly string[]; readonly unsubscribe: readonly string[] }) => void;

export class QuoteSubscriptions {
  private readonly counts = new Map<string, number>();
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();
  private scheduled = false;

  constructor(
    private send: SubscriptionSender,
    private readonly schedule: (work: () => void) => void = (work) => queueMicrotask(work),
  ) {}

  setSender(send: SubscriptionSender): void {
    this.send = send;
  }

  /** Keeps `instrumentId` quoted until the returned release is called (once). */
  retain(instrumentId: string): () => void {
    const n = this.counts.get(instrumentId) ?? 0;
    this.counts.set(instrumentId, n + 1);
    if (n === 0) this.mark(instrumentId, true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(instrumentId) ?? 1) - 1;
      if (left > 0) this.counts.set(instrumentId, left);
      else {
        this.counts.delete(instrumentId);
        this.mark(instrumentId, false);
      }
    };
  }

  held(): string[] {
    return [...this.counts.keys()];
  }

  /** Tells the desk every instrument held (after a reconnect). */
  resendAll(): void {
    this.added.clear();
    this.removed.clear();
    this.counts.forEach((_, id) => this.added.add(id));
    this.request();
  }

  private mark(instrumentId: string, wanted: boolean): void {
    // A release and a retain within one turn cancel out: nothing is sent for that instrument.
    if (wanted) {
      if (!this.removed.delete(instrumentId)) this.added.add(instrumentId);
    } else if (!this.added.delete(instrumentId)) this.removed.add(instrumentId);
    this.request();
  }

  private request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.added.size === 0 && this.removed.size === 0) return;
      const change = { subscribe: [...this.added], unsubscribe: [...this.removed] };
      this.added.clear();
      this.removed.clear();
      this.send(change);
    });
  }
}
