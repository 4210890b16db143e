import type { GridApi } from 'ag-grid-community';
import { useEffect } from 'react';
import type { DeskState } from '../store/desk-store';
import { deskStore } from '../store/desk-store';
import type { FeedScheduler, FeedTarget } from './grid-feed';
import { GridFeed } from './grid-feed';
import { requestLiveFrame } from './live-frames';

/** The grids' frames are the window's live frames (live-frames.ts): one frame draws every grid's changes. */
export const browserScheduler: FeedScheduler = {
  frame: requestLiveFrame,
  delay(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
  now: () => performance.now(),
};

const liveFeeds = new Set<{ flush(): void }>();

/** Applies every grid's pending rows now (e.g. before acting on the selection, so it acts on what is shown). */
export function flushGridFeeds(): void {
  for (const feed of liveFeeds) feed.flush();
}

/** Registers a feed for flushGridFeeds; returns the function that removes it. */
export function registerGridFeed(feed: { flush(): void }): () => void {
  liveFeeds.add(feed);
  return () => liveFeeds.delete(feed);
}

export interface UseGridFeedOptions<T> {
  /**
   * Columns whose values never change once a row exists (an order's id, creation time, symbol…).
   * While the grid is sorted by these only and not filtered, an update cannot move a row, so
   * update-only transactions skip the grid's model refresh (re-sort, re-flatten, row positions and the
   * select-all checkbox, each a walk over all 100,000 rows) and only refresh the changed cells
   * (ag-grid's suppressModelUpdateAfterUpdateTransaction). Sorted by anything else, every
   * transaction re-sorts, as it must.
   */
  readonly stableColumns?: ReadonlySet<string>;
  /** At most one transaction per this many ms (still on a frame). Default: every frame. */
  readonly minIntervalMs?: number;
  /** What the feed writes to, when not the grid itself (the orders blotter's filters and totals). */
  readonly target?: FeedTarget<T>;
  /** Receives the feed while it runs (null once closed), e.g. to reset it when the rows' source changes. */
  readonly feedRef?: { current: GridFeed<T> | null };
}

/** Where a feed's rows come from: all of them in the store, and each change as the store accepts it. */
export interface FeedSource<T> {
  select(state: DeskState): ReadonlyMap<string, T>;
  /** Calls `listener` with the rows each change brought, or 'all' (compare everything); returns the unsubscribe. */
  onChange(listener: (change: ReadonlyMap<string, T> | 'all') => void): () => void;
}

/**
 * Feeds a grid from the store, outside React's render cycle (GridFeed): at most one synchronous
 * transaction per animation frame, built from the rows that changed since the last, so the DOM is
 * written just before the frame that shows it (report-to-paint) and never more often than the screen
 * can show; a burst of messages between two frames costs one transaction. A snapshot still arriving in
 * parts is shown once whole. The map's keys must be the grid's row ids (getRowId).
 */
export function useGridFeed<T>(api: GridApi<T> | null, source: FeedSource<T>, options: UseGridFeedOptions<T> = {}): void {
  const { stableColumns, minIntervalMs = 0, target, feedRef } = options;
  useEffect(() => {
    if (api === null) return;
    api.setGridOption('deltaSort', true);
    const read = (): ReadonlyMap<string, T> | null => {
      const state = deskStore.getState();
      return state.data.snapshotParts > 0 ? null : source.select(state);
    };
    const feed = new GridFeed<T>(target ?? api, read, browserScheduler, minIntervalMs);
    if (feedRef !== undefined) feedRef.current = feed;
    feed.flush();

    const keepSortOnUpdates = (): void => {
      if (stableColumns === undefined || api.isDestroyed()) return;
      const sortedBy = api.getColumnState().filter((c) => c.sort !== null && c.sort !== undefined);
      // The view and quick filter (an external filter) are the target's to watch (OrdersGridTarget);
      // ag-grid's column filters can change what an update shows: no fast path while one is set.
      const stable = !api.isColumnFilterPresent() && sortedBy.every((c) => stableColumns.has(c.colId));
      if (api.getGridOption('suppressModelUpdateAfterUpdateTransaction') !== stable) api.setGridOption('suppressModelUpdateAfterUpdateTransaction', stable);
    };
    keepSortOnUpdates();
    api.addEventListener('sortChanged', keepSortOnUpdates);
    api.addEventListener('filterChanged', keepSortOnUpdates);

    const unregister = registerGridFeed(feed);
    const unsubscribe = source.onChange((change) => (change === 'all' ? feed.reset() : feed.rows(change)));
    return () => {
      unsubscribe();
      unregister();
      feed.close();
      if (feedRef !== undefined) feedRef.current = null;
      if (!api.isDestroyed()) {
        api.removeEventListener('sortChanged', keepSortOnUpdates);
        api.removeEventListener('filterChanged', keepSortOnUpdates);
      }
    };
  }, [api, source, stableColumns, minIntervalMs, target, feedRef]);
}
