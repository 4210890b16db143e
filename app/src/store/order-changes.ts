import type { OrderView } from '../../../shared/contract/views';

/**
 * The order rows the store accepted, as they arrive, for the grid feeds: a grid's transactions are
 * built from these deltas, not recovered afterwards by comparing versions of the store's map.
 * 'all' = a fresh snapshot replaced the orders (compare everything).
 */
export type OrderChange = ReadonlyMap<string, OrderView> | 'all';

/** `before`: the orders as they were before the change (for a delta: each changed row's previous version). */
export type OrderChangeListener = (change: OrderChange, before: ReadonlyMap<string, OrderView>) => void;

const listeners = new Set<OrderChangeListener>();

/** Calls `listener` after every change to the store's orders; returns the function that stops it. */
export function onOrderChange(listener: OrderChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishOrderChange(change: OrderChange, before: ReadonlyMap<string, OrderView> = new Map()): void {
  for (const listener of listeners) listener(change, before);
}
