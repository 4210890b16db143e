import {
  ORDER_STATUS_TO_FIX,
  EXEC_TYPE_TO_FIX,
  ORDER_TYPE_FROM_FIX,
  ORDER_TYPE_TO_FIX,
  SIDE_FROM_FIX,
  SIDE_TO_FIX,
  TIME_IN_FORCE_FROM_FIX,
  TIME_IN_FORCE_TO_FIX,
} from '../core/fix/fix-codes';
import type { FixVersion } from '../core/config/desk-config';
import { fixDialect } from '../core/fix/fix-dialect';
import type { FieldReader } from '../core/fix/fix-text';
import { TAG } from '../core/fix/fix-field-names';
import type { FixField } from '../core/fix/fix-wire';
import { fixTimestamp } from '../core/fix/fix-wire';
import type { CancelRequest, CxlRejReason, NewOrderRequest, OrdRejReason, Report, ReplaceRequest, StatusRequest } from './order-engine';

/** What the simulator reads from the desk's FIX messages, and how it words its answers. */

export type DecodedRequest =
  | { readonly kind: 'new'; readonly request: NewOrderRequest }
  | { readonly kind: 'replace'; readonly request: ReplaceRequest }
  | { readonly kind: 'cancel'; readonly request: CancelRequest }
  | { readonly kind: 'status'; readonly request: StatusRequest }
  | { readonly kind: 'massStatus'; readonly massStatusReqId: string }
  | {
      readonly kind: 'unreadable';
      readonly as: 'new' | 'replace' | 'cancel' | 'status';
      readonly ids: { clOrdId: string; origClOrdId?: string; symbol?: string };
      readonly text: string;
    }
  | { readonly kind: 'unsupported'; readonly msgType: string };

const KIND_BY_MSG_TYPE = { D: 'new', G: 'replace', F: 'cancel', H: 'status' } as const;

/** Which instrument a request's Instrument fields name (the market's key), or why none. */
export type IdentifyInstrument = (fields: FieldReader) => { readonly key: string } | { readonly problem: string };

