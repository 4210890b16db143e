import { z } from 'zod';
import type { DecimalString } from '../domain/decimal-string';
import { identifier } from './ticket';
import type { SessionView } from './views';

/**
 * The latest market picture of one instrument, as the desk's market-data port has it: top of book,
 * the day's trading, and how fresh it is. Prices are in the instrument's price terms (a bond in % of
 * par, FX as a rate); absent fields were never sent by the feed.
 */
export interface QuoteView {
  readonly instrumentId: string;
  readonly bid?: DecimalString;
  readonly bidSize?: DecimalString;
  readonly ask?: DecimalString;
  readonly askSize?: DecimalString;
  readonly last?: DecimalString;
  readonly lastSize?: DecimalString;
  /** The day's traded volume. */
  readonly volume?: DecimalString;
  readonly open?: DecimalString;
  readonly high?: DecimalString;
  readonly low?: DecimalString;
  /** The previous session's closing (or settlement) price. */
  readonly close?: DecimalString;
  readonly vwap?: DecimalString;
  /** When the desk last received an update for it (ISO-8601, the desk's clock). */
  readonly updatedAt: string;
  /** Which feed it came from. */
  readonly source: string;
  /** No update within the feed's staleness limit, or the feed is down: the numbers may be old. */
  readonly stale: boolean;
  /** The feed refused the subscription (unknown instrument, not entitled): the reason. */
  readonly rejected?: string;
}

/** The most instruments one subscribe or unsubscribe names (a market watch of a few hundred rows). */
export const MAX_QUOTE_INSTRUMENTS = 500;

/**
 * Who holds a subscription: one window's panel (`ticket@<window id>`, `watch@<window id>`), chosen by
 * the renderer and stable for the panel's life. The desk counts holders per instrument: it asks the
 * feed for an instrument while anyone holds it (a panel, an order still working, later a position)
 * and drops it when the last lets go. A transport releases every holder its connection used when the
 * connection closes, so a window that dies leaks nothing.
 */
export const quoteHolderSchema = identifier('holder', 100);

const instrumentIds = z
  .array(identifier('instrument id', 64), { error: 'instrumentIds must be a list of instrument ids' })
  .max(MAX_QUOTE_INSTRUMENTS, { error: `at most ${MAX_QUOTE_INSTRUMENTS} instruments at a time` });

/** Subscribe a holder to these instruments' quotes (added to what it already holds). Unknown ids are refused, nothing changes. */
export const subscribeQuotesRequestSchema = z
  .object({ holder: quoteHolderSchema, instrumentIds: instrumentIds.min(1, { error: 'name at least one instrument' }) })
  .strict();
export type SubscribeQuotesRequest = z.infer<typeof subscribeQuotesRequestSchema>;

/** Drop these instruments from a holder's subscriptions; without `instrumentIds`, everything it holds. */
export const unsubscribeQuotesRequestSchema = z.object({ holder: quoteHolderSchema, instrumentIds: instrumentIds.optional() }).strict();
export type UnsubscribeQuotesRequest = z.infer<typeof unsubscribeQuotesRequestSchema>;

/** What a holder holds after the command; the quotes themselves arrive on the stream (`kind: 'quotes'`). */
export interface QuoteSubscriptions {
  readonly holder: string;
  readonly instrumentIds: readonly string[];
}

/**
 * The desk's market-data session, for the session monitor and the status bar: the feed's state and
 * how many instruments the desk asks it for. Keyed by `name`.
 */
export interface MarketDataSessionView extends Omit<SessionView, 'broker' | 'dropCopy'> {
  readonly name: string;
  /** Instruments subscribed at the feed (held by someone and not refused). */
  readonly subscriptions: number;
  /** Instruments whose quote is stale now. */
  readonly stale: number;
}
