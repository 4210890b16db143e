import type { BrokerAlgoDefinitions, GetAlgoDefinitionsRequest } from '../../../shared/contract/broker-algos';
import type { Result } from '../../../shared/contract/result';
import { fail, failWithCodes, ok } from '../../../shared/contract/result';
import type { AlgoDefinitions, BrokerAlgoChoice } from '../../../shared/domain/broker-algo';
import { brokerAlgoProblems, chosenParameters } from '../../../shared/domain/broker-algo';
import type { BrokerAlgoOrder } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import { ConfigError } from '../config/json-config';
import { brokerAlgoSessionProblems } from '../fix/broker-algo-fields';
import { loadAlgoDefinitions } from '../fixatdl/algo-definitions-file';
import type { DeskContext } from './desk-context';

/**
 * Brokers' own algorithms: each broker's FIXatdl file (`algoDefinitions` in its config), loaded and
 * checked whole at start, also against the broker's session (tags the order writes, a FIX version
 * without StrategyParametersGrp): a bad file and the desk does not start.
 */
export function loadBrokerAlgos(config: DeskConfig): ReadonlyMap<string, AlgoDefinitions> {
  const algos = new Map<string, AlgoDefinitions>();
  for (const broker of config.brokers) {
    if (broker.algoDefinitions === undefined) continue;
    const definitions = loadAlgoDefinitions(broker.algoDefinitions);
    const problems = brokerAlgoSessionProblems(definitions, broker.fixVersion);
    if (problems.length > 0) throw new ConfigError(`the FIXatdl file ${broker.algoDefinitions} does not fit broker ${broker.name}'s ${broker.fixVersion} session:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    algos.set(broker.name, definitions);
  }
  return algos;
}

export function getAlgoDefinitions(ctx: DeskContext, request: GetAlgoDefinitionsRequest): Result<BrokerAlgoDefinitions> {
  if (!ctx.config.brokers.some((b) => b.name === request.broker)) return fail('UNKNOWN_BROKER', `no broker named ${request.broker}`, { broker: 'unknown broker' });
  const definitions = ctx.brokerAlgos.get(request.broker);
  return ok({ broker: request.broker, ...(definitions !== undefined && { definitions }) });
}

/**
 * The ticket's broker algo checked against the broker's file and resolved to what the order message
 * carries; a refusal names each field with a code (shared/domain/broker-algo.ts: ALGO_*).
 */
export function resolveBrokerAlgo(ctx: DeskContext, broker: string, choice: BrokerAlgoChoice): { ok: true; algo: BrokerAlgoOrder } | { ok: false; result: Result<never> } {
  const definitions = ctx.brokerAlgos.get(broker);
  const problems = brokerAlgoProblems(definitions, choice);
  const strategy = definitions?.strategies.find((s) => s.name === choice.strategy);
  if (Object.keys(problems).length > 0 || definitions === undefined || strategy === undefined) {
    return { ok: false, result: failWithCodes('INVALID_REQUEST', `broker algo refused: ${Object.values(problems).map((p) => p.message).join('; ')}`, problems) };
  }
  return {
    ok: true,
    algo: {
      strategyTag: definitions.strategyIdentifierTag,
      strategy: strategy.wireValue,
      ...(definitions.versionIdentifierTag !== undefined && strategy.version !== undefined && { versionTag: definitions.versionIdentifierTag, version: strategy.version }),
      parametersGroup: definitions.tag957Support,
      parameters: chosenParameters(strategy, choice.parameters).map(({ parameter, value }) => ({
        name: parameter.name,
        type: parameter.type,
        ...(parameter.fixTag !== undefined && { fixTag: parameter.fixTag }),
        value,
      })),
    },
  };
}

/**
 * The broker algo an order was entered with (its journaled ticket), re-checked against the broker's
 * file for an amend: an OrderCancelReplaceRequest restates the strategy and its parameters.
 */
export function enteredBrokerAlgo(ctx: DeskContext, orderId: string): BrokerAlgoChoice | undefined {
  for (const { event } of ctx.journal.eventsForOrder(orderId)) if (event.type === 'orderSubmitted') return event.ticket.brokerAlgo;
  return undefined;
}
