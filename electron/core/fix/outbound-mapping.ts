import { isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import { ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import type { CancelMessage, DontKnowTradeMessage, NewOrderMessage, OutboundMessage, ReplaceMessage, StatusRequestMessage } from '../broker/broker-port';
import type { FixVersion } from '../config/desk-config';
import { DK_REASON_TO_FIX, ORDER_TYPE_TO_FIX, SIDE_TO_FIX, TIME_IN_FORCE_TO_FIX } from './fix-codes';
import { fixDialect } from './fix-dialect';
import { isoDateToFix } from './fix-text';

/** A FIX application message as the engine encodes it: field names of the FIX 4.4 dictionary. */
export interface FixFields {
  readonly [field: string]: string | Date | FixFields;
}

export interface FixOutbound {
  /** NewOrderSingle D, OrderCancelReplaceRequest G, OrderCancelRequest F, OrderStatusRequest H, DontKnowTrade Q, OrderMassStatusRequest AF. */
  readonly msgType: 'D' | 'G' | 'F' | 'H' | 'Q' | 'AF';
  readonly fields: FixFields;
}

export type OutboundMapping = { readonly ok: true; readonly fix: FixOutbound } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates a domain message and maps it to FIX fields. The engine checks nothing on the way out,
 * so every required field is checked here. Decimals go out as the exact text we were given.
 */
export function mapOutbound(message: OutboundMessage, version: FixVersion = 'FIX.4.4'): OutboundMapping {
  const problems = validateOutbound(message);
  // OrderMassStatusRequest is a FIX 4.3 message: a FIX 4.2 session never gets one.
  if (message.type === 'massStatusRequest' && version === 'FIX.4.2') problems.push('FIX 4.2 has no OrderMassStatusRequest (35=AF)');
  if (problems.length > 0) return { ok: false, problems };
  const fix = toFix(message);
  return { ok: true, fix: { msgType: fix.msgType, fields: fixDialect(version).toWire(fix.fields) } };
}

export function validateOutbound(message: OutboundMessage): string[] {
  const problems: string[] = [];
  switch (message.type) {
    case 'newOrder':
      checkOrder(message, problems);
      break;
    case 'replace':
      checkText('origClOrdId', message.origClOrdId, problems);
      checkOptionalText('brokerOrderId', message.brokerOrderId, problems);
      checkOrder(message, problems);
      break;
    case 'cancel':
      checkText('clOrdId', message.clOrdId, problems);
      checkText('origClOrdId', message.origClOrdId, problems);
      checkOptionalText('brokerOrderId', message.brokerOrderId, problems);
      checkText('symbol', message.symbol, problems);
      checkSide(message.side, problems);
      checkQuantity(message.quantity, problems);
      checkTime(message.transactTime, problems);
      break;
    case 'statusRequest':
      checkText('clOrdId', message.clOrdId, problems);
      checkOptionalText('brokerOrderId', message.brokerOrderId, problems);
      checkText('symbol', message.symbol, problems);
      checkSide(message.side, problems);
      break;
    case 'dontKnowTrade':
      checkText('brokerOrderId', message.brokerOrderId, problems);
      checkText('execId', message.execId, problems);
      checkText('symbol', message.symbol, problems);
      checkSide(message.side, problems);
      if (typeof message.quantity !== 'string' || !/^\d+(\.\d+)?$/.test(message.quantity)) problems.push(`quantity '${String(message.quantity)}' is not a decimal`);
      break;
    case 'massStatusRequest':
      checkText('massStatusReqId', message.massStatusReqId, problems);
      break;
    default:
      problems.push(`unknown message type '${String((message as { type?: unknown }).type)}'`);
  }
  return problems;
}

function toFix(message: OutboundMessage): FixOutbound {
  switch (message.type) {
    case 'newOrder':
      return { msgType: 'D', fields: { ClOrdID: message.clOrdId, ...orderFields(message) } };
    case 'replace':
      return {
        msgType: 'G',
        fields: {
          ...(message.brokerOrderId !== undefined ? { OrderID: message.brokerOrderId } : {}),
          OrigClOrdID: message.origClOrdId,
          ClOrdID: message.clOrdId,
          ...orderFields(message),
        },
      };
    case 'cancel':
      return { msgType: 'F', fields: cancelFields(message) };
    case 'statusRequest':
      return { msgType: 'H', fields: statusFields(message) };
    case 'dontKnowTrade':
      return { msgType: 'Q', fields: dontKnowFields(message) };
    case 'massStatusRequest':
      // MassStatusReqType 7: status for all orders.
      return { msgType: 'AF', fields: { MassStatusReqID: message.massStatusReqId, MassStatusReqType: '7' } };
  }
}

function dontKnowFields(m: DontKnowTradeMessage): FixFields {
  return {
    OrderID: m.brokerOrderId,
    ExecID: m.execId,
    DKReason: DK_REASON_TO_FIX[m.reason],
    Instrument: { Symbol: m.symbol },
    Side: SIDE_TO_FIX[m.side],
    OrderQtyData: { OrderQty: m.quantity },
    ...(m.lastQty !== undefined ? { LastQty: m.lastQty } : {}),
    ...(m.lastPx !== undefined ? { LastPx: m.lastPx } : {}),
    ...(m.text !== undefined ? { Text: m.text } : {}),
  };
}

/** Fields common to NewOrderSingle and OrderCancelReplaceRequest, in dictionary order. */
function orderFields(m: NewOrderMessage | ReplaceMessage): FixFields {
  const expireDate = m.timeInForce === 'gtd' && m.expireDate !== undefined ? isoDateToFix(m.expireDate) : undefined;
  return {
    Account: m.account,
    HandlInst: '1',
    Instrument: { Symbol: m.symbol },
    Side: SIDE_TO_FIX[m.side],
    TransactTime: m.transactTime,
    OrderQtyData: { OrderQty: m.quantity },
    OrdType: ORDER_TYPE_TO_FIX[m.orderType],
    ...(m.limitPrice !== undefined ? { Price: m.limitPrice } : {}),
    ...(m.stopPrice !== undefined ? { StopPx: m.stopPrice } : {}),
    TimeInForce: TIME_IN_FORCE_TO_FIX[m.timeInForce],
    ...(expireDate !== undefined ? { ExpireDate: expireDate } : {}),
  };
}

function cancelFields(m: CancelMessage): FixFields {
  return {
    OrigClOrdID: m.origClOrdId,
    ...(m.brokerOrderId !== undefined ? { OrderID: m.brokerOrderId } : {}),
    ClOrdID: m.clOrdId,
    Instrument: { Symbol: m.symbol },
    Side: SIDE_TO_FIX[m.side],
    TransactTime: m.transactTime,
    OrderQtyData: { OrderQty: m.quantity },
  };
}

function statusFields(m: StatusRequestMessage): FixFields {
  return {
    ...(m.brokerOrderId !== undefined ? { OrderID: m.brokerOrderId } : {}),
    ClOrdID: m.clOrdId,
    Instrument: { Symbol: m.symbol },
    Side: SIDE_TO_FIX[m.side],
  };
}

function checkOrder(m: NewOrderMessage | ReplaceMessage, problems: string[]): void {
  checkText('clOrdId', m.clOrdId, problems);
  checkText('account', m.account, problems);
  checkText('symbol', m.symbol, problems);
  checkSide(m.side, problems);
  if (!(ORDER_TYPES as readonly string[]).includes(m.orderType)) problems.push(`orderType '${String(m.orderType)}' is not one of ${ORDER_TYPES.join(', ')}`);
  if (!(TIME_IN_FORCES as readonly string[]).includes(m.timeInForce)) {
    problems.push(`timeInForce '${String(m.timeInForce)}' is not one of ${TIME_IN_FORCES.join(', ')}`);
  }
  checkQuantity(m.quantity, problems);
  const needsLimit = m.orderType === 'limit' || m.orderType === 'stopLimit';
  const needsStop = m.orderType === 'stop' || m.orderType === 'stopLimit';
  checkPrice('limitPrice', m.limitPrice, needsLimit, m.orderType, problems);
  checkPrice('stopPrice', m.stopPrice, needsStop, m.orderType, problems);
  if (m.timeInForce === 'gtd') {
    if (m.expireDate === undefined) problems.push('expireDate is required for a gtd order');
    else if (isoDateToFix(m.expireDate) === undefined) problems.push(`expireDate '${m.expireDate}' is not a valid YYYY-MM-DD date`);
  } else if (m.expireDate !== undefined) {
    problems.push(`expireDate is only for a gtd order, not ${m.timeInForce}`);
  }
  checkTime(m.transactTime, problems);
}

function checkPrice(name: string, value: string | undefined, required: boolean, orderType: string, problems: string[]): void {
  if (value === undefined) {
    if (required) problems.push(`${name} is required for a ${orderType} order`);
    return;
  }
  if (!required) problems.push(`a ${orderType} order takes no ${name}`);
  else if (typeof value !== 'string' || !isPositiveDecimalString(value)) problems.push(`${name} '${String(value)}' is not a positive decimal`);
}

function checkQuantity(value: string, problems: string[]): void {
  if (typeof value !== 'string' || !isPositiveDecimalString(value)) problems.push(`quantity '${String(value)}' is not a positive decimal`);
}

function checkSide(side: string, problems: string[]): void {
  if (!(SIDES as readonly string[]).includes(side)) problems.push(`side '${String(side)}' is not one of ${SIDES.join(', ')}`);
}

function checkTime(value: Date, problems: string[]): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) problems.push('transactTime is not a valid time');
}

/** A FIX string value: printable ASCII without leading or trailing spaces (no SOH can sneak in). */
const FIX_TEXT = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

function checkText(name: string, value: string, problems: string[]): void {
  if (typeof value !== 'string' || value.length === 0) problems.push(`${name} is required`);
  else if (value.length > 64) problems.push(`${name} is longer than 64 characters`);
  else if (!FIX_TEXT.test(value)) problems.push(`${name} '${value}' may only contain printable ASCII`);
}

function checkOptionalText(name: string, value: string | undefined, problems: string[]): void {
  if (value !== undefined) checkText(name, value, problems);
}
