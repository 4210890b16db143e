import { z } from 'zod';
import type { BrokerCapabilities } from '../../../shared/contract/views';

/**
 * What a broker's FIX engine takes, per broker: the desk sends nothing a broker cannot take and
 * offers nothing in the UI it would have to refuse. Left out, each capability has the safe default
 * of the broker's FIX version (`defaultCapabilities`).
 */
export const capabilitiesSchema = z
  .object({
    /** OrderCancelReplaceRequest (35=G): amends. */
    cancelReplace: z.boolean().optional(),
    /** OrderStatusRequest (35=H): how the desk settles an order whose fate it does not know. */
    orderStatusRequest: z.boolean().optional(),
    /** OrderMassStatusRequest (35=AF) at logon: FIX 4.3 and later only. */
    massStatusRequest: z.boolean().optional(),
    /** A cancel or amend while an earlier amend is unanswered, chained by OrigClOrdID (matrices D.2); many brokers refuse it (D.2.c). */
    chainedRequests: z.boolean().optional(),
  })
  .strict();
export type CapabilitiesInput = z.infer<typeof capabilitiesSchema>;

/**
 * Every FIX version the desk speaks takes cancel/replace and status requests; OrderMassStatusRequest
 * (35=AF) exists from FIX 4.3 on, so a FIX 4.2 session never gets one; chained requests only where a
 * broker says it takes them.
 */
export function defaultCapabilities(fixVersion: string): BrokerCapabilities {
  return { cancelReplace: true, orderStatusRequest: true, massStatusRequest: fixVersion !== 'FIX.4.2', chainedRequests: false };
}

export function resolveCapabilities(fixVersion: string, given: CapabilitiesInput | undefined): BrokerCapabilities {
  const defaults = defaultCapabilities(fixVersion);
  return {
    cancelReplace: given?.cancelReplace ?? defaults.cancelReplace,
    orderStatusRequest: given?.orderStatusRequest ?? defaults.orderStatusRequest,
    massStatusRequest: given?.massStatusRequest ?? defaults.massStatusRequest,
    chainedRequests: given?.chainedRequests ?? defaults.chainedRequests,
  };
}

/**
 * How long the desk waits for the broker's answer to each request it sends. Past it the order shows
 * "no answer from BROKER", an alert is raised and the desk asks for the order's status. A status
 * request unanswered or refused is retried until `statusRequestAttempts` were made.
 */
export const timeoutsSchema = z
  .object({
    newOrderSeconds: z.number({ error: 'timeouts.newOrderSeconds must be a number' }).min(0.1).max(3_600).default(30),
    cancelSeconds: z.number({ error: 'timeouts.cancelSeconds must be a number' }).min(0.1).max(3_600).default(30),
    replaceSeconds: z.number({ error: 'timeouts.replaceSeconds must be a number' }).min(0.1).max(3_600).default(30),
    statusSeconds: z.number({ error: 'timeouts.statusSeconds must be a number' }).min(0.1).max(3_600).default(30),
  })
  .strict();
export type RequestTimeouts = z.infer<typeof timeoutsSchema>;

export const DEFAULT_TIMEOUTS: RequestTimeouts = timeoutsSchema.parse({});
