import type { AlgoParentView } from '../../../shared/contract/algos';
import type { MarketDataSessionView } from '../../../shared/contract/market-data';
import type { TradingStateView } from '../../../shared/contract/risk';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, ReferenceData, SessionView } from '../../../shared/contract/views';
import { ALERTS_KEPT } from '../../../shared/contract/views';
import type { OrderChange } from './order-changes';
import { isOpenOrder } from './order-rules';
import { RowMap } from './row-map';
import { shareText } from './share-text';

/** What the desk has told us, as the blotters show it. Pure data; changed only by `applyStreamMessage`. */
export interface DeskData {
  readonly orders: ReadonlyMap<string, OrderView>;
  readonly executions: ReadonlyMap<string, ExecutionView>;
  readonly sessions: ReadonlyMap<string, SessionView>;
  /** The market-data sessions, by name (none when the desk has no market-data port). */
  readonly marketDataSessions: ReadonlyMap<string, MarketDataSessionView>;
  /** Algo parents by parentId (a lower version never replaces a row). */
  readonly algoParents: ReadonlyMap<string, AlgoParentView>;
  /**
   * By latest occurrence, oldest first; per level at most the desk's own bound (ALERTS_KEPT), so the
   * list is the desk's list. Includes the renderer's own notices (ids starting "local-").
   */
  readonly alerts: readonly AlertView[];
  readonly reference: ReferenceData;
  /** True once the first snapshot arrived (all its parts). */
  readonly loaded: boolean;
  /**
   * Parts of the latest snapshot still to come (the WebSocket host splits a large one: see the
   * contract's `parts`). While this is above 0 the maps hold a partial book: the blotters wait.
   */
  readonly snapshotParts: number;
  /** While parts are due: the orders from before the snapshot, whose unchanged rows are reused. */
  readonly ordersBeforeSnapshot?: ReadonlyMap<string, OrderView>;
  /** How many of `orders` are open, kept as rows change (counting 100,000 rows per delta was a hot spot). */
  readonly openOrders: number;
  /** The trading state the kill switch set: shown in the status bar, refused by the ticket. */
  readonly tradingState: TradingStateView;
}

/**
 * The executions blotter keeps the latest this many executions (by arrival); older ones stay in each
 * order's history (the desk's journal), fetched on demand. A day of fills at firehose rates would
 * otherwise grow the renderer's memory and the grid without bound (150,000 rows after 30 s at 5,000/s).
 */
export const MAX_EXECUTIONS = 5_000;

export const emptyDeskData: DeskData = {
  orders: RowMap.empty<OrderView>(),
  executions: RowMap.empty<ExecutionView>(),
  sessions: new Map(),
  marketDataSessions: new Map(),
  algoParents: new Map(),
  alerts: [],
  reference: { brokers: [], accounts: [], instruments: [] },
  loaded: false,
  snapshotParts: 0,
  openOrders: 0,
  tradingState: { mode: 'normal' },
};

/**
 * The version rule: an order row is never replaced by one with a lower (or the same) version, so a
 * late or duplicated delta cannot move an order backwards. Returns the same map when nothing changed.
 */
export function upsertOrders(
  current: ReadonlyMap<string, OrderView>,
  rows: readonly OrderView[],
): ReadonlyMap<string, OrderView> {
  return upsertOrdersCounting(current, rows).orders;
}

/** The text of an order that a new version usually repeats (see shareText). */
const ORDER_TEXT = ['orderId', 'clOrdId', 'liveClOrdId', 'brokerOrderId', 'account', 'symbol', 'status', 'quantity', 'limitPrice', 'stopPrice', 'text', 'createdAt'] as const;
/** The text of an execution that its order's row already holds. */
const EXECUTION_TEXT_OF_ORDER = ['orderId', 'clOrdId', 'broker', 'account', 'symbol', 'status'] as const;

/** upsertOrders, also saying which rows it took and by how much the number of open orders changed. */
function upsertOrdersCounting(
  current: ReadonlyMap<string, OrderView>,
  rows: readonly OrderView[],
): { orders: ReadonlyMap<string, OrderView>; accepted: ReadonlyMap<string, OrderView>; openDelta: number } {
  const accepted = new Map<string, OrderView>();
  let openDelta = 0;
  for (const row of rows) {
    const existing = accepted.get(row.orderId) ?? current.get(row.orderId);
    if (existing !== undefined && existing.version >= row.version) continue;
    shareText(row, existing, ORDER_TEXT);
    accepted.set(row.orderId, row);
    openDelta += (isOpenOrder(row) ? 1 : 0) - (existing !== undefined && isOpenOrder(existing) ? 1 : 0);
  }
  if (accepted.size === 0) return { orders: current, accepted, openDelta: 0 };
  return { orders: asRowMap(current).upsert(accepted), accepted, openDelta };
}

