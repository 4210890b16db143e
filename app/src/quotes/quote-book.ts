import type { QuoteView } from '../../../shared/contract/market-data';

/**
 * The renderer's latest quote per instrument, outside the zustand store on purpose: quotes arrive
 * thousands a second and only a few places read them (the ticket's instrument, the market watch,
 * the blotter's last-price columns). Each reader subscribes to what it needs:
 *
 * - one instrument (`watch`): the ticket, through useSyncExternalStore;
 * - every batch (`onBatch`): the grids, which conflate to their own pace.
 *
 * A quote never goes backwards: a row older than the one held (`updatedAt`) is ignored.
 */
export type QuoteBatchListener = (changed: ReadonlyMap<string, QuoteView>) => void;

export class QuoteBook {
  private quotes = new Map<string, QuoteView>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly batchListeners = new Set<QuoteBatchListener>();
  private readonly resetListeners = new Set<() => void>();

  get(instrumentId: string): QuoteView | undefined {
    return this.quotes.get(instrumentId);
  }

  get size(): number {
    return this.quotes.size;
  }

  /** A fresh picture (a snapshot): replaces everything held. */
  reset(rows: readonly QuoteView[]): void {
    const before = this.quotes;
    this.quotes = new Map(rows.map((q) => [q.instrumentId, q]));
    this.resetListeners.forEach((l) => l());
    const ids = new Set([...before.keys(), ...this.quotes.keys()]);
    ids.forEach((id) => this.watchers.get(id)?.forEach((w) => w()));
  }

  /** Deltas: each row replaces its instrument's quote unless it is older. */
  apply(rows: readonly QuoteView[]): void {
    const changed = new Map<string, QuoteView>();
    for (const row of rows) {
      const held = this.quotes.get(row.instrumentId);
      if (held !== undefined && row.updatedAt < held.updatedAt) continue;
      this.quotes.set(row.instrumentId, row);
      changed.set(row.instrumentId, row);
    }
    if (changed.size === 0) return;
    this.batchListeners.forEach((l) => l(changed));
    changed.forEach((_, id) => this.watchers.get(id)?.forEach((w) => w()));
  }

  /** Called whenever this instrument's quote changes; returns the unsubscribe. */
  watch(instrumentId: string, listener: () => void): () => void {
    let set = this.watchers.get(instrumentId);
    if (set === undefined) {
      set = new Set();
      this.watchers.set(instrumentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.watchers.get(instrumentId) === set) this.watchers.delete(instrumentId);
    };
  }

  onBatch(listener: QuoteBatchListener): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }
}

/** The window's one quote book. */
export const quoteBook = new QuoteBook();
