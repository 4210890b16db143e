import { isDecimalString } from '../../../shared/domain/decimal-string';
import type { OrderStatus, Side } from '../../../shared/domain/order-types';
import type { CancelRejectMessage, ExecutionReportMessage, ReportedInstrument } from '../broker/broker-port';
import {
  CXL_REJ_REASON_TEXT,
  EXEC_RESTATEMENT_REASON_TEXT,
  EXEC_TRANS_TYPE_FROM_FIX,
  EXEC_TYPE_FROM_FIX,
  ORDER_STATUS_FROM_FIX,
  ORD_REJ_REASON_TEXT,
  SIDE_FROM_FIX,
} from './fix-codes';
import { TAG } from './fix-field-names';
import type { FieldReader } from './fix-text';
import { fixTimestampToIso } from './fix-text';

export type InboundMapping = { readonly ok: true; readonly message: ExecutionReportMessage | CancelRejectMessage } | { readonly ok: false; readonly reason: string };

/** The broker's placeholder OrderID for an order it does not know. */
const NO_ORDER_ID = 'NONE';

/**
 * Maps ExecutionReport (8) and OrderCancelReject (9) to the desk's words. Decimals are taken as the
 * text the broker sent, never through a binary float. Anything missing or malformed is refused as a
 * whole: the caller reports it and applies nothing.
 */
export function mapInbound(msgType: string, fields: FieldReader, raw: string): InboundMapping {
  try {
    switch (msgType) {
      case '8':
        return { ok: true, message: executionReport(new Reader(fields), raw) };
      case '9':
        return { ok: true, message: cancelReject(new Reader(fields), raw) };
      default:
        return { ok: false, reason: `unexpected application message type '${msgType}'` };
    }
  } catch (e) {
    if (e instanceof MalformedField) return { ok: false, reason: e.message };
    throw e;
  }
}

function executionReport(r: Reader, raw: string): ExecutionReportMessage {
  const execType = execTypeOf(r);
  const isTrade = execType === 'trade' || execType === 'tradeCorrect';
  const restatementCode = r.optional(TAG.ExecRestatementReason);
  const ordRejReason = r.optional(TAG.OrdRejReason);
  const text = r.optional(TAG.Text) ?? (ordRejReason !== undefined ? ORD_REJ_REASON_TEXT.get(ordRejReason) : undefined);
  // Built field by field in the message's key order (optional ones only when present): no small
  // object per optional field spread into the result, on every report.
  const m: Building<ExecutionReportMessage> = {
    type: 'executionReport',
    execId: own(r.required(TAG.ExecID, 'ExecID')),
    execType,
    ordStatus: r.ordStatus(true) as OrderStatus,
    clOrdId: r.required(TAG.ClOrdID, 'ClOrdID'),
  };
  put(m, 'origClOrdId', r.optional(TAG.OrigClOrdID));
  put(m, 'brokerOrderId', brokerOrderId(r));
  put(m, 'symbol', r.optional(TAG.Symbol));
  put(m, 'instrument', reportedInstrument(r));
  put(m, 'side', r.side());
  put(m, 'orderQty', r.decimal(TAG.OrderQty, 'OrderQty', false, true));
  put(m, 'limitPrice', r.decimal(TAG.Price, 'Price', false));
  put(m, 'stopPrice', r.decimal(TAG.StopPx, 'StopPx', false));
  put(m, 'lastQty', r.decimal(TAG.LastQty, 'LastQty', isTrade, true));
  put(m, 'lastPx', r.decimal(TAG.LastPx, 'LastPx', isTrade));
  m.cumQty = r.decimal(TAG.CumQty, 'CumQty', true, true) as string;
  m.leavesQty = r.decimal(TAG.LeavesQty, 'LeavesQty', true, true) as string;
  m.avgPx = r.decimal(TAG.AvgPx, 'AvgPx', true) as string;
  put(m, 'execRefId', ownOptional(r.optional(TAG.ExecRefID)));
  put(m, 'restatementReason', restatementCode !== undefined ? (EXEC_RESTATEMENT_REASON_TEXT.get(restatementCode) ?? `reason ${restatementCode}`) : undefined);
  put(m, 'text', text);
  put(m, 'transactTime', r.timestamp(TAG.TransactTime, 'TransactTime'));
  put(m, 'massStatusReqId', r.optional(TAG.MassStatusReqID));
  put(m, 'ordStatusReqId', r.optional(TAG.OrdStatusReqID));
  put(m, 'totNumReports', r.count(TAG.TotNumReports, 'TotNumReports'));
  put(m, 'lastRptRequested', r.flag(TAG.LastRptRequested, 'LastRptRequested'));
  m.possDup = r.possDup();
  m.seqNum = r.seqNum();
  m.raw = raw;
  return m as ExecutionReportMessage;
}