function asRowMap<T>(map: ReadonlyMap<string, T>): RowMap<T> {
  return map instanceof RowMap ? map : RowMap.from(map);
}

function upsertBy<T>(current: ReadonlyMap<string, T>, rows: readonly T[], key: (row: T) => string): ReadonlyMap<string, T> {
  if (rows.length === 0) return current;
  return asRowMap(current).upsertRows(rows, key);
}

function indexBy<T>(rows: readonly T[], key: (row: T) => string): RowMap<T> {
  return RowMap.from(rows.map((row) => [key(row), row] as const));
}

/** Upserts executions and drops the oldest beyond MAX_EXECUTIONS. */
function upsertExecutions(current: ReadonlyMap<string, ExecutionView>, rows: readonly ExecutionView[], orders: ReadonlyMap<string, OrderView>): ReadonlyMap<string, ExecutionView> {
  for (const row of rows) shareText<Pick<ExecutionView, (typeof EXECUTION_TEXT_OF_ORDER)[number]>>(row, orders.get(row.orderId), EXECUTION_TEXT_OF_ORDER);
  return asRowMap(current).upsertKeepingNewest(rows, executionKey, MAX_EXECUTIONS);
}

/**
 * A snapshot replaces the orders, but keeps the existing object for every row whose version did not
 * change, so the grid sees only the rows that really changed across a reconnect.
 */
function ordersFromSnapshot(current: ReadonlyMap<string, OrderView>, rows: readonly OrderView[]): RowMap<OrderView> {
  return RowMap.from(rows.map((row) => [row.orderId, reuse(current, row)] as const));
}

function reuse(before: ReadonlyMap<string, OrderView> | undefined, row: OrderView): OrderView {
  const existing = before?.get(row.orderId);
  return existing !== undefined && existing.version === row.version ? existing : row;
}

/** A part of a split snapshot arrived: one fewer to wait for. */
function partArrived(data: DeskData): Pick<DeskData, 'snapshotParts' | 'loaded' | 'ordersBeforeSnapshot'> {
  const snapshotParts = data.snapshotParts - 1;
  return snapshotParts > 0 ? { snapshotParts, loaded: data.loaded, ordersBeforeSnapshot: data.ordersBeforeSnapshot } : { snapshotParts: 0, loaded: true, ordersBeforeSnapshot: undefined };
}

function countOpen(orders: ReadonlyMap<string, OrderView>): number {
  let count = 0;
  for (const order of orders.values()) if (isOpenOrder(order)) count++;
  return count;
}

/**
 * Alerts are rows keyed by id: a new one is appended; one that occurred again (a count, a later
 * time) or was acknowledged replaces its row, at the end when it occurred again. Each level keeps
 * its newest ALERTS_KEPT, as the desk does.
 */
export function appendAlerts(current: readonly AlertView[], rows: readonly AlertView[]): readonly AlertView[] {
  if (rows.length === 0) return current;
  const byId = new Map(current.map((a) => [a.id, a] as const));
  let changed = false;
  for (const row of rows) {
    const known = byId.get(row.id);
    if (known !== undefined && sameAlert(known, row)) continue;
    if (known === undefined || known.at !== row.at) byId.delete(row.id); // (again) the newest: to the end
    byId.set(row.id, row);
    changed = true;
  }
  if (!changed) return current;
  const kept = { error: 0, warning: 0, info: 0 };
  const all = [...byId.values()];
  const out: AlertView[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const a = all[i] as AlertView;
    if (++kept[a.level] <= ALERTS_KEPT[a.level]) out.push(a);
  }
  return out.reverse();
}

function sameAlert(a: AlertView, b: AlertView): boolean {
  return a.at === b.at && a.message === b.message && (a.count ?? 1) === (b.count ?? 1) && a.acknowledged?.at === b.acknowledged?.at;
}

const unchanged = (data: DeskData) => ({ data, orders: null });

