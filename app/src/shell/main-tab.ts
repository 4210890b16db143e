import { useSyncExternalStore } from 'react';

/** The main window's screen: the trading screen (ticket, watch, blotters) or the positions. */
export type MainTab = 'trading' | 'positions';

let tab: MainTab = 'trading';
const listeners = new Set<() => void>();

export function setMainTab(next: MainTab): void {
  if (next === tab) return;
  tab = next;
  listeners.forEach((l) => l());
}

export function useMainTab(): MainTab {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => tab,
  );
}
