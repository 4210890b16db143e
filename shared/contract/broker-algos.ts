import { z } from 'zod';
import type { AlgoDefinitions } from '../domain/broker-algo';

/** Printable ASCII without spaces at the ends (ticket.ts's `identifier`; not imported: ticket.ts imports this file). */
const name = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} is required` })
    .max(max, { error: `${what} is at most ${max} characters` })
    .regex(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/, { error: `${what} may only contain printable ASCII` });

/** A parameter's name as FIXatdl allows it (an XML name without ':'), and its value as wire text. */
const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, { error: 'a parameter name is a letter or _ then letters, digits, _ . - (at most 64)' });
const parameterValue = z
  .string({ error: 'a parameter value is text' })
  .min(1, { error: 'a parameter value may not be empty (leave the parameter out)' })
  .max(256, { error: 'a parameter value is at most 256 characters' })
  .regex(/^[\x20-\x7e]+$/, { error: 'a parameter value may only contain printable ASCII' });

/**
 * The broker's own algorithm an order is routed to: a strategy of the broker's FIXatdl file and its
 * parameter values by name. The shape is checked here; the values against the file by the desk
 * (`brokerAlgoProblems`, shared/domain/broker-algo.ts).
 */
export const brokerAlgoChoiceSchema = z
  .object({
    strategy: name('broker algo strategy', 64),
    parameters: z.record(parameterName, parameterValue).refine((p) => Object.keys(p).length <= 64, { error: 'at most 64 parameters' }).default({}),
  })
  .strict();

export const getAlgoDefinitionsRequestSchema = z.object({ broker: name('broker', 32) }).strict();
export type GetAlgoDefinitionsRequest = z.infer<typeof getAlgoDefinitionsRequestSchema>;

/** The broker's algorithms for the ticket; `definitions` absent: the broker publishes none. */
export interface BrokerAlgoDefinitions {
  readonly broker: string;
  readonly definitions?: AlgoDefinitions;
}
