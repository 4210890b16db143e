import type { MarketDataSessionView, QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import type { SessionState } from '../../../shared/domain/order-types';
import type { Logger } from '../log/logger';
import type { Clock } from '../time/clock';
import { every } from '../time/clock';
import type { MarketDataFeed, MarketDataListener } from './market-data-port';
import type { HoldingChange } from './quote-holders';
import { QuoteHolders } from './quote-holders';
import type { QuoteState } from './quote-state';
import { applyIncremental, applySnapshot, markStale } from './quote-state';

export interface MarketDataServiceOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly instrument: (id: string) => Instrument | undefined;
  /** No update for this long marks a quote stale. */
  readonly staleAfterMs: number;
  /** How often quotes are looked at for staleness. Default: a quarter of staleAfterMs, at most 1 s. */
  readonly staleCheckMs?: number;
  /** Where quotes and the session's state go (the desk's stream publisher: conflated per instrument). */
  readonly publishQuote: (view: QuoteView) => void;
  readonly publishSession: (view: MarketDataSessionView) => void;
}

/**
 * The desk's market data: who wants which instrument (reference-counted holders), one subscription
 * per wanted instrument at the feed, the latest quote of each (snapshot and increments applied in
 * order), stale when nothing arrived in time or the feed is down. Live only: nothing is journaled
 * (a quote is worth nothing once old; the feed gives a fresh snapshot at every subscribe).
 */
export class MarketDataService {
  private readonly holders = new QuoteHolders();
  private readonly quotes = new Map<string, QuoteState>();
  /** When each wanted instrument last heard from the feed (desk clock, ms); absent: never since subscribed. */
  private readonly lastHeard = new Map<string, number>();
  private readonly subscribedAt = new Map<string, number>();
  private feed: MarketDataFeed | undefined;
  private staleTimer: { stop(): void } | undefined;
  private state: SessionState = 'stopped';
  private lastError: string | undefined;

  constructor(private readonly options: MarketDataServiceOptions) {}

  /** The listener the feed reports to. */
  readonly listener: MarketDataListener = {
    onState: (state, error) => this.onState(state, error),
    onSnapshot: (id, entries) => {
      if (!this.holders.isWanted(id)) return;
      this.update(id, applySnapshot(id, entries, this.nowIso(), this.source()));
    },
    onIncremental: (id, entries) => {
      if (!this.holders.isWanted(id)) return;
      this.update(id, applyIncremental(this.quotes.get(id), id, entries, this.nowIso(), this.source()));
    },
    onReject: (id, reason) => {
      if (!this.holders.isWanted(id)) return;
      this.options.log.warn('market data refused', { instrumentId: id, reason });
      const state: QuoteState = { view: { instrumentId: id, updatedAt: this.nowIso(), source: this.source(), stale: true, rejected: reason }, volumeFromFeed: false };
      this.quotes.set(id, state);
      this.lastHeard.delete(id);
      this.options.publishQuote(state.view);
      this.publishSession();
    },
    onMalformed: (reason, raw) => this.options.log.warn('malformed market data ignored', { reason, raw }),
  };

  /** Starts the feed (the desk's start): subscriptions held before it are made at its first logon. */
  start(feed: MarketDataFeed | undefined): void {
    this.feed = feed;
    if (feed === undefined) return;
    for (const id of this.holders.wanted()) this.subscribeAtFeed(id);
    const staleCheckMs = this.options.staleCheckMs ?? Math.min(1_000, Math.max(10, Math.floor(this.options.staleAfterMs / 4)));
    this.staleTimer = every(this.options.clock, staleCheckMs, () => this.checkStale(), { background: true });
    feed.start();
    this.publishSession();
  }

  async stop(): Promise<void> {
    this.staleTimer?.stop();
    this.staleTimer = undefined;
    await this.feed?.stop();
  }

  get hasFeed(): boolean {
    return this.feed !== undefined;
  }

  hold(holder: string, instrumentIds: readonly string[]): string[] {
    this.applyChange(this.holders.hold(holder, instrumentIds));
    return this.holders.heldBy(holder);
  }

