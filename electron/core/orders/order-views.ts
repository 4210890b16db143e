import type { ExecutionView, OrderView } from '../../../shared/contract/views';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { Order } from './order';
import { displayedStatus } from './order';
import type { Dec } from '../decimal/decimal';
import { decimalString } from '../decimal/decimal';
import { valueTerms } from '../instruments/contract-terms';

/** The view's value terms, left out where they are 1 and the price currency (an equity in USD). */
function valueFields(o: Order): Pick<OrderView, 'valueFactor' | 'valueCurrency'> {
  const terms = valueTerms(o.instrument);
  return {
    ...(!terms.factor.equals(1) && { valueFactor: decimalString(terms.factor) }),
    ...(terms.currency !== o.instrument.currency && { valueCurrency: terms.currency }),
  };
}

export function orderView(o: Order): OrderView {
  const p = o.pending;
  return {
    orderId: o.orderId,
    clOrdId: o.clOrdId,
    liveClOrdId: o.liveClOrdId,
    ...(o.brokerOrderId !== undefined && { brokerOrderId: o.brokerOrderId }),
    broker: o.broker,
    account: o.account,
    instrumentId: o.instrument.id,
    assetClass: o.instrument.assetClass,
    symbol: o.instrument.symbol,
    currency: o.instrument.currency,
    ...valueFields(o),
    ...(o.settlDate !== undefined && { settlDate: o.settlDate }),
    side: o.side,
    orderType: o.orderType,
    timeInForce: o.timeInForce,
    ...(o.expireDate !== undefined && { expireDate: o.expireDate }),
    quantity: decimalString(o.quantity),
    ...(o.limitPrice !== undefined && { limitPrice: decimalString(o.limitPrice) }),
    ...(o.stopPrice !== undefined && { stopPrice: decimalString(o.stopPrice) }),
    status: displayedStatus(o),
    cumQty: decimalString(o.cumQty),
    leavesQty: decimalString(o.leavesQty),
    avgPx: decimalString(o.avgPx),
    ...(p !== undefined && {
      pending: {
        kind: p.kind,
        clOrdId: p.clOrdId,
        ...(p.timedOut === true && { noAnswer: true as const }),
        ...(p.quantity !== undefined && { quantity: decimalString(p.quantity) }),
        ...(p.limitPrice !== undefined && { limitPrice: decimalString(p.limitPrice) }),
        ...(p.stopPrice !== undefined && { stopPrice: decimalString(p.stopPrice) }),
      },
    }),
    ...(o.text !== undefined && { text: o.text }),
    ...(o.risk !== undefined && { risk: o.risk }),
    ...(o.uncertain !== undefined && { uncertain: o.uncertain }),
    ...(o.adopted === true && { adopted: true as const }),
    ...(o.parentId !== undefined && { parentId: o.parentId }),
    ...(o.brokerAlgo !== undefined && { brokerAlgo: o.brokerAlgo }),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: o.version,
  };
}

/** An execution row as the core keeps it: the view itself (state says whether a bust or correction ended it). */
export type ExecutionRecord = ExecutionView;

export function executionView(
  order: Order,
  broker: string,
  r: ExecutionReportMessage,
  receivedAt: string,
  reconciled?: { readonly quantity: Dec; readonly price: Dec },
): ExecutionRecord {
  if (reconciled !== undefined) {
    return {
      ...executionView(order, broker, r, receivedAt),
      lastQty: decimalString(reconciled.quantity),
      lastPx: decimalString(reconciled.price),
      reconciled: true,
    };
  }
  return {
    state: 'active',
    ...(r.execRefId !== undefined && { execRefId: r.execRefId }),
    execKey: executionKey(broker, r.execId),
    execId: r.execId,
    orderId: order.orderId,
    clOrdId: r.clOrdId,
    broker,
    account: order.account,
    instrumentId: order.instrument.id,
    assetClass: order.instrument.assetClass,
    symbol: order.instrument.symbol,
    currency: order.instrument.currency,
    side: order.side,
    execType: r.execType,
    lastQty: r.lastQty ?? '0',
    lastPx: r.lastPx ?? '0',
    cumQty: r.cumQty,
    avgPx: r.avgPx,
    status: r.ordStatus,
    ...(r.transactTime !== undefined && { transactTime: r.transactTime }),
    receivedAt,
  };
}

/** ExecIDs are unique per broker only. */
export function executionKey(broker: string, execId: string): string {
  return `${broker}:${execId}`;
}
