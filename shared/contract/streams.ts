import type { AlgoParentView } from './algos';
import type { MarketDataSessionView, QuoteView } from './market-data';
import type { PositionRow } from './positions';
import type { TradingStateView } from './risk';
import type { AlertView, ExecutionView, OrderView, ReferenceData, SessionView } from './views';

/**
 * What the desk publishes. A subscriber first gets one snapshot, then deltas in order.
 * Deltas are upserts keyed by each view's row id; the core coalesces them (at most one batch per
 * stream per frame), so a row may skip intermediate versions but never goes backwards.
 */
export type DeskStreamMessage =
  | {
      readonly kind: 'snapshot';
      readonly orders: readonly OrderView[];
      readonly executions: readonly ExecutionView[];
      readonly sessions: readonly SessionView[];
      readonly alerts: readonly AlertView[];
      readonly reference: ReferenceData;
      /** The desk's clock when it made the snapshot (ISO): the screens' "today" is the desk's, not the machine's. */
      readonly now?: string;
      /**
       * The snapshot continues in this many following 'orders' and 'executions' messages, which are
       * part of it (a transport splits a snapshot too large for one message). Absent: it is whole.
       * A receiver shows the snapshot once all its parts arrived, not a partial book.
       */
      readonly parts?: number;
      /** The latest quote of every instrument someone subscribed to (absent: no market-data port). */
      readonly quotes?: readonly QuoteView[];
      /** The market-data sessions (absent: no market-data port). */
      readonly marketDataSessions?: readonly MarketDataSessionView[];
      /** Today's algo parents (live, and finished since the day began). */
      readonly algoParents?: readonly AlgoParentView[];
      /** Every position, valued (absent from a desk that does not keep them). */
      readonly positions?: readonly PositionRow[];
      /** The trading state the kill switch set (absent from an older desk: normal). */
      readonly tradingState?: TradingStateView;
    }
  | { readonly kind: 'orders'; readonly rows: readonly OrderView[] }
  | { readonly kind: 'executions'; readonly rows: readonly ExecutionView[] }
  | { readonly kind: 'sessions'; readonly rows: readonly SessionView[] }
  | { readonly kind: 'alerts'; readonly rows: readonly AlertView[] }
  /** Conflated: the latest quote per instrument since the last batch, keyed by instrumentId. */
  | { readonly kind: 'quotes'; readonly rows: readonly QuoteView[] }
  | { readonly kind: 'marketDataSessions'; readonly rows: readonly MarketDataSessionView[] }
  /** Algo parents, keyed by parentId: on every change and at every look of the scheduler (progress against the schedule). */
  | { readonly kind: 'algoParents'; readonly rows: readonly AlgoParentView[] }
  /** Positions a fill changed, or whose marks moved (conflated), keyed by `key`. */
  | { readonly kind: 'positions'; readonly rows: readonly PositionRow[] }
  /** The trading state as it changed (the last row is the current one). */
  | { readonly kind: 'tradingState'; readonly rows: readonly TradingStateView[] };

export type DeskStreamKind = DeskStreamMessage['kind'];
