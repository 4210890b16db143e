import type { ExecType, OrderStatus, OrderType, SessionState, Side, TimeInForce } from '../../../shared/domain/order-types';
import type { OrderView, PendingRequestView } from '../../../shared/contract/views';
import type { AlgoStrategy } from '../../../shared/contract/algos';
import { groupDecimal } from './decimal';

// Labels are exhaustive tables: a new member of a union is a compile error until it has its label.
const SIDE_LABELS: Readonly<Record<Side, string>> = {
  buy: 'Buy',
  sell: 'Sell',
  sellShort: 'Short sell',
};

export function sideLabel(side: Side): string {
  return SIDE_LABELS[side];
}

const ORDER_TYPE_LABELS: Readonly<Record<OrderType, string>> = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop',
  stopLimit: 'Stop limit',
};

export function orderTypeLabel(orderType: OrderType): string {
  return ORDER_TYPE_LABELS[orderType];
}

const TIME_IN_FORCE_LABELS: Readonly<Record<TimeInForce, string>> = {
  day: 'Day',
  gtc: 'GTC',
  ioc: 'IOC',
  fok: 'FOK',
  gtd: 'GTD',
};

export function timeInForceLabel(tif: TimeInForce): string {
  return TIME_IN_FORCE_LABELS[tif];
}

/** How a status reads at a glance; the tone picks the badge colour. */
export type StatusTone = 'pending' | 'working' | 'partial' | 'filled' | 'done' | 'rejected' | 'held';

const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  pendingNew: 'Pending new',
  new: 'New',
  partiallyFilled: 'Partially filled',
  filled: 'Filled',
  pendingCancel: 'Pending cancel',
  pendingReplace: 'Pending replace',
  canceled: 'Canceled',
  rejected: 'Rejected',
  doneForDay: 'Done for day',
  expired: 'Expired',
  suspended: 'Suspended',
  stopped: 'Stopped',
};

export function orderStatusLabel(status: OrderStatus): string {
  return ORDER_STATUS_LABELS[status];
}

const ORDER_STATUS_TONES: Readonly<Record<OrderStatus, StatusTone>> = {
  pendingNew: 'pending',
  pendingCancel: 'pending',
  pendingReplace: 'pending',
  new: 'working',
  partiallyFilled: 'partial',
  filled: 'filled',
  canceled: 'done',
  doneForDay: 'done',
  expired: 'done',
  rejected: 'rejected',
  suspended: 'held',
  stopped: 'held',
};

export function orderStatusTone(status: OrderStatus): StatusTone {
  return ORDER_STATUS_TONES[status];
}

/** "Pending cancel", or "Pending replace → 200 @ 101.5" with whichever values the amend changes. */
export function pendingLabel(pending: PendingRequestView, order: Pick<OrderView, 'quantity' | 'limitPrice'>): string {
  if (pending.kind === 'cancel') return 'Pending cancel';
  let text = `Pending replace → ${groupDecimal(pending.quantity ?? order.quantity)}`;
  const limit = pending.limitPrice ?? order.limitPrice;
  if (limit !== undefined) text += ` @ ${groupDecimal(limit)}`;
  if (pending.stopPrice !== undefined) text += ` stop ${groupDecimal(pending.stopPrice)}`;
  return text;
}

/**
 * The status cell's text: the status, the request in flight if there is one, and while its fate is
 * unknown "? (reconciling)", or what the desk knows of why ("? (no answer from BRK)").
 */
export function orderStatusText(order: Pick<OrderView, 'status' | 'pending' | 'quantity' | 'limitPrice'> & Partial<Pick<OrderView, 'uncertain' | 'adopted'>>): string {
  const uncertain = (order.uncertain !== undefined ? ` ? (${order.uncertain.label ?? 'reconciling'})` : '') + (order.adopted ? ' (adopted)' : '');
  const base = orderStatusLabel(order.status);
  if (order.pending === undefined) return base + uncertain;
  const pending = pendingLabel(order.pending, order);
  if (order.status === 'pendingCancel' || order.status === 'pendingReplace') return pending + uncertain;
  return `${base} · ${pending}${uncertain}`;
}

const EXEC_TYPE_LABELS: Readonly<Record<ExecType, string>> = {
  new: 'New',
  trade: 'Trade',
  pendingNew: 'Pending new',
  pendingCancel: 'Pending cancel',
  canceled: 'Canceled',
  pendingReplace: 'Pending replace',
  replaced: 'Replaced',
  rejected: 'Rejected',
  doneForDay: 'Done for day',
  expired: 'Expired',
  suspended: 'Suspended',
  stopped: 'Stopped',
  restated: 'Restated',
  tradeCancel: 'Trade bust',
  tradeCorrect: 'Trade correction',
  orderStatus: 'Order status',
  calculated: 'Calculated',
};

export function execTypeLabel(execType: ExecType): string {
  return EXEC_TYPE_LABELS[execType];
}

const SESSION_STATE_LABELS: Readonly<Record<SessionState, string>> = {
  stopped: 'Stopped',
  connecting: 'Connecting',
  loggedOn: 'Logged on',
  disconnected: 'Disconnected',
};

export function sessionStateLabel(state: SessionState): string {
  return SESSION_STATE_LABELS[state];
}

/** Local wall-clock time "HH:MM:SS" of an ISO timestamp; anything unparsable is shown as given. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** "Partially filled" → the first letter upper-cased: zod's messages start in lower case. */
export function sentenceCase(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

const CONNECTION_LABELS: Readonly<Record<'connecting' | 'connected' | 'reconnecting' | 'unavailable', string>> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  unavailable: 'Offline',
};

export function connectionLabel(state: 'connecting' | 'connected' | 'reconnecting' | 'unavailable'): string {
  return CONNECTION_LABELS[state];
}

const ALGO_STRATEGY_LABELS: Readonly<Record<AlgoStrategy, string>> = {
  twap: 'TWAP',
  vwap: 'VWAP',
  pov: 'POV',
  iceberg: 'Iceberg',
};

export function algoStrategyLabel(strategy: AlgoStrategy): string {
  return ALGO_STRATEGY_LABELS[strategy];
}

/**
 * Whose algo works the order: the broker's own (its strategy, as the broker names it), or the desk's
 * (a child: its parent's strategy; "Algo" while the parent is not known here). Empty for a plain order.
 */
export function orderStrategyLabel(order: Pick<OrderView, 'parentId' | 'brokerAlgo'>, parentStrategy: AlgoStrategy | undefined): string {
  if (order.brokerAlgo !== undefined) return `${order.brokerAlgo} (broker)`;
  if (order.parentId !== undefined) return parentStrategy === undefined ? 'Algo' : algoStrategyLabel(parentStrategy);
  return '';
}
