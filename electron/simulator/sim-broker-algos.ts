import { fileURLToPath } from 'node:url';
import type { AlgoDefinitions, AlgoStrategy, BrokerAlgoChoice } from '../../shared/domain/broker-algo';
import { brokerAlgoProblems } from '../../shared/domain/broker-algo';
import type { FixVersion } from '../core/config/desk-config';
import { hasStrategyParametersGroup } from '../core/fix/broker-algo-fields';
import { TAG } from '../core/fix/fix-field-names';
import type { FixField } from '../core/fix/fix-wire';
import { loadAlgoDefinitions } from '../core/fixatdl/algo-definitions-file';

/** The simulated brokers' own algorithms, published as a FIXatdl file beside the simulator. */
export const SIM_ALGO_FILE = fileURLToPath(new URL('./algos/sim-algos.xml', import.meta.url));

export function loadSimAlgos(): AlgoDefinitions {
  return loadAlgoDefinitions(SIM_ALGO_FILE);
}

/** What an order asks of the broker's algos: nothing, a strategy to work it with, or something the broker refuses. */
export type AlgoRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'algo'; readonly strategy: string; readonly sliceFraction: number; readonly startMs?: number; readonly endMs?: number }
  | { readonly kind: 'refused'; readonly text: string };

/**
 * Reads a NewOrderSingle's (or replace's) algo the way the broker's file says it travels: the
 * strategy in its identifier tag, parameters in StrategyParametersGrp where the session has it,
 * else in their own tags; then checks them against the file like the desk does (a broker does not
 * trust its clients' checks) and words a refusal as a broker would.
 */
export function readAlgoRequest(fields: readonly FixField[], definitions: AlgoDefinitions, version: FixVersion): AlgoRequest {
  const first = (tag: number) => fields.find(([t]) => t === tag)?.[1];
  const wireValue = first(definitions.strategyIdentifierTag);
  const hasGroup = fields.some(([t]) => t === TAG.NoStrategyParameters);
  if (wireValue === undefined) return hasGroup ? { kind: 'refused', text: `strategy parameters (957) without a strategy (${definitions.strategyIdentifierTag})` } : { kind: 'none' };
  const strategy = definitions.strategies.find((s) => s.wireValue === wireValue);
  if (strategy === undefined) return { kind: 'refused', text: `Unknown strategy ${definitions.strategyIdentifierTag}=${wireValue}` };
  const parameters = hasGroup ? readGroup(fields, version) : readOwnTags(fields, strategy);
  if (typeof parameters === 'string') return { kind: 'refused', text: parameters };
  const choice: BrokerAlgoChoice = { strategy: strategy.name, parameters };
  const problems = Object.values(brokerAlgoProblems(definitions, choice));
  if (problems.length > 0) return { kind: 'refused', text: `Invalid ${strategy.name} parameters: ${problems.map((p) => p.message).join('; ')}` };
  const startMs = utcTimestamp(strategy, parameters, 'StartTime');
  const endMs = utcTimestamp(strategy, parameters, 'EndTime');
  return { kind: 'algo', strategy: strategy.name, sliceFraction: sliceFraction(strategy, parameters), ...(startMs !== undefined && { startMs }), ...(endMs !== undefined && { endMs }) };
}

function readGroup(fields: readonly FixField[], version: FixVersion): Record<string, string> | string {
  if (!hasStrategyParametersGroup(version)) return `StrategyParametersGrp (957) is not taken on ${version}: send the parameters in their own tags`;
  const at = fields.findIndex(([t]) => t === TAG.NoStrategyParameters);
  const count = Number(fields[at]?.[1]);
  if (!Number.isInteger(count) || count < 1 || count > 64) return `NoStrategyParameters (957) '${fields[at]?.[1] ?? ''}' is not a count of 1 to 64`;
  const parameters: Record<string, string> = {};
  let i = at + 1;
  for (let n = 0; n < count; n++) {
    const [nameTag, name] = fields[i] ?? [];
    if (nameTag !== TAG.StrategyParameterName || name === undefined) return `StrategyParametersGrp entry ${n + 1}: StrategyParameterName (958) must come first`;
    i++;
    let value: string | undefined;
    while (fields[i] !== undefined && (fields[i]![0] === TAG.StrategyParameterType || fields[i]![0] === TAG.StrategyParameterValue)) {
      if (fields[i]![0] === TAG.StrategyParameterValue) value = fields[i]![1];
      i++;
    }
    if (value === undefined) return `StrategyParametersGrp entry ${name}: StrategyParameterValue (960) is missing`;
    parameters[name] = value;
  }
  return parameters;
}

function readOwnTags(fields: readonly FixField[], strategy: AlgoStrategy): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const p of strategy.parameters) {
    const value = p.fixTag !== undefined ? fields.find(([t]) => t === p.fixTag)?.[1] : undefined;
    if (value !== undefined) parameters[p.name] = value;
  }
  return parameters;
}

/** The strategy's UTCTimestamp_t parameter of that name (StartTime, EndTime), in ms, when the order gives it. */
function utcTimestamp(strategy: AlgoStrategy, parameters: Readonly<Record<string, string>>, name: string): number | undefined {
  const value = parameters[name];
  if (value === undefined || strategy.parameters.find((p) => p.name === name)?.type !== 'UTCTimestamp_t') return undefined;
  // YYYYMMDD-HH:MM:SS(.sss), already checked against the type by brokerAlgoProblems.
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9)}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * How the simulator works the order: each fill round executes this share of it. SIM-VWAP in its
 * Slices (default 4, faster when urgent); SIM-POV at its participation rate (never below 5%).
 */
function sliceFraction(strategy: AlgoStrategy, parameters: Readonly<Record<string, string>>): number {
  if (strategy.name === 'SIM-POV') return Math.max(0.05, Number(parameters.ParticipationRate ?? '0.1'));
  const slices = Number(parameters.Slices ?? (parameters.Urgency === 'H' ? '2' : '4'));
  return 1 / Math.max(1, slices);
}