/** A message while it is read: every field optional and writable. */
type Building<T> = { -readonly [K in keyof T]?: T[K] };

/** Sets an optional field only when the message has it (absent, never undefined). */
function put<T, K extends keyof T>(m: Building<T>, key: K, value: T[K] | undefined): void {
  if (value !== undefined) m[key] = value;
}

/**
 * ExecType (150), read per FIX version: FIX 4.2 carries busts, corrections and status reports in
 * ExecTransType (20) with ExecType describing the order (1/2 = partial fill/fill are trades);
 * FIX 4.4 and 5.0 have ExecType F/G/H/I and no ExecTransType.
 */
function execTypeOf(r: Reader): ExecutionReportMessage['execType'] {
  const execTypeCode = r.required(TAG.ExecType, 'ExecType');
  const execType = EXEC_TYPE_FROM_FIX.get(execTypeCode);
  if (execType === undefined) throw new MalformedField(`unknown ExecType (150) '${execTypeCode}'`);
  const transTypeCode = r.optional(TAG.ExecTransType);
  if (transTypeCode === undefined) return execType;
  const transType = EXEC_TRANS_TYPE_FROM_FIX.get(transTypeCode);
  if (transType === undefined) throw new MalformedField(`unknown ExecTransType (20) '${transTypeCode}'`);
  return transType === 'new' ? execType : transType;
}

function cancelReject(r: Reader, raw: string): CancelRejectMessage {
  const responseTo = r.required(TAG.CxlRejResponseTo, 'CxlRejResponseTo');
  if (responseTo !== '1' && responseTo !== '2') throw new MalformedField(`CxlRejResponseTo (434) '${responseTo}' is not 1 or 2`);
  const reason = r.optional(TAG.CxlRejReason);
  const text = r.optional(TAG.Text) ?? (reason !== undefined ? CXL_REJ_REASON_TEXT.get(reason) : undefined);
  return {
    type: 'cancelReject',
    clOrdId: r.required(TAG.ClOrdID, 'ClOrdID'),
    ...defined('origClOrdId', r.optional(TAG.OrigClOrdID)),
    ...defined('brokerOrderId', brokerOrderId(r)),
    ...defined('ordStatus', r.ordStatus(false)),
    responseTo: responseTo === '1' ? 'cancel' : 'replace',
    ...defined('text', text),
    possDup: r.possDup(),
    seqNum: r.seqNum(),
    raw,
  };
}

const REPORTED_INSTRUMENT: ReadonlyArray<readonly [keyof ReportedInstrument, number]> = [
  ['symbol', TAG.Symbol],
  ['securityId', TAG.SecurityID],
  ['securityIdSource', TAG.SecurityIDSource],
  ['securityType', TAG.SecurityType],
  ['maturityMonthYear', TAG.MaturityMonthYear],
  ['maturityDay', TAG.MaturityDay],
  ['maturityDate', TAG.MaturityDate],
  ['putOrCall', TAG.PutOrCall],
  ['strikePrice', TAG.StrikePrice],
  ['securityExchange', TAG.SecurityExchange],
  ['settlDate', TAG.SettlDate],
];