export const executionKey = (row: ExecutionView) => row.execKey;
export const sessionKey = (row: SessionView) => row.broker;
const marketDataSessionKey = (row: MarketDataSessionView) => row.name;

export function applyStreamMessage(data: DeskData, message: DeskStreamMessage): DeskData {
  return applyStreamMessageTracked(data, message).data;
}

/**
 * applyStreamMessage, also saying what changed in the orders as the grids must show it: the rows
 * taken from a delta, 'all' when a snapshot completed, null when the grids have nothing to do (no
 * order changed, or a snapshot is still arriving in parts).
 */
export function applyStreamMessageTracked(data: DeskData, message: DeskStreamMessage): { data: DeskData; orders: OrderChange | null } {
  switch (message.kind) {
    case 'snapshot': {
      const localAlerts = data.alerts.filter((a) => a.id.startsWith('local-'));
      // A snapshot arriving while another is still in parts replaces it; reuse rows from before both.
      const before = data.snapshotParts > 0 ? data.ordersBeforeSnapshot : data.orders;
      const orders = ordersFromSnapshot(before ?? emptyDeskData.orders, message.orders);
      const parts = message.parts ?? 0;
      const next: DeskData = {
        orders,
        openOrders: countOpen(orders),
        executions: indexBy(message.executions.length > MAX_EXECUTIONS ? message.executions.slice(-MAX_EXECUTIONS) : message.executions, executionKey),
        sessions: indexBy(message.sessions, sessionKey),
        marketDataSessions: indexBy(message.marketDataSessions ?? [], marketDataSessionKey),
        algoParents: indexBy(message.algoParents ?? [], (p) => p.parentId),
        alerts: appendAlerts(localAlerts, message.alerts),
        reference: message.reference,
        loaded: parts === 0 || data.loaded,
        snapshotParts: parts,
        tradingState: message.tradingState ?? { mode: 'normal' },
        ...(parts > 0 && before !== undefined ? { ordersBeforeSnapshot: before } : {}),
      };
      return { data: next, orders: parts === 0 ? 'all' : null };
    }
    case 'orders': {
      const part = data.snapshotParts > 0;
      const rows = part ? message.rows.map((row) => reuse(data.ordersBeforeSnapshot, row)) : message.rows;
      const { orders, accepted, openDelta } = upsertOrdersCounting(data.orders, rows);
      if (!part) return orders === data.orders ? unchanged(data) : { data: { ...data, orders, openOrders: data.openOrders + openDelta }, orders: accepted };
      const next = { ...data, orders, openOrders: data.openOrders + openDelta, ...partArrived(data) };
      return { data: next, orders: next.snapshotParts === 0 ? 'all' : null };
    }
    case 'executions': {
      const part = data.snapshotParts > 0;
      if (!part) return message.rows.length === 0 ? unchanged(data) : { data: { ...data, executions: upsertExecutions(data.executions, message.rows, data.orders) }, orders: null };
      const next = { ...data, executions: upsertExecutions(data.executions, message.rows, data.orders), ...partArrived(data) };
      return { data: next, orders: next.snapshotParts === 0 ? 'all' : null };
    }
    case 'sessions':
      return message.rows.length === 0 ? unchanged(data) : { data: { ...data, sessions: upsertBy(data.sessions, message.rows, sessionKey) }, orders: null };
    case 'alerts': {
      const alerts = appendAlerts(data.alerts, message.rows);
      return alerts === data.alerts ? unchanged(data) : { data: { ...data, alerts }, orders: null };
    }
    case 'marketDataSessions':
      return message.rows.length === 0 ? unchanged(data) : { data: { ...data, marketDataSessions: upsertBy(data.marketDataSessions, message.rows, marketDataSessionKey) }, orders: null };
    case 'algoParents': {
      const fresh = message.rows.filter((r) => (data.algoParents.get(r.parentId)?.version ?? 0) <= r.version);
      return fresh.length === 0 ? unchanged(data) : { data: { ...data, algoParents: upsertBy(data.algoParents, fresh, (p) => p.parentId) }, orders: null };
    }
    case 'quotes':
    case 'positions':
      // Quotes (and the positions valued on them) change many times a second: kept outside the store (app/src/quotes, app/src/positions).
      return unchanged(data);
    case 'tradingState': {
      const last = message.rows.at(-1);
      return last === undefined ? unchanged(data) : { data: { ...data, tradingState: last }, orders: null };
    }
  }
}
