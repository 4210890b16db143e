import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, ReferenceData, SessionView } from '../../../shared/contract/views';

/** What the desk has told us, as the blotters show it. Pure data; changed only by `applyStreamMessage`. */
export interface DeskData {
  readonly orders: ReadonlyMap<string, OrderView>;
  readonly executions: ReadonlyMap<string, ExecutionView>;
  readonly sessions: ReadonlyMap<string, SessionView>;
  /** Oldest first, at most MAX_ALERTS. Includes the renderer's own notices (ids starting "local-"). */
  readonly alerts: readonly AlertView[];
  readonly reference: ReferenceData;
  /** True once the first snapshot arrived. */
  readonly loaded: boolean;
}

export const MAX_ALERTS = 200;

export const emptyDeskData: DeskData = {
  orders: new Map(),
  executions: new Map(),
  sessions: new Map(),
  alerts: [],
  reference: { brokers: [], accounts: [], instruments: [] },
  loaded: false,
};

/**
 * The version rule: an order row is never replaced by one with a lower (or the same) version, so a
 * late or duplicated delta cannot move an order backwards. Returns the same map when nothing changed.
 */
export function upsertOrders(
  current: ReadonlyMap<string, OrderView>,
  rows: readonly OrderView[],
): ReadonlyMap<string, OrderView> {
  let next: Map<string, OrderView> | null = null;
  for (const row of rows) {
    const existing = (next ?? current).get(row.orderId);
    if (existing !== undefined && existing.version >= row.version) continue;
    next ??= new Map(current);
    next.set(row.orderId, row);
  }
  return next ?? current;
}

function upsertBy<T>(current: ReadonlyMap<string, T>, rows: readonly T[], key: (row: T) => string): ReadonlyMap<string, T> {
  if (rows.length === 0) return current;
  const next = new Map(current);
  for (const row of rows) next.set(key(row), row);
  return next;
}

function indexBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) map.set(key(row), row);
  return map;
}

/**
 * A snapshot replaces the orders, but keeps the existing object for every row whose version did not
 * change, so the grid sees only the rows that really changed across a reconnect.
 */
function ordersFromSnapshot(current: ReadonlyMap<string, OrderView>, rows: readonly OrderView[]): Map<string, OrderView> {
  const next = new Map<string, OrderView>();
  for (const row of rows) {
    const existing = current.get(row.orderId);
    next.set(row.orderId, existing !== undefined && existing.version === row.version ? existing : row);
  }
  return next;
}

export function appendAlerts(current: readonly AlertView[], rows: readonly AlertView[]): readonly AlertView[] {
  if (rows.length === 0) return current;
  const known = new Set(current.map((a) => a.id));
  const fresh = rows.filter((a) => !known.has(a.id));
  if (fresh.length === 0) return current;
  const all = [...current, ...fresh];
  return all.length > MAX_ALERTS ? all.slice(all.length - MAX_ALERTS) : all;
}

export const executionKey = (row: ExecutionView) => row.execKey;
export const sessionKey = (row: SessionView) => row.broker;

export function applyStreamMessage(data: DeskData, message: DeskStreamMessage): DeskData {
  switch (message.kind) {
    case 'snapshot': {
      const localAlerts = data.alerts.filter((a) => a.id.startsWith('local-'));
      return {
        orders: ordersFromSnapshot(data.orders, message.orders),
        executions: indexBy(message.executions, executionKey),
        sessions: indexBy(message.sessions, sessionKey),
        alerts: appendAlerts(localAlerts, message.alerts),
        reference: message.reference,
        loaded: true,
      };
    }
    case 'orders': {
      const orders = upsertOrders(data.orders, message.rows);
      return orders === data.orders ? data : { ...data, orders };
    }
    case 'executions':
      return message.rows.length === 0 ? data : { ...data, executions: upsertBy(data.executions, message.rows, executionKey) };
    case 'sessions':
      return message.rows.length === 0 ? data : { ...data, sessions: upsertBy(data.sessions, message.rows, sessionKey) };
    case 'alerts': {
      const alerts = appendAlerts(data.alerts, message.rows);
      return alerts === data.alerts ? data : { ...data, alerts };
    }
  }
}
