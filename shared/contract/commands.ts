import type { z } from 'zod';
import { amendRequestSchema, cancelOrdersRequestSchema, cancelRequestSchema, orderHistoryRequestSchema, orderTicketSchema, settleOrderRequestSchema } from './ticket';
import { acknowledgeAlertsRequestSchema } from './alert-requests';
import { fixLogRequestSchema, sessionActionRequestSchema, setNextSequenceNumbersRequestSchema } from './session-requests';
import type { OrderSearchPage } from './order-search';
import { orderSearchRequestSchema } from './order-search';
import type { FixLogPage, OrderHistory, SessionActionOutcome } from './views';
import type { StoredWorkspace } from './workspace';
import { getWorkspaceRequestSchema, saveWorkspaceRequestSchema } from './workspace';
import type { InstrumentDetails, InstrumentSearchResult, OrderPreview } from './instruments';
import { getInstrumentRequestSchema, previewOrderRequestSchema, searchInstrumentsRequestSchema } from './instruments';
import type { Result } from './result';
import type { QuoteSubscriptions } from './market-data';
import { subscribeQuotesRequestSchema, unsubscribeQuotesRequestSchema } from './market-data';
import { fail } from './result';
import type { BrokerAlgoDefinitions } from './broker-algos';
import { getAlgoDefinitionsRequestSchema } from './broker-algos';
import type { AlgoStarted } from './algos';
import { algoParentRequestSchema, amendAlgoRequestSchema, startAlgoRequestSchema } from './algos';
import type { ImportStartOfDayResult } from './positions';
import { importStartOfDayRequestSchema } from './positions';
import type { RiskLimitsReloaded, RiskLimitsView, TradingStateChanged } from './risk';
import { getRiskLimitsRequestSchema, reloadRiskLimitsRequestSchema, setTradingStateRequestSchema } from './risk';

/**
 * Every command the desk accepts, declared once. Transports (IPC, WebSocket) derive their allow-lists
 * and validation from this table; a change here breaks both ends at compile time.
 */
export const commandSchemas = {
  submitOrder: orderTicketSchema,
  amendOrder: amendRequestSchema,
  cancelOrder: cancelRequestSchema,
  cancelOrders: cancelOrdersRequestSchema,
  getOrderHistory: orderHistoryRequestSchema,
  connectSession: sessionActionRequestSchema,
  logoutSession: sessionActionRequestSchema,
  setNextSequenceNumbers: setNextSequenceNumbersRequestSchema,
  getFixLog: fixLogRequestSchema,
  searchOrders: orderSearchRequestSchema,
  getWorkspace: getWorkspaceRequestSchema,
  saveWorkspace: saveWorkspaceRequestSchema,
  settleOrder: settleOrderRequestSchema,
  acknowledgeAlerts: acknowledgeAlertsRequestSchema,
  searchInstruments: searchInstrumentsRequestSchema,
  getInstrument: getInstrumentRequestSchema,
  previewOrder: previewOrderRequestSchema,
  subscribeQuotes: subscribeQuotesRequestSchema,
  unsubscribeQuotes: unsubscribeQuotesRequestSchema,
  getAlgoDefinitions: getAlgoDefinitionsRequestSchema,
  startAlgo: startAlgoRequestSchema,
  pauseAlgo: algoParentRequestSchema,
  resumeAlgo: algoParentRequestSchema,
  amendAlgo: amendAlgoRequestSchema,
  cancelAlgo: algoParentRequestSchema,
  importStartOfDay: importStartOfDayRequestSchema,
  setTradingState: setTradingStateRequestSchema,
  reloadRiskLimits: reloadRiskLimitsRequestSchema,
  getRiskLimits: getRiskLimitsRequestSchema,
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

export type CommandParams<C extends CommandName> = z.infer<(typeof commandSchemas)[C]>;

export interface OrderAccepted {
  readonly orderId: string;
  readonly clOrdId: string;
}

export interface CancelOrdersOutcome {
  readonly results: ReadonlyArray<{ readonly orderId: string; readonly result: Result<OrderAccepted> }>;
}

export interface OrderSettled {
  readonly orderId: string;
}

export interface AlertsAcknowledged {
  /** How many of the given alerts were still listed and not yet acknowledged. */
  readonly acknowledged: number;
}

export interface CommandResults {
  submitOrder: OrderAccepted;
  amendOrder: OrderAccepted;
  cancelOrder: OrderAccepted;
  cancelOrders: CancelOrdersOutcome;
  getOrderHistory: OrderHistory;
  connectSession: SessionActionOutcome;
  logoutSession: SessionActionOutcome;
  setNextSequenceNumbers: SessionActionOutcome;
  getFixLog: FixLogPage;
  searchOrders: OrderSearchPage;
  getWorkspace: StoredWorkspace;
  saveWorkspace: { readonly revision: number };
  settleOrder: OrderSettled;
  acknowledgeAlerts: AlertsAcknowledged;
  searchInstruments: InstrumentSearchResult;
  getInstrument: InstrumentDetails;
  previewOrder: OrderPreview;
  subscribeQuotes: QuoteSubscriptions;
  unsubscribeQuotes: QuoteSubscriptions;
  getAlgoDefinitions: BrokerAlgoDefinitions;
  startAlgo: AlgoStarted;
  pauseAlgo: AlgoStarted;
  resumeAlgo: AlgoStarted;
  amendAlgo: AlgoStarted;
  cancelAlgo: AlgoStarted;
  importStartOfDay: ImportStartOfDayResult;
  setTradingState: TradingStateChanged;
  reloadRiskLimits: RiskLimitsReloaded;
  getRiskLimits: RiskLimitsView;
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, name);
}

/** Validates an untrusted command; on failure returns the INVALID_REQUEST result, with per-field messages. */
export function parseCommand<C extends CommandName>(
  name: C,
  params: unknown,
): { ok: true; params: CommandParams<C> } | { ok: false; result: Result<never> } {
  const parsed = commandSchemas[name].safeParse(params);
  if (parsed.success) return { ok: true, params: parsed.data as CommandParams<C> };
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  const message = parsed.error.issues.map((i) => i.message).join('; ');
  return { ok: false, result: fail('INVALID_REQUEST', message, fields) };
}
