import { useSyncExternalStore } from 'react';
import type { MarketDataSessionView } from '../../../shared/contract/market-data';
import type { DeskStreamMessage } from '../../../shared/contract/streams';

/** The desk's market-data sessions (the feed's state, subscriptions, stale count), for the status bar. */
let sessions: readonly MarketDataSessionView[] = [];
const listeners = new Set<() => void>();

export function applyFeedSessionMessage(message: DeskStreamMessage): void {
  if (message.kind === 'snapshot') sessions = message.marketDataSessions ?? [];
  else if (message.kind === 'marketDataSessions') {
    const byName = new Map(sessions.map((s) => [s.name, s]));
    for (const row of message.rows) byName.set(row.name, row);
    sessions = [...byName.values()];
  } else return;
  listeners.forEach((l) => l());
}

export function feedSessions(): readonly MarketDataSessionView[] {
  return sessions;
}

export function useFeedSessions(): readonly MarketDataSessionView[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    feedSessions,
  );
}
