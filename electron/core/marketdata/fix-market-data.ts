import type { DecimalString } from '../../../shared/domain/decimal-string';
import { isDecimalString } from '../../../shared/domain/decimal-string';
import type { Instrument } from '../../../shared/domain/instrument';
import type { FixVersion } from '../config/desk-config';
import { groupsOf } from '../fix/dictionary/fix-groups';
import type { FixEntry } from '../fix/fix-groups-reader';
import { readGroups } from '../fix/fix-groups-reader';
import { instrumentFields } from '../fix/instrument-fields';
import { fxValueDate } from '../instruments/contract-terms';
import type { FixField } from '../fix/fix-wire';

/**
 * Market data over FIX, in the desk's words: MarketDataRequest (35=V) to subscribe to or drop one
 * instrument's top of book, and the answers: MarketDataSnapshotFullRefresh (W), IncrementalRefresh
 * (X) and MarketDataRequestReject (Y). Repeating groups are read by the dictionary (fix/dictionary).
 */

export type MdEntryType = 'bid' | 'offer' | 'trade' | 'open' | 'close' | 'settlement' | 'high' | 'low' | 'vwap' | 'volume';

/** MDEntryType (269) codes the desk reads; others are skipped. Trade volume (B) exists from FIX 4.3. */
const ENTRY_TYPES: Readonly<Record<string, MdEntryType>> = {
  '0': 'bid',
  '1': 'offer',
  '2': 'trade',
  '4': 'open',
  '5': 'close',
  '6': 'settlement',
  '7': 'high',
  '8': 'low',
  '9': 'vwap',
  B: 'volume',
};
const ENTRY_CODES: Readonly<Record<MdEntryType, string>> = Object.fromEntries(Object.entries(ENTRY_TYPES).map(([code, type]) => [type, code])) as Record<MdEntryType, string>;

export interface MdEntry {
  readonly type: MdEntryType;
  readonly price?: DecimalString;
  readonly size?: DecimalString;
}

export interface MdIncrementalEntry extends MdEntry {
  readonly action: 'new' | 'change' | 'delete';
  /** The request this entry answers, when the entry or the message says. */
  readonly reqId?: string;
  /** Symbol (55) the entry names, when it names one. */
  readonly symbol?: string;
}

export type MarketDataMessage =
  | { readonly kind: 'snapshot'; readonly reqId: string; readonly symbol?: string; readonly entries: readonly MdEntry[] }
  | { readonly kind: 'incremental'; readonly reqId?: string; readonly entries: readonly MdIncrementalEntry[] }
  | { readonly kind: 'reject'; readonly reqId: string; readonly reason: string };

/**
 * What the desk asks a feed for: the entry types of the quote it shows. Not VWAP: no screen shows it,
 * and a venue that does not publish it refuses the whole request (MDReqRejReason 8).
 */
export function requestedEntryTypes(fixVersion: FixVersion): MdEntryType[] {
  const types: MdEntryType[] = ['bid', 'offer', 'trade', 'open', 'close', 'high', 'low'];
  return fixVersion === 'FIX.4.2' ? types : [...types, 'volume'];
}

/** MarketDataRequest for one instrument: top of book (depth 1), snapshot plus incremental updates, or the unsubscribe. */
export function marketDataRequest(reqId: string, instrument: Instrument, fixVersion: FixVersion, action: 'subscribe' | 'unsubscribe', tradeDate: string): { msgType: 'V'; fields: FixField[] } {
  const types = requestedEntryTypes(fixVersion);
  return {
    msgType: 'V',
    fields: [
      [262, reqId],
      [263, action === 'subscribe' ? '1' : '2'],
      [264, '1'],
      [265, '1'],
      [267, String(types.length)],
      ...types.map((t): FixField => [269, ENTRY_CODES[t]]),
      [146, '1'],
      ...instrumentFields(instrument, fixVersion, tradeDate),
      ...forwardDateFields(instrument, fixVersion, tradeDate),
    ],
  };
}

/**
 * Which value date an FX forward's prices are for. A MarketDataRequest has no SettlDate before FIX
 * 5.0, so the older versions name it as the instrument's maturity, as FX venues do: MaturityDate
 * (541) in 4.4, MaturityMonthYear + MaturityDay (200, 205) in 4.2; 5.0SP2 has SettlType 6 + SettlDate.
 */
function forwardDateFields(instrument: Instrument, fixVersion: FixVersion, tradeDate: string): FixField[] {
  if (instrument.assetClass !== 'fx' || instrument.tenor === 'SPOT') return [];
  const date = fxValueDate(instrument, tradeDate).replaceAll('-', '');
  if (fixVersion === 'FIX.5.0SP2') return [[63, '6'], [64, date]];
  if (fixVersion === 'FIX.4.4') return [[541, date]];
  return [[200, date.slice(0, 6)], [205, date.slice(6)]];
}

