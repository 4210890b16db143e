import type { QuoteView } from '../../../shared/contract/market-data';
import { Dec } from '../decimal/decimal';
import type { MdEntry, MdIncrementalEntry } from './fix-market-data';

/** One instrument's quote and whether the feed sends day volume itself (FIX 4.2 feeds cannot: it is summed from trades). */
export interface QuoteState {
  readonly view: QuoteView;
  readonly volumeFromFeed: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BY_TYPE: Readonly<Partial<Record<MdEntry['type'], { price?: keyof QuoteView; size?: keyof QuoteView }>>> = {
  bid: { price: 'bid', size: 'bidSize' },
  offer: { price: 'ask', size: 'askSize' },
  trade: { price: 'last', size: 'lastSize' },
  open: { price: 'open' },
  close: { price: 'close' },
  settlement: { price: 'close' },
  high: { price: 'high' },
  low: { price: 'low' },
  vwap: { price: 'vwap' },
  volume: { size: 'volume' },
};

/** A full refresh: the quote is exactly what the snapshot says. */
export function applySnapshot(instrumentId: string, entries: readonly MdEntry[], at: string, source: string): QuoteState {
  const view: Mutable<QuoteView> = { instrumentId, updatedAt: at, source, stale: false };
  let volumeFromFeed = false;
  for (const e of entries) {
    set(view, e);
    if (e.type === 'volume') volumeFromFeed = true;
  }
  return { view, volumeFromFeed };
}

/** Incremental updates, in order: new and change set a side or a figure, delete clears it; a trade adds to the day's volume when the feed sends none. */
export function applyIncremental(state: QuoteState | undefined, instrumentId: string, entries: readonly MdIncrementalEntry[], at: string, source: string): QuoteState {
  const view: Mutable<QuoteView> = { ...(state?.view ?? { instrumentId, source }), updatedAt: at, source, stale: false };
  // `delete` only when there is something to delete: it turns the object into a slow dictionary.
  if (view.rejected !== undefined) delete view.rejected;
  let volumeFromFeed = state?.volumeFromFeed ?? false;
  for (const e of entries) {
    if (e.action === 'delete') {
      const keys = BY_TYPE[e.type];
      if (keys?.price !== undefined) delete view[keys.price];
      if (keys?.size !== undefined) delete view[keys.size];
      continue;
    }
    set(view, e);
    if (e.type === 'volume') volumeFromFeed = true;
    if (e.type === 'trade' && !volumeFromFeed && e.size !== undefined) view.volume = new Dec(view.volume ?? '0').plus(e.size).toFixed();
  }
  return { view, volumeFromFeed };
}

/** The same quote marked stale (no update in time, or the feed went down). */
export function markStale(state: QuoteState): QuoteState {
  return state.view.stale ? state : { ...state, view: { ...state.view, stale: true } };
}

function set(view: Mutable<QuoteView>, e: MdEntry): void {
  const keys = BY_TYPE[e.type];
  if (keys === undefined) return;
  if (keys.price !== undefined && e.price !== undefined) (view as Record<string, unknown>)[keys.price] = e.price;
  if (keys.size !== undefined && e.size !== undefined) (view as Record<string, unknown>)[keys.size] = e.size;
}
