import type { SessionStatsView } from '../../../shared/contract/views';
import type { Instrument } from '../../../shared/domain/instrument';
import type { SessionState } from '../../../shared/domain/order-types';
import type { MdEntry, MdIncrementalEntry } from './fix-market-data';

/**
 * The port between the desk and a market-data feed. The FIX adapter (fix-market-data-feed.ts)
 * implements it; unit tests use a fake. In the desk's words: instruments by id, entries as decimals.
 */
export interface MarketDataFeed {
  readonly name: string;
  readonly state: SessionState;
  /** Where it connects, for the session monitor. */
  readonly endpoint: { readonly host: string; readonly port: number; readonly senderCompId: string; readonly targetCompId: string; readonly fixVersion: string };
  /** Connects and keeps reconnecting (with backoff) until stop(); every subscription is made again after each logon. */
  start(): void;
  stop(): Promise<void>;
  /** Asks for the instrument's quotes (snapshot, then updates); idempotent. Sent at the next logon when down. */
  subscribe(instrument: Instrument): void;
  /** Stops its updates; idempotent. */
  unsubscribe(instrumentId: string): void;
  /** Live figures for the session monitor. */
  stats(): SessionStatsView;
}

export interface MarketDataListener {
  onState(state: SessionState, error?: string): void;
  /** A full refresh of one instrument: its quote is exactly this. */
  onSnapshot(instrumentId: string, entries: readonly MdEntry[]): void;
  /** Incremental updates of one instrument, in the order the feed sent them. */
  onIncremental(instrumentId: string, entries: readonly MdIncrementalEntry[]): void;
  /** The feed refused the instrument (unknown, not entitled): no quotes will come for it. */
  onReject(instrumentId: string, reason: string): void;
  /** A market-data message that could not be read: nothing of it was applied. */
  onMalformed(reason: string, raw: string): void;
}