/** Without `identify` an order's instrument is its Symbol (55) as sent. */
export function decodeRequest(msgType: string, fields: FieldReader, identify?: IdentifyInstrument): DecodedRequest {
  if (msgType === 'AF') {
    const id = fields.get(584);
    return id !== undefined && id !== '' ? { kind: 'massStatus', massStatusReqId: id } : { kind: 'unsupported', msgType };
  }
  const as = KIND_BY_MSG_TYPE[msgType as keyof typeof KIND_BY_MSG_TYPE];
  if (as === undefined) return { kind: 'unsupported', msgType };
  const get = (tag: number) => {
    const v = fields.get(tag);
    return v === undefined || v === '' ? undefined : v;
  };
  const clOrdId = get(11);
  const origClOrdId = get(41);
  const symbol = get(55);
  const ids = { clOrdId: clOrdId ?? 'NONE', ...(origClOrdId !== undefined ? { origClOrdId } : {}), ...(symbol !== undefined ? { symbol } : {}) };
  const problems: string[] = [];
  if (clOrdId === undefined) problems.push('ClOrdID (11) is missing');
  if ((as === 'replace' || as === 'cancel') && origClOrdId === undefined) problems.push('OrigClOrdID (41) is missing');
  if (symbol === undefined) problems.push('Symbol (55) is missing');
  const sideCode = get(54);
  const side = sideCode !== undefined ? SIDE_FROM_FIX.get(sideCode) : undefined;
  if (side === undefined) problems.push(sideCode === undefined ? 'Side (54) is missing' : `Side (54) '${sideCode}' is not supported`);
  const orderId = get(37);
  if (as === 'status' || as === 'cancel') {
    if (problems.length > 0) return { kind: 'unreadable', as, ids, text: problems.join('; ') };
    const base = { clOrdId: clOrdId!, ...(orderId !== undefined ? { orderId } : {}), symbol: symbol!, side: side! };
    const ordStatusReqId = get(790);
    return as === 'status' ? { kind: 'status', request: { ...base, ...(ordStatusReqId !== undefined ? { ordStatusReqId } : {}) } } : { kind: 'cancel', request: { ...base, origClOrdId: origClOrdId! } };
  }
  const ordTypeCode = get(40);
  const orderType = ordTypeCode !== undefined ? ORDER_TYPE_FROM_FIX.get(ordTypeCode) : undefined;
  if (orderType === undefined) problems.push(ordTypeCode === undefined ? 'OrdType (40) is missing' : `OrdType (40) '${ordTypeCode}' is not supported`);
  const tifCode = get(59) ?? '0';
  const timeInForce = TIME_IN_FORCE_FROM_FIX.get(tifCode);
  if (timeInForce === undefined) problems.push(`TimeInForce (59) '${tifCode}' is not supported`);
  const quantity = get(38);
  if (quantity === undefined) problems.push('OrderQty (38) is missing');
  const expireDate = get(432);
  if (expireDate !== undefined && !/^\d{8}$/.test(expireDate)) problems.push(`ExpireDate (432) '${expireDate}' is not YYYYMMDD`);
  if (problems.length > 0) return { kind: 'unreadable', as, ids, text: problems.join('; ') };
  const account = get(1);
  const limitPrice = get(44);
  const stopPrice = get(99);
  const identified = identify === undefined ? { key: symbol! } : identify(fields);
  const request: NewOrderRequest = {
    clOrdId: clOrdId!,
    ...(account !== undefined ? { account } : {}),
    symbol: symbol!,
    ...('key' in identified ? { instrument: identified.key } : { instrument: undefined, instrumentProblem: identified.problem }),
    side: side!,
    orderType: orderType!,
    quantity: quantity!,
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    timeInForce: timeInForce!,
    ...(expireDate !== undefined ? { expireDate } : {}),
  };
  if (as === 'new') return { kind: 'new', request };
  return { kind: 'replace', request: { ...request, origClOrdId: origClOrdId!, ...(orderId !== undefined ? { orderId } : {}) } };
}

const ORD_REJ_REASON: Readonly<Record<OrdRejReason, string>> = {
  unknownSymbol: '1',
  duplicateOrder: '6',
  unsupportedOrderCharacteristic: '11',
  incorrectQuantity: '13',
  other: '99',
};

const CXL_REJ_REASON: Readonly<Record<CxlRejReason, string>> = {
  tooLateToCancel: '0',
  unknownOrder: '1',
  duplicateClOrdId: '6',
  other: '99',
};

/**
 * ExecutionReport (8) or OrderCancelReject (9) fields in the broker's FIX version; decimals go out as
 * exact text. `instrumentFields` gives the Instrument component of an order's instrument (else the
 * report names it by Symbol only).
 */
export function encodeReport(
  report: Report,
  transactTime: Date,
  version: FixVersion = 'FIX.4.4',
  instrumentFields?: (instrument: string) => readonly FixField[] | undefined,
): { readonly msgType: '8' | '9'; readonly fields: readonly FixField[] } {
  const instrument = report.kind === 'execution' && report.instrument !== undefined ? instrumentFields?.(report.instrument) : undefined;
  const encoded = encodeReport44(report, fixTimestamp(transactTime), instrument);
  if (encoded.msgType === '8' && fixDialect(version).execTransType && report.kind === 'execution') return { msgType: '8', fields: withExecTransType(encoded.fields, report) };
  return encoded;
}

/**
 * FIX 4.2 has no ExecType F/G/H/I: a trade is ExecType 1 (partial fill) or 2 (fill), and a bust,
 * a correction and a status report are ExecTransType 1, 2 and 3 (FIX 4.2 Appendix D, D35/D36).
 */