  release(holder: string, instrumentIds?: readonly string[]): string[] {
    this.applyChange(this.holders.release(holder, instrumentIds));
    return this.holders.heldBy(holder);
  }

  /** Makes a holder hold exactly these (the working orders' instruments). */
  holdExactly(holder: string, instrumentIds: ReadonlySet<string>): void {
    this.applyChange(this.holders.set(holder, instrumentIds));
  }

  /** Every wanted instrument's latest quote (a new subscriber's snapshot). */
  views(): QuoteView[] {
    return [...this.quotes.values()].map((q) => q.view);
  }

  quote(instrumentId: string): QuoteView | undefined {
    return this.quotes.get(instrumentId)?.view;
  }

  sessionView(): MarketDataSessionView | undefined {
    const feed = this.feed;
    if (feed === undefined) return undefined;
    let stale = 0;
    let subscriptions = 0;
    for (const id of this.holders.wanted()) {
      const q = this.quotes.get(id);
      if (q?.view.rejected === undefined) subscriptions++;
      if (q === undefined || q.view.stale) stale++;
    }
    return {
      name: feed.name,
      ...feed.endpoint,
      state: this.state,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
      stats: feed.stats(),
      subscriptions,
      stale,
      updatedAt: this.nowIso(),
    };
  }

  private applyChange(change: HoldingChange): void {
    for (const id of change.added) this.subscribeAtFeed(id);
    for (const id of change.removed) {
      this.quotes.delete(id);
      this.lastHeard.delete(id);
      this.subscribedAt.delete(id);
      this.feed?.unsubscribe(id);
    }
    if (change.added.length + change.removed.length > 0) this.publishSession();
  }

  private subscribeAtFeed(id: string): void {
    const instrument = this.options.instrument(id);
    if (instrument === undefined) return; // the commands refuse unknown ids; an order's instrument is always known
    this.subscribedAt.set(id, this.options.clock.now().getTime());
    this.feed?.subscribe(instrument);
  }

  private update(id: string, state: QuoteState): void {
    const wasStale = this.quotes.get(id)?.view.stale !== false;
    this.quotes.set(id, state);
    this.lastHeard.set(id, this.options.clock.now().getTime());
    this.options.publishQuote(state.view);
    if (wasStale) this.publishSession();
  }

  private onState(state: SessionState, error?: string): void {
    this.state = state;
    this.lastError = error;
    if (state !== 'loggedOn') {
      // The feed is down: every quote may be old now. Fresh snapshots come with the resubscription.
      for (const [id, q] of this.quotes) this.markStale(id, q);
    } else {
      const now = this.options.clock.now().getTime();
      for (const id of this.subscribedAt.keys()) this.subscribedAt.set(id, now);
    }
    this.publishSession();
  }

  /** No update within staleAfterMs: the quote is marked stale (once; the next update clears it). */
  private checkStale(): void {
    const now = this.options.clock.now().getTime();
    const limit = this.options.staleAfterMs;
    let changed = false;
    for (const id of this.holders.wanted()) {
      const q = this.quotes.get(id);
      if (q !== undefined && (q.view.stale || q.view.rejected !== undefined)) continue;
      const heard = this.lastHeard.get(id) ?? this.subscribedAt.get(id);
      if (heard === undefined || now - heard < limit) continue;
      if (q === undefined) {
        // Subscribed, and not even a snapshot in time: a row that says so.
        const view: QuoteView = { instrumentId: id, updatedAt: new Date(now).toISOString(), source: this.source(), stale: true };
        this.quotes.set(id, { view, volumeFromFeed: false });
        this.options.publishQuote(view);
      } else this.markStale(id, q);
      changed = true;
    }
    if (changed) this.publishSession();
  }

  private markStale(id: string, q: QuoteState): void {
    if (q.view.stale) return;
    const stale = markStale(q);
    this.quotes.set(id, stale);
    this.options.publishQuote(stale.view);
  }

  private publishSession(): void {
    const view = this.sessionView();
    if (view !== undefined) this.options.publishSession(view);
  }

  private source(): string {
    return this.feed?.name ?? 'none';
  }

  private nowIso(): string {
    return this.options.clock.now().toISOString();
  }
}
