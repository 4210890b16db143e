import { z } from 'zod';
import { isPositiveDecimalString } from '../domain/decimal-string';
import type { DecimalString } from '../domain/decimal-string';
import { SIDES } from '../domain/order-types';
import type { Side } from '../domain/order-types';
import { identifier, instrumentIdSchema } from './ticket';

/** The desk's own algorithms. A broker's own algorithm (FIXatdl, TargetStrategy) is routed as the order's parameters, not here. */
export const ALGO_STRATEGIES = ['twap', 'vwap', 'pov', 'iceberg'] as const;
export type AlgoStrategy = (typeof ALGO_STRATEGIES)[number];

/** How a child is priced from the live quote: join our side, take the far touch, or a tick through it (always within the limit). */
export const CHILD_STYLES = ['passive', 'atTouch', 'aggressive'] as const;
export type ChildStyle = (typeof CHILD_STYLES)[number];

/** At the end time: cancel what is still working, or leave it working. */
export const ALGO_END_BEHAVIOURS = ['cancelRest', 'leaveWorking'] as const;

const positive = (what: string) =>
  z.string({ error: `${what} is required` }).trim().refine(isPositiveDecimalString, { error: `${what} must be a positive decimal number (at most 12 decimal places)` });
const isoTime = (what: string) => z.iso.datetime({ error: `${what} must be an ISO-8601 UTC time`, offset: false });
const pct = (what: string, min: number, max: number) =>
  z.number({ error: `${what} must be a number` }).min(min, { error: `${what} is at least ${min}` }).max(max, { error: `${what} is at most ${max}` });

/**
 * A parent order handed to an algorithm. Quantities and prices are decimal strings; percentages are
 * plain numbers (a rate, not money). Cross-field rules name their field; those comparing quantities
 * are the core's, in exact decimals (desk/algo-commands.ts).
 */
export const startAlgoRequestSchema = z
  .object({
    strategy: z.enum(ALGO_STRATEGIES, { error: `strategy must be one of ${ALGO_STRATEGIES.join(', ')}` }),
    instrumentId: instrumentIdSchema,
    side: z.enum(SIDES, { error: `side must be one of ${SIDES.join(', ')}` }),
    quantity: positive('quantity'),
    account: identifier('account', 32),
    broker: identifier('broker', 32),
    limitPrice: positive('limit price').optional(),
    /** Opportunistic: when the far touch is at or better than this, the rest may go at once (within max child size). */
    wouldPrice: positive('would price').optional(),
    /** Default: now. */
    startTime: isoTime('start time').optional(),
    endTime: isoTime('end time'),
    minChildQty: positive('min child size').optional(),
    maxChildQty: positive('max child size').optional(),
    childStyle: z.enum(CHILD_STYLES, { error: `child style must be one of ${CHILD_STYLES.join(', ')}` }).default('passive'),
    /** When behind schedule, the next child makes up the shortfall (else the schedule simply moves on). */
    catchUp: z.boolean().default(true),
    atEnd: z.enum(ALGO_END_BEHAVIOURS).default('cancelRest'),
    /** TWAP and VWAP: how many slices over the window. */
    slices: z.number().int({ error: 'slices must be a whole number' }).min(1, { error: 'slices is at least 1' }).max(10_000, { error: 'slices is at most 10000' }).optional(),
    /** TWAP: each slice's size varies by up to this share of an equal slice (seeded, recorded). */
    sizeVariancePct: pct('size variance', 0, 50).default(0),
    /** TWAP: each slice's time moves by up to this share of the interval (seeded, recorded). */
    timeVariancePct: pct('time variance', 0, 45).default(0),
    /** POV: the target share of the market's volume since the start, and its bounds. */
    targetRatePct: pct('target rate', 0.1, 50).optional(),
    minRatePct: pct('min rate', 0, 50).optional(),
    maxRatePct: pct('max rate', 0.1, 100).optional(),
    /** Iceberg: the shown quantity, refreshed as it fills, varied by up to displayVariancePct. */
    displayQty: positive('display quantity').optional(),
    displayVariancePct: pct('display variance', 0, 50).default(0),
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (r.startTime !== undefined && Date.parse(r.endTime) <= Date.parse(r.startTime)) issue('endTime', 'end time must be after the start time');
    if (r.strategy === 'pov') {
      if (r.targetRatePct === undefined) issue('targetRatePct', 'a POV needs a target rate');
      else {
        if (r.minRatePct !== undefined && r.minRatePct > r.targetRatePct) issue('minRatePct', 'min rate must not exceed the target rate');
        if (r.maxRatePct !== undefined && r.maxRatePct < r.targetRatePct) issue('maxRatePct', 'max rate must not be below the target rate');
      }
    } else if (r.targetRatePct !== undefined || r.minRatePct !== undefined || r.maxRatePct !== undefined) issue('targetRatePct', 'rates are for a POV only');
    if (r.strategy === 'iceberg') {
      if (r.displayQty === undefined) issue('displayQty', 'an iceberg needs a display quantity');
      if (r.limitPrice === undefined) issue('limitPrice', 'an iceberg needs a limit price');
    } else if (r.displayQty !== undefined) issue('displayQty', 'display quantity is for an iceberg only');
    if (r.strategy !== 'twap' && r.strategy !== 'vwap' && r.slices !== undefined) issue('slices', 'slices are for a TWAP or a VWAP');
    if (r.strategy !== 'twap' && (r.sizeVariancePct > 0 || r.timeVariancePct > 0)) issue('sizeVariancePct', 'randomisation is for a TWAP');
  });

