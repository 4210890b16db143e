import type { TradingMode, TradingStateView } from '../../../shared/contract/risk';
import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import { isOpen } from '../orders/order';
import type { OrderBookView } from '../orders/order-book';

type StateEntry = readonly [mode: TradingMode, at: string, by: string, reason: string];
type Deferred = readonly [orderId: string, broker: string];

export interface TradingStateModelView {
  state(): TradingStateView;
  /** Orders whose kill-switch cancel waits for their broker to log on. */
  deferredCancels(broker: string): readonly string[];
}

/** What an event did: the mode changed (to publish), or a broker's deferred cancels changed. */
export interface TradingStateChange {
  readonly mode?: TradingStateView;
}

/**
 * The trading state set by the kill switch (risk/trading-state-table.ts says what each mode lets
 * through), and the cancels it deferred while their broker was down. Folded after the order book:
 * a deferred cancel is dropped once its order is canceled, requested or no longer open.
 */
export class TradingState implements ReadModel<TradingStateChange | undefined, TradingStateModelView, { state: StateEntry; deferred: Deferred }> {
  readonly name = 'tradingState';
  readonly version = 1;
  readonly parts = { state: STATE_CODEC, deferred: DEFERRED_CODEC };
  private state: StateEntry | undefined;
  private deferred = new Map<string, Deferred>();
  readonly view: TradingStateModelView;

  constructor(private readonly orders: OrderBookView) {
    this.view = {
      state: () => stateView(this.state),
      deferredCancels: (broker) => [...this.deferred.values()].filter((d) => d[1] === broker).map((d) => d[0]),
    };
  }

  apply(event: DeskEvent): TradingStateChange | undefined {
    switch (event.type) {
      case 'tradingStateSet':
        this.state = [event.mode, event.at, event.by, event.reason];
        return { mode: stateView(this.state) };
      case 'cancelDeferred':
        this.deferred.set(event.orderId, [event.orderId, event.broker]);
        return undefined;
      case 'cancelRequested':
        this.deferred.delete(event.orderId);
        return undefined;
      default: {
        if (this.deferred.size === 0 || !('orderId' in event) || event.orderId === undefined) return undefined;
        const order = this.orders.get(event.orderId);
        if (this.deferred.has(event.orderId) && (order === undefined || !isOpen(order))) this.deferred.delete(event.orderId);
        return undefined;
      }
    }
  }

  capture() {
    return { state: this.state === undefined ? [] : [this.state], deferred: [...this.deferred.values()] };
  }

  restore(parts: { readonly state: readonly StateEntry[]; readonly deferred: readonly Deferred[] }): void {
    this.state = parts.state[0];
    this.deferred = new Map(parts.deferred.map((d) => [d[0], d]));
  }
}

function stateView(entry: StateEntry | undefined): TradingStateView {
  if (entry === undefined) return { mode: 'normal' };
  return { mode: entry[0], since: entry[1], by: entry[2], reason: entry[3] };
}

const MODES: ReadonlySet<string> = new Set<TradingMode>(['normal', 'reduceOnly', 'halted']);

const STATE_CODEC: PartCodec<StateEntry> = {
  entriesPerBlock: 1,
  write: (s, w) => {
    w.str(s[0]);
    w.inline(s[1]);
    w.str(s[2]);
    w.inline(s[3]);
  },
  read: (r): StateEntry => {
    const mode = r.str();
    if (!MODES.has(mode)) throw new SnapshotFormatError(`unknown trading mode ${mode}`);
    return [mode as TradingMode, r.str(), r.str(), r.str()];
  },
};

const DEFERRED_CODEC: PartCodec<Deferred> = {
  entriesPerBlock: 1_024,
  write: (d, w) => {
    w.inline(d[0]);
    w.str(d[1]);
  },
  read: (r): Deferred => [r.str(), r.str()],
};
