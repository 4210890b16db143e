import type { AlgoParentView } from '../../../shared/contract/algos';
import type { MarketDataSessionView, QuoteView } from '../../../shared/contract/market-data';
import type { PositionRow } from '../../../shared/contract/positions';
import type { TradingStateView } from '../../../shared/contract/risk';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, SessionView } from '../../../shared/contract/views';
import type { Clock, TimerHandle } from '../time/clock';

type Listener = (message: DeskStreamMessage) => void;

/**
 * Coalesces deltas per turn of the event loop: an order updated ten times by one socket read is
 * published once, at its latest version, when that turn ends (a microtask: after the command or the
 * read that caused it, so an order's NewOrderSingle leaves before its delta is serialised). The core
 * adds no frame of latency to an order's round trip; pacing to the screen (at most one batch per
 * stream per frame) belongs to the transports that feed a renderer: see `pacedListener`.
 * A clock timer backs the microtask up (the TestClock drives it in tests).
 */
export class StreamPublisher {
  private readonly listeners = new Set<Listener>();
  private orders = new Map<string, OrderView>();
  private executions: ExecutionView[] = [];
  private sessions = new Map<string, SessionView>();
  private alerts: AlertView[] = [];
  private quotes = new Map<string, QuoteView>();
  private marketDataSessions = new Map<string, MarketDataSessionView>();
  private algoParents = new Map<string, AlgoParentView>();
  private positions = new Map<string, PositionRow>();
  /** Positions changed since the last flush, valued once when it comes (positionsChanged). */
  private positionKeys = new Set<string>();
  private valuePositions: ((keys: readonly string[]) => void) | undefined;
  private tradingStates: TradingStateView[] = [];
  private timer: TimerHandle | undefined;
  private pending = false;
  private microtaskQueued = false;

  constructor(
    private readonly clock: Clock,
    private readonly snapshot: () => Extract<DeskStreamMessage, { kind: 'snapshot' }>,
    /** Kept for callers; pacing per frame is `pacedListener`'s job now. */
    readonly frameMs = 16,
    private readonly onListenerError: (error: unknown) => void = () => {},
    /** Runs the end-of-turn flush once what it shows is journaled (a group commit may still be open then). */
    private readonly whenCommitted: (flush: () => void) => void = (flush) => flush(),
  ) {}

  subscribe(listener: Listener): () => void {
    this.deliver(listener, this.snapshot());
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  order(view: OrderView): void {
    this.orders.set(view.orderId, view);
    this.schedule();
  }

  execution(view: ExecutionView): void {
    this.executions.push(view);
    this.schedule();
  }

  session(view: SessionView): void {
    this.sessions.set(view.broker, view);
    this.schedule();
  }

  alert(view: AlertView): void {
    this.alerts.push(view);
    this.schedule();
  }

  /** The latest quote of an instrument: conflated, only its newest version leaves with the batch. */
  quote(view: QuoteView): void {
    this.quotes.set(view.instrumentId, view);
    this.schedule();
  }

  marketDataSession(view: MarketDataSessionView): void {
    this.marketDataSessions.set(view.name, view);
    this.schedule();
  }

  algoParent(view: AlgoParentView): void {
    this.algoParents.set(view.parentId, view);
    this.schedule();
  }

  /** A position valued again: only its newest version leaves with the batch. */
  position(row: PositionRow): void {
    this.positions.set(row.key, row);
    this.schedule();
  }

  /**
   * Positions fills changed: valued by `value` once, when the batch that shows those fills is flushed
   * (a read of fifty fills of one position values it once, not fifty times, and publishes it with them).
   */
  positionsChanged(keys: readonly string[], value: (keys: readonly string[]) => void): void {
    if (keys.length === 0) return;
    for (const key of keys) this.positionKeys.add(key);
    this.valuePositions = value;
    this.schedule();
  }

  /** The kill switch changed the trading state. */
  tradingState(view: TradingStateView): void {
    this.tradingStates.push(view);
    this.schedule();
  }

  /** Every subscriber gets a snapshot again, after what was pending (a new trading day: the blotters start afresh). */
  resnapshot(): void {
    this.flush();
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const l of this.listeners) this.deliver(l, snapshot);
  }

  /** Drops what is pending: it shows what a failed commit did not store (the desk reloads and sends a snapshot). */
  discardPending(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.orders = new Map();
    this.executions = [];
    this.sessions = new Map();
    this.alerts = [];
    this.algoParents = new Map();
    this.positions = new Map();
    this.positionKeys = new Set();
    this.tradingStates = [];
  }