function withExecTransType(fields: readonly FixField[], report: Extract<Report, { kind: 'execution' }>): FixField[] {
  const fillType = report.orderQty !== undefined && report.cumQty === report.orderQty ? '2' : '1';
  const byStatus = ORDER_STATUS_TO_FIX[report.ordStatus];
  const [execTransType, execType] = ((): [string, string] => {
    switch (report.execType) {
      case 'trade':
        return ['0', fillType];
      case 'tradeCancel':
        return ['1', fillType];
      case 'tradeCorrect':
        return ['2', fillType];
      case 'orderStatus':
        return ['3', byStatus];
      default:
        return ['0', EXEC_TYPE_TO_FIX[report.execType]];
    }
  })();
  return fields.flatMap((field): FixField[] => {
    if (field[0] === TAG.ExecID) return [field, [TAG.ExecTransType, execTransType]];
    return field[0] === TAG.ExecType ? [[TAG.ExecType, execType]] : [field];
  });
}

function encodeReport44(report: Report, transactTime: string, instrument: readonly FixField[] | undefined): { readonly msgType: '8' | '9'; readonly fields: readonly FixField[] } {
  const optional = (tag: number, value: string | undefined): FixField[] => (value === undefined ? [] : [[tag, value]]);
  if (report.kind === 'cancelReject') {
    return {
      msgType: '9',
      fields: [
        [TAG.OrderID, report.orderId],
        [TAG.ClOrdID, report.clOrdId],
        [TAG.OrigClOrdID, report.origClOrdId],
        [TAG.OrdStatus, ORDER_STATUS_TO_FIX[report.ordStatus]],
        [TAG.TransactTime, transactTime],
        [TAG.CxlRejResponseTo, report.responseTo === 'cancel' ? '1' : '2'],
        [TAG.CxlRejReason, CXL_REJ_REASON[report.reason]],
        ...optional(TAG.Text, report.text),
      ],
    };
  }
  return {
    msgType: '8',
    fields: [
      [TAG.OrderID, report.orderId],
      [TAG.ClOrdID, report.clOrdId],
      ...optional(TAG.OrigClOrdID, report.origClOrdId),
      [TAG.ExecID, report.execId],
      ...optional(TAG.ExecRefID, report.execRefId),
      [TAG.ExecType, EXEC_TYPE_TO_FIX[report.execType]],
      [TAG.OrdStatus, ORDER_STATUS_TO_FIX[report.ordStatus]],
      ...optional(TAG.OrdRejReason, report.ordRejReason && ORD_REJ_REASON[report.ordRejReason]),
      ...optional(TAG.ExecRestatementReason, report.execRestatementReason),
      ...optional(TAG.Account, report.account),
      ...(instrument ?? ([[TAG.Symbol, report.symbol]] as FixField[])),
      ...optional(TAG.Side, report.side && SIDE_TO_FIX[report.side]),
      ...optional(TAG.OrderQty, report.orderQty),
      ...optional(TAG.OrdType, report.orderType && ORDER_TYPE_TO_FIX[report.orderType]),
      ...optional(TAG.Price, report.limitPrice),
      ...optional(TAG.StopPx, report.stopPrice),
      ...optional(TAG.TimeInForce, report.timeInForce && TIME_IN_FORCE_TO_FIX[report.timeInForce]),
      ...optional(TAG.ExpireDate, report.expireDate),
      ...optional(TAG.LastQty, report.lastQty),
      ...optional(TAG.LastPx, report.lastPx),
      [TAG.LeavesQty, report.leavesQty],
      [TAG.CumQty, report.cumQty],
      [TAG.AvgPx, report.avgPx],
      [TAG.TransactTime, transactTime],
      ...optional(TAG.Text, report.text),
      ...optional(TAG.OrdStatusReqID, report.ordStatusReqId),
      ...(report.massStatus === undefined
        ? []
        : ([
            [TAG.MassStatusReqID, report.massStatus.reqId],
            [TAG.TotNumReports, String(report.massStatus.total)],
            [TAG.LastRptRequested, report.massStatus.last ? 'Y' : 'N'],
          ] as FixField[])),
    ],
  };
}
