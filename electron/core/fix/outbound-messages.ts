import { isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import { ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import type { CancelMessage, DontKnowTradeMessage, NewOrderMessage, OrderInstrument, OutboundMessage, ReplaceMessage, StatusRequestMessage } from '../broker/broker-port';
import type { FixVersion } from '../config/desk-config';
import { brokerAlgoFields, brokerAlgoProblems } from './broker-algo-fields';
import { DK_REASON_TO_FIX, ORDER_TYPE_TO_FIX, SIDE_TO_FIX, TIME_IN_FORCE_TO_FIX } from './fix-codes';
import { TAG } from './fix-field-names';
import { instrumentFields, orderTermsFields } from './instrument-fields';
import { fixSymbolOf } from './instrument-identity';
import { isoDateToFix } from './fix-text';
import type { FixField } from './fix-wire';
import { fixTimestamp } from './fix-wire';

/**
 * The desk's outbound messages as FIX fields, tags and exact text, the way inbound messages are
 * read (inbound-mapping.ts): NewOrderSingle D, OrderCancelReplaceRequest G, OrderCancelRequest F,
 * OrderStatusRequest H, DontKnowTrade Q, OrderMassStatusRequest AF. Nothing checks a message on its
 * way out but this: every required field is validated first, and decimals go out as the text given.
 * On the wire FIX 4.2, 4.4 and 5.0SP2 carry these fields alike (components are a dictionary's idea).
 */
export type OutboundEncoding =
  | { readonly ok: true; readonly msgType: 'D' | 'G' | 'F' | 'H' | 'Q' | 'AF'; readonly fields: readonly FixField[] }
  | { readonly ok: false; readonly problems: readonly string[] };

export function encodeOutbound(message: OutboundMessage, version: FixVersion = 'FIX.4.4'): OutboundEncoding {
  const instrument = (m: OrderInstrument): FixField[] => instrumentFields(m.instrument, version, m.tradeDate);
  const problems = validateOutbound(message);
  // OrderMassStatusRequest is a FIX 4.3 message: a FIX 4.2 session never gets one.
  if (message.type === 'massStatusRequest' && version === 'FIX.4.2') problems.push('FIX 4.2 has no OrderMassStatusRequest (35=AF)');
  if ((message.type === 'newOrder' || message.type === 'replace') && message.brokerAlgo !== undefined) problems.push(...brokerAlgoProblems(message.brokerAlgo, version));
  if (problems.length > 0) return { ok: false, problems };
  switch (message.type) {
    case 'newOrder':
      return { ok: true, msgType: 'D', fields: [[TAG.ClOrdID, message.clOrdId], ...orderFields(message, instrument(message), version)] };
    case 'replace':
      return {
        ok: true,
        msgType: 'G',
        fields: [...optional(TAG.OrderID, message.brokerOrderId), [TAG.OrigClOrdID, message.origClOrdId], [TAG.ClOrdID, message.clOrdId], ...orderFields(message, instrument(message), version)],
      };
    case 'cancel':
      return { ok: true, msgType: 'F', fields: cancelFields(message, instrument(message)) };
    case 'statusRequest':
      return { ok: true, msgType: 'H', fields: statusFields(message, instrument(message), version) };
    case 'dontKnowTrade':
      return { ok: true, msgType: 'Q', fields: dontKnowFields(message) };
    case 'massStatusRequest':
      // MassStatusReqType 7: status for all orders.
      return { ok: true, msgType: 'AF', fields: [[TAG.MassStatusReqID, message.massStatusReqId], [TAG.MassStatusReqType, '7']] };
  }
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
      checkInstrument(message, problems);
      checkSide(message.side, problems);
      checkQuantity(message.quantity, problems);
      checkTime(message.transactTime, problems);
      break;
    case 'statusRequest':
      checkText('clOrdId', message.clOrdId, problems);
      checkOptionalText('brokerOrderId', message.brokerOrderId, problems);
      checkOptionalText('ordStatusReqId', message.ordStatusReqId, problems);
      checkInstrument(message, problems);
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

function optional(tag: number, value: string | undefined): FixField[] {
  return value === undefined ? [] : [[tag, value]];
}

function dontKnowFields(m: DontKnowTradeMessage): FixField[] {
  return [
    [TAG.OrderID, m.brokerOrderId],
    [TAG.ExecID, m.execId],
    [TAG.DKReason, DK_REASON_TO_FIX[m.reason]],
    [TAG.Symbol, m.symbol],
    [TAG.Side, SIDE_TO_FIX[m.side]],
    [TAG.OrderQty, m.quantity],
    ...optional(TAG.LastQty, m.lastQty),
    ...optional(TAG.LastPx, m.lastPx),
    ...optional(TAG.Text, m.text),
  ];
}

/** Fields common to NewOrderSingle and OrderCancelReplaceRequest, in dictionary order (the instrument's own, then the order's terms: Currency, settlement, PriceType). */
function orderFields(m: NewOrderMessage | ReplaceMessage, instrument: readonly FixField[], version: FixVersion): FixField[] {
  const expireDate = m.timeInForce === 'gtd' && m.expireDate !== undefined ? isoDateToFix(m.expireDate) : undefined;
  return [
    [TAG.Account, m.account],
    [TAG.HandlInst, '1'],
    ...instrument,
    [TAG.Side, SIDE_TO_FIX[m.side]],
    [TAG.TransactTime, fixTimestamp(m.transactTime)],
    [TAG.OrderQty, m.quantity],
    [TAG.OrdType, ORDER_TYPE_TO_FIX[m.orderType]],
    ...optional(TAG.Price, m.limitPrice),
    ...optional(TAG.StopPx, m.stopPrice),
    [TAG.TimeInForce, TIME_IN_FORCE_TO_FIX[m.timeInForce]],
    ...optional(TAG.ExpireDate, expireDate),
    ...orderTermsFields(m.instrument, version, m.tradeDate),
    ...(m.brokerAlgo !== undefined ? brokerAlgoFields(m.brokerAlgo, version) : []),
  ];
}

function cancelFields(m: CancelMessage, instrument: readonly FixField[]): FixField[] {
  return [
    [TAG.OrigClOrdID, m.origClOrdId],
    ...optional(TAG.OrderID, m.brokerOrderId),
    [TAG.ClOrdID, m.clOrdId],
    ...instrument,
    [TAG.Side, SIDE_TO_FIX[m.side]],
    [TAG.TransactTime, fixTimestamp(m.transactTime)],
    [TAG.OrderQty, m.quantity],
  ];
}

/** FIX 4.2 has no OrdStatusReqID (790): it is left out there. */
function statusFields(m: StatusRequestMessage, instrument: readonly FixField[], version: FixVersion): FixField[] {
  const reqId = version === 'FIX.4.2' ? [] : optional(TAG.OrdStatusReqID, m.ordStatusReqId);
  return [...optional(TAG.OrderID, m.brokerOrderId), [TAG.ClOrdID, m.clOrdId], ...reqId, ...instrument, [TAG.Side, SIDE_TO_FIX[m.side]]];
}

/** An order message names an instrument of the master (its FIX Symbol printable) and the trade date its dates come from. */
function checkInstrument(m: OrderInstrument, problems: string[]): void {
  if (typeof m.instrument !== 'object' || m.instrument === null || typeof m.instrument.id !== 'string') {
    problems.push('instrument is required');
    return;
  }
  checkText('symbol', fixSymbolOf(m.instrument), problems);
  if (typeof m.tradeDate !== 'string' || isoDateToFix(m.tradeDate) === undefined) problems.push(`tradeDate '${String(m.tradeDate)}' is not a valid YYYY-MM-DD date`);
}

function checkOrder(m: NewOrderMessage | ReplaceMessage, problems: string[]): void {
  checkText('clOrdId', m.clOrdId, problems);
  checkText('account', m.account, problems);
  checkInstrument(m, problems);
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