export type StartAlgoRequest = z.infer<typeof startAlgoRequestSchema>;
/** The parameters as journaled: defaults filled in, start time fixed. */
export type AlgoParams = StartAlgoRequest & { readonly startTime: string };

const parentId = z.string().trim().min(1, { error: 'parent id is required' }).max(64);
export const algoParentRequestSchema = z.object({ parentId }).strict();
export type AlgoParentRequest = z.infer<typeof algoParentRequestSchema>;

/** Amending a parent: the schedule is recomputed from now. A quantity below what is filled is refused. */
export const amendAlgoRequestSchema = z
  .object({ parentId, quantity: positive('quantity').optional(), limitPrice: positive('limit price').optional(), endTime: isoTime('end time').optional() })
  .strict()
  .refine((r) => r.quantity !== undefined || r.limitPrice !== undefined || r.endTime !== undefined, { error: 'an amend changes the quantity, the limit or the end time' });
export type AmendAlgoRequest = z.infer<typeof amendAlgoRequestSchema>;

export const ALGO_STATUSES = ['running', 'paused', 'cancelling', 'cancelled', 'ending', 'ended', 'completed'] as const;
export type AlgoStatus = (typeof ALGO_STATUSES)[number];

/** A parent as the screens show it. */
export interface AlgoParentView {
  readonly parentId: string;
  readonly strategy: AlgoStrategy;
  readonly instrumentId: string;
  readonly side: Side;
  readonly account: string;
  readonly broker: string;
  readonly quantity: DecimalString;
  /** An amend-down waiting for working children to be cancelled: the quantity it becomes. */
  readonly pendingQuantity?: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly startTime: string;
  readonly endTime: string;
  readonly status: AlgoStatus;
  /** Why it was flagged (and paused): children rejected past the retry limit, an amend lost to fills. */
  readonly flagged?: string;
  readonly cumQty: DecimalString;
  readonly avgPx?: DecimalString;
  /** Quantity of children still working at the broker (their leaves). */
  readonly workingQty: DecimalString;
  /** What the schedule wanted done by now. */
  readonly scheduledQty: DecimalString;
  /** cumQty as a share of the quantity, in % (one decimal). */
  readonly percentDone: DecimalString;
  /** Filled minus scheduled: positive ahead of the schedule, negative behind. */
  readonly aheadQty: DecimalString;
  /** The market's price (mid) when the parent started: the arrival price. */
  readonly arrivalPrice?: DecimalString;
  /** The market's VWAP since the parent started (from the quote's day VWAP and volume). */
  readonly intervalVwap?: DecimalString;
  /** Average price against the arrival price and the interval VWAP, in basis points; positive is worse for the side. */
  readonly slippageVsArrivalBps?: DecimalString;
  readonly slippageVsVwapBps?: DecimalString;
  readonly childIds: readonly string[];
  readonly params: AlgoParams;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface AlgoStarted {
  readonly parentId: string;
}
