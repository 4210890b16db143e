import type { DeskConfig } from '../config/desk-config';
import type { Journal } from '../journal/journal';
import { AlgoParents } from '../algos/algo-parents';
import { AlertLog } from '../alerts/alert-log';
import type { OrderEventsBefore } from '../orders/order-book';
import { OrderBook } from '../orders/order-book';
import { OpenOrdersByAccount } from '../orders/open-orders-by-account';
import { Positions } from '../positions/positions';
import { DeliveredExecutions } from './delivered-executions';
import { dropCopyConfig } from './drop-copy';
import { SentStatusRequests } from './sent-status-requests';
import { RiskLimitsState } from '../risk/risk-limits-state';
import { RiskUsage } from '../risk/risk-usage';
import { TradingState } from '../risk/trading-state';
import { TradingDayState } from './trading-day-state';

/**
 * THE READ MODELS of the desk, in the order every event is folded into them (journal/read-model.ts:
 * `applyAll`, live and on replay alike). Each is kept in the desk's snapshots under its name; a
 * snapshot holding another set of read models (or another version of one) is not used.
 * A read model later in the list may read the views of those before it (their state after the event).
 */
export function deskReadModels(config: DeskConfig, eventsBefore: OrderEventsBefore) {
  const orders = new OrderBook(eventsBefore);
  const day = new TradingDayState();
  const riskLimits = new RiskLimitsState();
  return {
    day,
    orders,
    alerts: new AlertLog(),
    dropCopy: new DeliveredExecutions(config.brokers.filter((b) => dropCopyConfig(b) !== undefined).map((b) => b.name)),
    openOrdersByAccount: new OpenOrdersByAccount(orders.view),
    sentStatusRequests: new SentStatusRequests(),
    algoParents: new AlgoParents(orders.view),
    positions: new Positions(orders.view, day.view.day),
    riskLimits,
    riskUsage: new RiskUsage(orders.view, riskLimits.view),
    tradingState: new TradingState(orders.view),
  };
}

export type DeskReadModels = ReturnType<typeof deskReadModels>;

/** An order of an earlier day, read back from the journal (what the order book recalls when an event is for one). */
export function journalEventsBefore(journal: Pick<Journal, 'eventsForOrder'>): OrderEventsBefore {
  return (orderId, beforeSeq) => journal.eventsForOrder(orderId, beforeSeq).map((e) => e.event);
}