/** The Instrument component's fields the report carries (undefined when it carries none but the Symbol). */
function reportedInstrument(r: Reader): ReportedInstrument | undefined {
  const reported: Partial<Record<keyof ReportedInstrument, string>> = {};
  let count = 0;
  for (const [name, tag] of REPORTED_INSTRUMENT) {
    const value = r.optional(tag);
    if (value === undefined) continue;
    reported[name] = value;
    count += 1;
  }
  return count > (reported.symbol !== undefined ? 1 : 0) ? reported : undefined;
}

function brokerOrderId(r: Reader): string | undefined {
  const id = r.optional(TAG.OrderID);
  return id === NO_ORDER_ID ? undefined : ownOptional(id);
}

/**
 * A value the desk keeps past the message (an ExecID all day), as a string of its own: a value of
 * 13 chars or more is a slice of the socket read it came in (V8's SlicedString) and would keep that
 * whole read alive (measured: the reads' text was a fifth of what each scavenge promoted).
 */
function own(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

function ownOptional(value: string | undefined): string | undefined {
  return value === undefined ? undefined : own(value);
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

class MalformedField extends Error {}

class Reader {
  constructor(private readonly fields: FieldReader) {}

  optional(tag: number): string | undefined {
    const v = this.fields.get(tag);
    return v === undefined || v === '' ? undefined : v;
  }

  required(tag: number, name: string): string {
    const v = this.optional(tag);
    if (v === undefined) throw new MalformedField(`missing ${name} (${tag})`);
    return v;
  }

  decimal(tag: number, name: string, required: boolean, nonNegative = false): string | undefined {
    const v = required ? this.required(tag, name) : this.optional(tag);
    if (v === undefined) return undefined;
    if (!isDecimalString(v)) throw new MalformedField(`${name} (${tag}) '${v}' is not a decimal`);
    if (nonNegative && v.startsWith('-')) throw new MalformedField(`${name} (${tag}) '${v}' is negative`);
    return v;
  }

  ordStatus(required: boolean): OrderStatus | undefined {
    const code = required ? this.required(TAG.OrdStatus, 'OrdStatus') : this.optional(TAG.OrdStatus);
    if (code === undefined) return undefined;
    const status = ORDER_STATUS_FROM_FIX.get(code);
    if (status === undefined) throw new MalformedField(`unknown OrdStatus (39) '${code}'`);
    return status;
  }

  side(): Side | undefined {
    const code = this.optional(TAG.Side);
    if (code === undefined) return undefined;
    const side = SIDE_FROM_FIX.get(code);
    if (side === undefined) throw new MalformedField(`unsupported Side (54) '${code}'`);
    return side;
  }

  count(tag: number, name: string): number | undefined {
    const v = this.optional(tag);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v)) throw new MalformedField(`${name} (${tag}) '${v}' is not a count`);
    return Number(v);
  }

  flag(tag: number, name: string): boolean | undefined {
    const v = this.optional(tag);
    if (v === undefined) return undefined;
    if (v !== 'Y' && v !== 'N') throw new MalformedField(`${name} (${tag}) '${v}' is not Y or N`);
    return v === 'Y';
  }

  timestamp(tag: number, name: string): string | undefined {
    const v = this.optional(tag);
    if (v === undefined) return undefined;
    const iso = fixTimestampToIso(v);
    if (iso === undefined) throw new MalformedField(`${name} (${tag}) '${v}' is not a UTC timestamp`);
    return iso;
  }

  possDup(): boolean {
    return this.optional(TAG.PossDupFlag) === 'Y';
  }

  seqNum(): number {
    const v = this.required(TAG.MsgSeqNum, 'MsgSeqNum');
    if (!/^[1-9]\d{0,15}$/.test(v)) throw new MalformedField(`MsgSeqNum (34) '${v}' is not a positive integer`);
    return Number(v);
  }
}
