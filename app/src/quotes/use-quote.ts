import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { QuoteView } from '../../../shared/contract/market-data';
import { quoteBook } from './quote-book';
import { QuoteSubscriptions } from './quote-subscriptions';

/** The window's subscriptions; the transport's sender is set when the desk connects (quotes-transport.ts). */
export const quoteSubscriptions = new QuoteSubscriptions(() => undefined);

/** Keeps the instrument quoted while the component shows it. */
export function useQuoteSubscription(instrumentId: string | undefined): void {
  useEffect(() => (instrumentId === undefined || instrumentId === '' ? undefined : quoteSubscriptions.retain(instrumentId)), [instrumentId]);
}

/** The instrument's latest quote, re-rendering when it changes (and subscribed while shown). */
export function useQuote(instrumentId: string | undefined): QuoteView | undefined {
  useQuoteSubscription(instrumentId);
  const subscribe = useCallback((onChange: () => void) => (instrumentId === undefined ? () => undefined : quoteBook.watch(instrumentId, onChange)), [instrumentId]);
  const read = useCallback(() => (instrumentId === undefined ? undefined : quoteBook.get(instrumentId)), [instrumentId]);
  return useSyncExternalStore(subscribe, read);
}
