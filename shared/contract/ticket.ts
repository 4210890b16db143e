import { z } from 'zod';
import { isPositiveDecimalString } from '../domain/decimal-string';
import { isInstrumentId } from '../domain/instrument-codes';
import { ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../domain/order-types';
import { brokerAlgoChoiceSchema } from './broker-algos';

const positiveDecimal = (what: string) =>
  z.string({ error: `${what} is required` }).trim().refine(isPositiveDecimalString, {
    error: `${what} must be a positive decimal number (at most 12 decimal places)`,
  });

/** An identifier a FIX counterparty will accept: printable ASCII, no SOH, no spaces at the ends. */
export const identifier = (what: string, max = 64) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} is required` })
    .max(max, { error: `${what} is at most ${max} characters` })
    .regex(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/, { error: `${what} may only contain printable ASCII` });

export const symbolSchema = z
  .string({ error: 'symbol is required' })
  .trim()
  .min(1, { error: 'symbol is required' })
  .max(32, { error: 'symbol is at most 32 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9./:_-]*$/, { error: 'symbol may contain letters, digits and . / : _ -' });

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expire date must be YYYY-MM-DD' });

/** An instrument of the desk's master, by its stable id (AAPL.XNAS, ESZ6.XCME, EURUSD.3M, UST.4.25.2034). */
export const instrumentIdSchema = z
  .string({ error: 'instrument is required' })
  .trim()
  .min(1, { error: 'instrument is required' })
  .refine(isInstrumentId, { error: 'instrument must be an instrument id (capitals, digits and . _ / -, at most 40)' });

/** Why a person did something the audit trail keeps (a settlement, a risk override, the kill switch). */
export const reasonSchema = z
  .string({ error: 'a reason is required' })
  .trim()
  .min(3, { error: 'say why, at least 3 characters' })
  .max(500, { error: 'the reason is at most 500 characters' })
  .regex(/^[^\x00-\x1f\x7f]*$/, { error: 'the reason may not contain control characters' });

/** The person overrides the pre-trade warnings the ticket showed, with a reason (recorded with who and when). Blocks cannot be overridden. */
export const riskOverrideSchema = z.object({ reason: reasonSchema }).strict();
export type RiskOverride = z.infer<typeof riskOverrideSchema>;

export const valueDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'value date must be YYYY-MM-DD' });

/**
 * What a person types into the order ticket. Cross-field rules are in superRefine, each naming its
 * field; the rules of the instrument (lot and tick size, expiry, value date) are the core's, which
 * knows the master (`previewOrder` reports them as the ticket is filled in).
 */
export const orderTicketSchema = z
  .object({
    instrumentId: instrumentIdSchema,
    side: z.enum(SIDES, { error: `side must be one of ${SIDES.join(', ')}` }),
    quantity: positiveDecimal('quantity'),
    orderType: z.enum(ORDER_TYPES, { error: `order type must be one of ${ORDER_TYPES.join(', ')}` }),
    limitPrice: positiveDecimal('limit price').optional(),
    stopPrice: positiveDecimal('stop price').optional(),
    timeInForce: z.enum(TIME_IN_FORCES, { error: `time in force must be one of ${TIME_IN_FORCES.join(', ')}` }),
    expireDate: isoDateSchema.optional(),
    /**
     * FX only, optional: the value date the trader saw on the ticket. The desk checks it is still the
     * instrument's value date for today (a ticket left open over a roll is refused, not re-dated).
     */
    valueDate: valueDateSchema.optional(),
    account: identifier('account', 32),
    broker: identifier('broker', 32),
    /** Routed to the broker's own algorithm (its FIXatdl file): checked against the file by the desk. */
    brokerAlgo: brokerAlgoChoiceSchema.optional(),
    /** A short sale: the locate was arranged (the pre-trade checks block a short sale without one). */
    locate: z.boolean({ error: 'locate is true or false' }).optional(),
    riskOverride: riskOverrideSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const needsLimit = t.orderType === 'limit' || t.orderType === 'stopLimit';
    const needsStop = t.orderType === 'stop' || t.orderType === 'stopLimit';
    if (needsLimit && t.limitPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `limit price is required for a ${t.orderType} order` });
    }
    if (!needsLimit && t.limitPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `a ${t.orderType} order takes no limit price` });
    }
    if (needsStop && t.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `stop price is required for a ${t.orderType} order` });
    }
    if (!needsStop && t.stopPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `a ${t.orderType} order takes no stop price` });
    }
    if (t.timeInForce === 'gtd' && t.expireDate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['expireDate'], message: 'expire date is required for a GTD order' });
    }
    if (t.timeInForce !== 'gtd' && t.expireDate !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['expireDate'], message: 'only a GTD order takes an expire date' });
    }
  });
export type OrderTicket = z.infer<typeof orderTicketSchema>;

export const amendRequestSchema = z
  .object({
    orderId: identifier('order id'),
    quantity: positiveDecimal('quantity').optional(),
    limitPrice: positiveDecimal('limit price').optional(),
    stopPrice: positiveDecimal('stop price').optional(),
    riskOverride: riskOverrideSchema.optional(),
  })
  .strict()
  .refine((a) => a.quantity !== undefined || a.limitPrice !== undefined || a.stopPrice !== undefined, {
    error: 'an amend changes the quantity, the limit price or the stop price',
  });
export type AmendRequest = z.infer<typeof amendRequestSchema>;

export const cancelRequestSchema = z.object({ orderId: identifier('order id') }).strict();
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

export const cancelOrdersRequestSchema = z
  .object({ orderIds: z.array(identifier('order id')).min(1, { error: 'select at least one order' }).max(5000) })
  .strict();
export type CancelOrdersRequest = z.infer<typeof cancelOrdersRequestSchema>;

/**
 * A person settles an order whose fate the desk cannot learn from the broker (it refuses or ignores
 * status requests), after checking with the broker by phone: as shown (our unanswered requests did
 * not happen), canceled (the broker no longer works it), or rejected (the broker never had it).
 */
export const SETTLE_OUTCOMES = ['asShown', 'canceled', 'rejected'] as const;
export type SettleOutcome = (typeof SETTLE_OUTCOMES)[number];

export const settleOrderRequestSchema = z
  .object({
    orderId: identifier('order id'),
    outcome: z.enum(SETTLE_OUTCOMES, { error: `outcome must be one of ${SETTLE_OUTCOMES.join(', ')}` }),
    reason: z
      .string({ error: 'a reason is required' })
      .trim()
      .min(3, { error: 'say why (who at the broker confirmed what), at least 3 characters' })
      .max(500, { error: 'the reason is at most 500 characters' })
      .regex(/^[^\x00-\x1f\x7f]*$/, { error: 'the reason may not contain control characters' }),
  })
  .strict();
export type SettleOrderRequest = z.infer<typeof settleOrderRequestSchema>;

export const orderHistoryRequestSchema = z.object({ orderId: identifier('order id') }).strict();
export type OrderHistoryRequest = z.infer<typeof orderHistoryRequestSchema>;
