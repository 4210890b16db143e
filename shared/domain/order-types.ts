/** Closed sets of the order domain. Values are the desk's words; the FIX layer maps them to tags. */

export const SIDES = ['buy', 'sell', 'sellShort'] as const;
export type Side = (typeof SIDES)[number];

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stopLimit'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCES = ['day', 'gtc', 'ioc', 'fok', 'gtd'] as const;
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/**
 * OrdStatus as the desk shows it. One line per member: what it means to the trader.
 * Transitions between them live in one table in the core (electron/core/orders/order-state-table.ts).
 */
export const ORDER_STATUSES = [
  'pendingNew', // sent (or about to be sent); the broker has not acknowledged it yet
  'new', // the broker accepted it; nothing executed yet
  'partiallyFilled', // some quantity executed, the rest still working
  'filled', // all quantity executed
  'pendingCancel', // we asked the broker to cancel; not confirmed yet
  'pendingReplace', // we asked the broker to amend; not confirmed yet
  'canceled', // no longer working; CumQty may be above zero
  'rejected', // the broker (or the desk) refused the order
  'doneForDay', // the broker stopped working it for today
  'expired', // time in force ran out
  'suspended', // the broker holds it (e.g. a trading halt); may resume
  'stopped', // the broker guaranteed a price but has not executed yet
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses from which nothing more happens to the order (short of a trade bust). */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired', 'doneForDay']);

/** ExecType of an execution report, in the desk's words (FIX tag 150). */
export const EXEC_TYPES = [
  'new',
  'trade',
  'pendingNew',
  'pendingCancel',
  'canceled',
  'pendingReplace',
  'replaced',
  'rejected',
  'doneForDay',
  'expired',
  'suspended',
  'stopped',
  'restated',
  'tradeCancel',
  'tradeCorrect',
  'orderStatus',
  'calculated',
] as const;
export type ExecType = (typeof EXEC_TYPES)[number];

export const SESSION_STATES = ['stopped', 'connecting', 'loggedOn', 'disconnected'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const ASSET_CLASSES = ['equity', 'future', 'fx', 'option', 'bond'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];
