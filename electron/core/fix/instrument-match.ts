import type { OrderInstrument, ReportedInstrument } from '../broker/broker-port';
import type { FixVersion } from '../config/desk-config';
import { Dec } from '../decimal/decimal';
import { TAG } from './fix-field-names';
import { instrumentFields, orderTermsFields } from './instrument-fields';

const TAG_OF: Readonly<Record<keyof ReportedInstrument, number>> = {
  symbol: TAG.Symbol,
  securityId: TAG.SecurityID,
  securityIdSource: TAG.SecurityIDSource,
  securityType: TAG.SecurityType,
  maturityMonthYear: TAG.MaturityMonthYear,
  maturityDay: TAG.MaturityDay,
  maturityDate: TAG.MaturityDate,
  putOrCall: TAG.PutOrCall,
  strikePrice: TAG.StrikePrice,
  securityExchange: TAG.SecurityExchange,
  settlDate: TAG.SettlDate,
};
const TAGS_OF = Object.entries(TAG_OF) as ReadonlyArray<[keyof ReportedInstrument, number]>;

/** What was sent for an order's instrument: its fields by tag, and its ISIN when it named one. */
interface Sent {
  readonly fields: ReadonlyMap<number, string>;
  readonly isin: string | undefined;
}

/**
 * The fields sent for an order's instrument, by the instrument (immutable, shared by every version
 * of the order), the FIX version and the trade date: every report of the order is checked against them.
 */
const sentFields = new WeakMap<OrderInstrument['instrument'], Map<FixVersion, Map<string, Sent>>>();

function sentFor(order: OrderInstrument, fixVersion: FixVersion): Sent {
  let byVersion = sentFields.get(order.instrument);
  if (byVersion === undefined) sentFields.set(order.instrument, (byVersion = new Map()));
  let byDate = byVersion.get(fixVersion);
  if (byDate === undefined) byVersion.set(fixVersion, (byDate = new Map()));
  let sent = byDate.get(order.tradeDate);
  if (sent === undefined) {
    const fields = new Map<number, string>([...instrumentFields(order.instrument, fixVersion, order.tradeDate), ...orderTermsFields(order.instrument, fixVersion, order.tradeDate)]);
    sent = { fields, isin: fields.get(TAG.SecurityIDSource) === '4' ? fields.get(TAG.SecurityID) : undefined };
    byDate.set(order.tradeDate, sent);
  }
  return sent;
}

/**
 * Why a report cannot be about the order's instrument, or undefined. What the report leaves out is
 * not held against it (brokers echo more or less of the Instrument component); what it states must
 * agree with what we sent for the order: an ISIN names the instrument on its own (a bond's Symbol is
 * free text then), otherwise Symbol, SecurityType, maturity, put/call, strike (as numbers), exchange
 * and a forward's value date must each match. (Runs for every report: no copy of the report's fields.)
 */
export function instrumentConflict(order: OrderInstrument, fixVersion: FixVersion, symbol: string | undefined, reported: ReportedInstrument | undefined): string | undefined {
  const { fields: sent, isin: sentIsin } = sentFor(order, fixVersion);
  const gotIsin = reported !== undefined && (reported.securityIdSource === '4' || reported.securityIdSource === undefined) ? reported.securityId : undefined;
  const byIsin = sentIsin !== undefined && gotIsin !== undefined;
  if (byIsin && sentIsin !== gotIsin) return `the report names ISIN ${gotIsin}, the order ${sentIsin} (${order.instrument.id})`;
  let differences: string[] | undefined;
  for (const [name, tag] of TAGS_OF) {
    const value = name === 'symbol' && symbol !== undefined ? symbol : reported?.[name];
    if (value === undefined) continue;
    const expected = sent.get(tag);
    if (expected === undefined) continue;
    if (byIsin && (name === 'symbol' || name === 'securityId' || name === 'securityIdSource')) continue;
    if (!sameValue(name, value, expected)) (differences ??= []).push(`${name} ${value} (sent ${expected})`);
  }
  return differences === undefined ? undefined : `the report names another instrument than the order's ${order.instrument.id}: ${differences.join(', ')}`;
}

function sameValue(name: keyof ReportedInstrument, value: string, expected: string): boolean {
  if (value === expected) return true;
  if (name === 'strikePrice') return /^\d+(\.\d+)?$/.test(value) && new Dec(value).equals(expected);
  // MaturityMonthYear may carry a day or a week code after the month (YYYYMMDD, YYYYMMwN).
  if (name === 'maturityMonthYear') return value.slice(0, 6) === expected.slice(0, 6);
  return false;
}

/** A report's Instrument component back as tag/value fields (identifyInstrument reads them so). */
export function reportedInstrumentFields(symbol: string | undefined, reported: ReportedInstrument | undefined): ReadonlyMap<number, string> {
  const fields = new Map<number, string>();
  const all: ReportedInstrument = { ...reported, ...(symbol !== undefined && { symbol }) };
  for (const [name, tag] of Object.entries(TAG_OF) as Array<[keyof ReportedInstrument, number]>) {
    const value = all[name];
    if (value !== undefined) fields.set(tag, value);
  }
  // A forward's value date is SettlDate with SettlType 6 (identifyInstrument reads it so).
  if (all.settlDate !== undefined) fields.set(TAG.SettlType, '6');
  return fields;
}