/** MDReqRejReason (281) in words. */
const REJECT_REASONS: Readonly<Record<string, string>> = {
  '0': 'unknown symbol',
  '1': 'duplicate MDReqID',
  '2': 'insufficient bandwidth',
  '3': 'insufficient permissions',
  '4': 'unsupported SubscriptionRequestType',
  '5': 'unsupported MarketDepth',
  '6': 'unsupported MDUpdateType',
  '7': 'unsupported AggregatedBook',
  '8': 'unsupported MDEntryType',
  '9': 'unsupported TradingSessionID',
  A: 'unsupported Scope',
  B: 'unsupported OpenCloseSettlFlag',
  C: 'unsupported MDImplicitDelete',
  D: 'insufficient credit',
};

/** A market-data message's fields as the desk reads them, or why it cannot be read (nothing is applied then). */
export function readMarketDataMessage(msgType: string, fields: readonly FixField[], fixVersion: FixVersion): { ok: true; message: MarketDataMessage } | { ok: false; reason: string; sessionRejectReason?: number; tag?: number } {
  const read = readGroups(fields, groupsOf(fixVersion, msgType));
  if (!read.ok) return { ok: false, reason: read.problem.text, sessionRejectReason: read.problem.sessionRejectReason, tag: read.problem.tag };
  const top = read.message;
  const reqId = top.fields.get(262);
  switch (msgType) {
    case 'Y': {
      if (reqId === undefined) return { ok: false, reason: 'MarketDataRequestReject without MDReqID (262)', tag: 262, sessionRejectReason: 1 };
      const code = top.fields.get(281);
      const reason = [code !== undefined ? (REJECT_REASONS[code] ?? `reason ${code}`) : undefined, top.fields.get(58)].filter((t) => t !== undefined).join(': ');
      return { ok: true, message: { kind: 'reject', reqId, reason: reason === '' ? 'no reason given' : reason } };
    }
    case 'W': {
      if (reqId === undefined) return { ok: false, reason: 'snapshot without MDReqID (262)', tag: 262, sessionRejectReason: 1 };
      const entries: MdEntry[] = [];
      for (const e of top.groups.get(268) ?? []) {
        const entry = readEntry(e);
        if (typeof entry === 'string') return { ok: false, reason: entry, tag: 270, sessionRejectReason: 6 };
        if (entry !== undefined) entries.push(entry);
      }
      const symbol = top.fields.get(55);
      return { ok: true, message: { kind: 'snapshot', reqId, ...(symbol !== undefined && { symbol }), entries } };
    }
    case 'X': {
      const entries: MdIncrementalEntry[] = [];
      for (const e of top.groups.get(268) ?? []) {
        const entry = readEntry(e);
        if (typeof entry === 'string') return { ok: false, reason: entry, tag: 270, sessionRejectReason: 6 };
        if (entry === undefined) continue;
        const action = ({ '0': 'new', '1': 'change', '2': 'delete' } as const)[e.fields.get(279) ?? ''];
        if (action === undefined) return { ok: false, reason: `MDUpdateAction (279) '${e.fields.get(279) ?? ''}' is not new, change or delete`, tag: 279, sessionRejectReason: 5 };
        const entryReqId = e.fields.get(262) ?? reqId;
        const symbol = e.fields.get(55);
        entries.push({ ...entry, action, ...(entryReqId !== undefined && { reqId: entryReqId }), ...(symbol !== undefined && { symbol }) });
      }
      return { ok: true, message: { kind: 'incremental', ...(reqId !== undefined && { reqId }), entries } };
    }
    default:
      return { ok: false, reason: `MsgType ${msgType} is not market data` };
  }
}

/** One entry, undefined for an entry type the desk does not use, a string when a number is malformed. */
function readEntry(e: FixEntry): MdEntry | undefined | string {
  const type = ENTRY_TYPES[e.fields.get(269) ?? ''];
  if (type === undefined) return undefined;
  const price = e.fields.get(270);
  const size = e.fields.get(271);
  if (price !== undefined && !isDecimalString(price)) return `MDEntryPx (270) '${price}' is not a decimal number`;
  if (size !== undefined && (!isDecimalString(size) || size.startsWith('-'))) return `MDEntrySize (271) '${size}' is not a quantity`;
  return { type, ...(price !== undefined && { price }), ...(size !== undefined && { size }) };
}
