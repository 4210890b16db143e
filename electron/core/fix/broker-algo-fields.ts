import type { AlgoParameterType } from '../../../shared/domain/broker-algo';
import type { BrokerAlgoOrder } from '../broker/broker-port';
import type { FixVersion } from '../config/desk-config';
import { TAG } from './fix-field-names';
import type { FixField } from './fix-wire';

/**
 * A broker algo on NewOrderSingle / OrderCancelReplaceRequest. The strategy goes in the file's
 * strategyIdentifierTag (TargetStrategy 847 or the broker's own). Parameters go in
 * StrategyParametersGrp (957 NoStrategyParameters, 958 name, 959 type, 960 value) when the broker
 * takes it (tag957Support) and the version has it: FIX 5.0SP2 (the group came after 4.4; jspurefix's
 * 4.4 dictionary has TargetStrategy but no group). Otherwise each in the broker's own fixTag.
 */

/** StrategyParameterType (959) for each FIXatdl type. */
const PARAMETER_TYPE_CODE: Readonly<Record<AlgoParameterType, string>> = {
  Int_t: '1',
  Length_t: '2',
  NumInGroup_t: '3',
  SeqNum_t: '4',
  TagNum_t: '5',
  Float_t: '6',
  Qty_t: '7',
  Price_t: '8',
  PriceOffset_t: '9',
  Amt_t: '10',
  Percentage_t: '11',
  Char_t: '12',
  Boolean_t: '13',
  String_t: '14',
  MultipleCharValue_t: '15',
  Currency_t: '16',
  Exchange_t: '17',
  MonthYear_t: '18',
  UTCTimestamp_t: '19',
  UTCTimeOnly_t: '20',
  LocalMktDate_t: '21',
  MultipleStringValue_t: '24',
};

export function strategyParameterTypeCode(type: AlgoParameterType): string {
  return PARAMETER_TYPE_CODE[type];
}

/** Versions whose NewOrderSingle carries StrategyParametersGrp. */
export function hasStrategyParametersGroup(version: FixVersion): boolean {
  return version === 'FIX.5.0SP2';
}

/**
 * Tags a broker's file may not take for its parameters or strategy: the session's and those the
 * order message writes itself (a duplicate tag would be refused or misread by the broker).
 */
export const ORDER_MESSAGE_TAGS: ReadonlySet<number> = new Set([
  ...[8, 9, 10, 34, 35, 43, 49, 50, 52, 56, 57, 97, 115, 122, 128, 142, 143],
  ...[TAG.Account, TAG.ClOrdID, TAG.OrigClOrdID, TAG.OrderID, TAG.HandlInst, TAG.Side, TAG.TransactTime, TAG.OrderQty, TAG.OrdType, TAG.Price, TAG.StopPx, TAG.TimeInForce, TAG.ExpireDate],
  ...[TAG.Symbol, TAG.SecurityID, TAG.SecurityIDSource, TAG.SecurityType, TAG.SecurityExchange, TAG.MaturityMonthYear, TAG.MaturityDay, TAG.MaturityDate, TAG.PutOrCall, TAG.StrikePrice, TAG.CouponRate, TAG.ContractMultiplier, TAG.Currency, TAG.PriceType, TAG.ExerciseStyle],
  ...[63, 64, TAG.NoStrategyParameters, TAG.StrategyParameterName, TAG.StrategyParameterType, TAG.StrategyParameterValue],
]);

/** Why these algo definitions cannot go on this broker's session (tags the order writes, a version without the group and no fixTag). */
export function brokerAlgoSessionProblems(
  definitions: { readonly strategyIdentifierTag: number; readonly versionIdentifierTag?: number; readonly tag957Support: boolean; readonly strategies: ReadonlyArray<{ readonly name: string; readonly parameters: ReadonlyArray<{ readonly name: string; readonly fixTag?: number }> }> },
  version: FixVersion,
): string[] {
  const problems: string[] = [];
  for (const [what, tag] of [['strategyIdentifierTag', definitions.strategyIdentifierTag], ['versionIdentifierTag', definitions.versionIdentifierTag]] as const) {
    if (tag !== undefined && ORDER_MESSAGE_TAGS.has(tag)) problems.push(`${what} ${tag} is a tag the order message writes itself`);
  }
  const group = definitions.tag957Support && hasStrategyParametersGroup(version);
  for (const s of definitions.strategies) {
    for (const p of s.parameters) {
      if (p.fixTag !== undefined && (ORDER_MESSAGE_TAGS.has(p.fixTag) || p.fixTag === definitions.strategyIdentifierTag || p.fixTag === definitions.versionIdentifierTag)) {
        problems.push(`${s.name}, ${p.name}: fixTag ${p.fixTag} is a tag the order message writes itself`);
      }
      if (!group && p.fixTag === undefined) problems.push(`${s.name}, ${p.name}: has no fixTag, and ${version} carries no StrategyParametersGrp (957)`);
    }
  }
  return problems;
}

export function brokerAlgoProblems(algo: BrokerAlgoOrder, version: FixVersion): string[] {
  const problems: string[] = [];
  const text = (what: string, value: unknown) => {
    if (typeof value !== 'string' || !/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) || value.length > 256) problems.push(`broker algo ${what} '${String(value)}' is not printable ASCII text of at most 256 characters`);
  };
  const tag = (what: string, value: unknown) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 999_999_999) problems.push(`broker algo ${what} is not a tag number`);
    else if (ORDER_MESSAGE_TAGS.has(value)) problems.push(`broker algo ${what} ${value} is a tag the order message writes itself`);
  };
  tag('strategy tag', algo.strategyTag);
  text('strategy', algo.strategy);
  if (algo.versionTag !== undefined) tag('version tag', algo.versionTag);
  if (algo.version !== undefined) text('version', algo.version);
  const group = algo.parametersGroup && hasStrategyParametersGroup(version);
  for (const p of algo.parameters) {
    text(`parameter name`, p.name);
    text(`${p.name} value`, p.value);
    if (!(p.type in PARAMETER_TYPE_CODE)) problems.push(`broker algo ${p.name}: unknown type ${String(p.type)}`);
    if (p.fixTag !== undefined) tag(`${p.name} tag`, p.fixTag);
    else if (!group) problems.push(`broker algo ${p.name} has no tag of its own and ${version} carries no StrategyParametersGrp (957)`);
  }
  return problems;
}

export function brokerAlgoFields(algo: BrokerAlgoOrder, version: FixVersion): FixField[] {
  const fields: FixField[] = [[algo.strategyTag, algo.strategy]];
  if (algo.versionTag !== undefined && algo.version !== undefined) fields.push([algo.versionTag, algo.version]);
  if (algo.parametersGroup && hasStrategyParametersGroup(version)) {
    if (algo.parameters.length === 0) return fields;
    fields.push([TAG.NoStrategyParameters, String(algo.parameters.length)]);
    for (const p of algo.parameters) fields.push([TAG.StrategyParameterName, p.name], [TAG.StrategyParameterType, strategyParameterTypeCode(p.type)], [TAG.StrategyParameterValue, p.value]);
    return fields;
  }
  for (const p of algo.parameters) if (p.fixTag !== undefined) fields.push([p.fixTag, p.value]);
  return fields;
}
