import type { OrderStatus } from './order-types';
import { TERMINAL_STATUSES } from './order-types';

/**
 * The orders blotter's views, the same in the live blotter and in the journal's search:
 *   working    still working (or about to): not in a terminal status
 *   done       filled, canceled, rejected, expired or done for day
 *   all        every order
 *   rejected   refused by the broker or the desk
 *   attention  needs a person: its fate is uncertain, the desk adopted it from a broker's report, or
 *              (live blotter only) an alert names it
 */
export const BLOTTER_VIEWS = ['working', 'done', 'all', 'rejected', 'attention'] as const;
export type BlotterView = (typeof BLOTTER_VIEWS)[number];

export interface ViewFacts {
  readonly status: OrderStatus;
  readonly uncertain?: unknown;
  readonly adopted?: true;
}

/** Whether an order belongs in a view; `alerted`: an alert names the order (the live blotter knows). */
export function inBlotterView(view: BlotterView, order: ViewFacts, alerted = false): boolean {
  switch (view) {
    case 'working':
      return !TERMINAL_STATUSES.has(order.status);
    case 'done':
      return TERMINAL_STATUSES.has(order.status);
    case 'all':
      return true;
    case 'rejected':
      return order.status === 'rejected';
    case 'attention':
      return order.uncertain !== undefined || order.adopted === true || alerted;
  }
}