  /** Sends whatever is pending now (also called at the end of the turn and by the timer). */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    if (this.positionKeys.size > 0 && this.valuePositions !== undefined) {
      const keys = [...this.positionKeys];
      this.positionKeys = new Set();
      try {
        this.valuePositions(keys); // publishes their rows (position): into this batch
      } catch (error) {
        this.onListenerError(error);
      }
    }
    this.pending = false;
    const batches: DeskStreamMessage[] = [];
    if (this.orders.size > 0) batches.push({ kind: 'orders', rows: [...this.orders.values()] });
    if (this.executions.length > 0) batches.push({ kind: 'executions', rows: this.executions });
    if (this.sessions.size > 0) batches.push({ kind: 'sessions', rows: [...this.sessions.values()] });
    if (this.alerts.length > 0) batches.push({ kind: 'alerts', rows: this.alerts });
    if (this.quotes.size > 0) batches.push({ kind: 'quotes', rows: [...this.quotes.values()] });
    if (this.marketDataSessions.size > 0) batches.push({ kind: 'marketDataSessions', rows: [...this.marketDataSessions.values()] });
    if (this.algoParents.size > 0) batches.push({ kind: 'algoParents', rows: [...this.algoParents.values()] });
    if (this.positions.size > 0) batches.push({ kind: 'positions', rows: [...this.positions.values()] });
    if (this.tradingStates.length > 0) batches.push({ kind: 'tradingState', rows: this.tradingStates });
    this.tradingStates = [];
    this.orders = new Map();
    this.positions = new Map();
    this.executions = [];
    this.sessions = new Map();
    this.alerts = [];
    this.quotes = new Map();
    this.marketDataSessions = new Map();
    this.algoParents = new Map();
    for (const batch of batches) for (const l of this.listeners) this.deliver(l, batch);
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.timer = this.clock.setTimeout(() => this.flush(), 0);
    if (!this.microtaskQueued) {
      this.microtaskQueued = true;
      queueMicrotask(() => {
        this.microtaskQueued = false;
        this.whenCommitted(() => this.flush());
      });
    }
  }

  private deliver(listener: Listener, message: DeskStreamMessage): void {
    try {
      listener(message);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}

export interface PacedListener {
  readonly listener: Listener;
  /** Sends what is queued now, without waiting for its frame (e.g. before a new subscriber's snapshot). */
  flush(): void;
  /** Drops what is queued and stops the timer. */
  close(): void;
}

/**
 * Wraps a subscriber that feeds a renderer (WebSocket, IPC): at most one batch per stream per
 * `frameMs`. A batch goes out at once when the stream was quiet for a frame (no added latency for a
 * single order), otherwise it waits for the frame to end, merged: orders and sessions keep their
 * latest version per row (quotes: the latest per instrument, conflated), executions and alerts are appended. A snapshot goes out at once and
 * replaces anything queued.
 */
export function pacedListener(target: Listener, clock: Clock, frameMs = 16): PacedListener {
  type Kind = Exclude<DeskStreamMessage['kind'], 'snapshot'>;
  const keyed: Partial<Record<Kind, (row: never) => string>> = {
    orders: (r: OrderView) => r.orderId,
    sessions: (r: SessionView) => r.broker,
    quotes: (r: QuoteView) => r.instrumentId,
    marketDataSessions: (r: MarketDataSessionView) => r.name,
    positions: (r: PositionRow) => r.key,
  };
  const queued = new Map<Kind, Map<string, unknown> | unknown[]>();
  const lastSent = new Map<Kind, number>();
  let timer: TimerHandle | undefined;

  const send = (kind: Kind, rows: unknown[]): void => {
    lastSent.set(kind, clock.now().getTime());
    target({ kind, rows } as DeskStreamMessage);
  };
  const flushDue = (): void => {
    timer = undefined;
    const now = clock.now().getTime();
    let next = Number.POSITIVE_INFINITY;
    for (const [kind, rows] of [...queued]) {
      const due = (lastSent.get(kind) ?? -Infinity) + frameMs;
      if (due <= now) {
        queued.delete(kind);
        send(kind, rows instanceof Map ? [...rows.values()] : rows);
      } else next = Math.min(next, due);
    }
    if (next !== Number.POSITIVE_INFINITY) timer = clock.setTimeout(flushDue, next - now);
  };

  const listener: Listener = (message) => {
    if (message.kind === 'snapshot') {
      queued.clear();
      target(message);
      return;
    }
    const kind = message.kind;
    const now = clock.now().getTime();
    if (!queued.has(kind) && now - (lastSent.get(kind) ?? -Infinity) >= frameMs) {
      target(message);
      lastSent.set(kind, now);
      return;
    }
    const key = keyed[kind] as ((r: unknown) => string) | undefined;
    let bucket = queued.get(kind);
    if (bucket === undefined) queued.set(kind, (bucket = key ? new Map<string, unknown>() : []));
    for (const row of message.rows) {
      if (bucket instanceof Map) bucket.set((key as (r: unknown) => string)(row), row);
      else bucket.push(row);
    }
    if (timer === undefined) timer = clock.setTimeout(flushDue, Math.max(0, (lastSent.get(kind) ?? 0) + frameMs - now));
  };

  return {
    listener,
    flush() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const [kind, rows] of [...queued]) {
        queued.delete(kind);
        send(kind, rows instanceof Map ? [...rows.values()] : rows);
      }
    },
    close() {
      queued.clear();
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
