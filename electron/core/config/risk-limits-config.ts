import { z } from 'zod';
import { isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import { identifier } from '../../../shared/contract/ticket';
import { ASSET_CLASSES } from '../../../shared/domain/order-types';

/**
 * The pre-trade risk limits (risk/): the config's `riskLimits` file, validated whole; reloadable
 * without a restart (`reloadRiskLimits`: a bad file is refused and nothing changes).
 *
 * A limit set may stand at four levels; for each field the most specific level that sets it wins:
 * instrument, then asset class, then account, then the defaults. A threshold has a warning level
 * (overridable with a reason by a permitted role) and a block level (never overridable).
 */
const decimal = (what: string) =>
  z.string({ error: `${what} must be a decimal string` }).trim().refine(isPositiveDecimalString, { error: `${what} must be a positive decimal number` });

const threshold = (what: string) =>
  z
    .object({ warn: decimal(`${what}.warn`).optional(), block: decimal(`${what}.block`).optional() })
    .strict()
    .refine((t) => t.warn !== undefined || t.block !== undefined, { error: `${what} needs warn, block or both` });
export type Threshold = z.infer<ReturnType<typeof threshold>>;

export const RISK_POLICIES = ['warn', 'block'] as const;
export type RiskPolicy = (typeof RISK_POLICIES)[number];
const policy = (what: string) => z.enum(RISK_POLICIES, { error: `${what} must be warn or block` });

export const riskLimitSetSchema = z
  .object({
    /** Quantity per order. */
    maxQuantity: threshold('maxQuantity').optional(),
    /** Notional per order in the base currency (multipliers, % of par, minor units and FX rates applied). */
    maxNotional: threshold('maxNotional').optional(),
    /** Percent the limit or stop price may stray from the reference price (mid, else last). */
    priceCollarPercent: threshold('priceCollarPercent').optional(),
    /** The account's gross notional of orders sent today (base currency), this order included. */
    maxDailyGrossNotional: threshold('maxDailyGrossNotional').optional(),
    /** The account's open orders, this one included. */
    maxOpenOrders: threshold('maxOpenOrders').optional(),
    /** The order's quantity as a percent of the average daily volume (fat finger). */
    maxPercentOfAdv: threshold('maxPercentOfAdv').optional(),
    /** Average daily volume in the instrument's quantity unit (where the instrument master has none). */
    averageDailyVolume: decimal('averageDailyVolume').optional(),
    /** Equities and bonds: a short sale needs a locate, a long sale may not exceed the position (absent: not checked). */
    shortSales: policy('shortSales').optional(),
    /** The brokers this account or asset class may use (absent: any). */
    allowedBrokers: z.array(identifier('allowedBrokers[]', 32)).optional(),
    /** Same account, side, instrument and quantity within this many seconds: a duplicate (0: no guard). */
    duplicateWindowSeconds: z.number({ error: 'duplicateWindowSeconds must be a number' }).min(0).max(3_600).optional(),
    duplicatePolicy: policy('duplicatePolicy').optional(),
  })
  .strict();
export type RiskLimitSet = z.infer<typeof riskLimitSetSchema>;

export const riskLimitsSchema = z
  .object({
    /** The currency notional limits are in; prices in other currencies are converted by `fxRates`. */
    baseCurrency: z.string().regex(/^[A-Z]{3}$/, { error: 'baseCurrency must be an ISO 4217 code' }).default('USD'),
    /** Units of the base currency per one unit of each other currency (major units: GBP, not GBX). */
    fxRates: z.record(z.string().regex(/^[A-Z]{3}$/, { error: 'fxRates keys are ISO 4217 codes' }), decimal('fxRates value')).default({}),
    defaults: riskLimitSetSchema.default({}),
    accounts: z.record(identifier('account', 32), riskLimitSetSchema).default({}),
    assetClasses: z.partialRecord(z.enum(ASSET_CLASSES, { error: `asset class must be one of ${ASSET_CLASSES.join(', ')}` }), riskLimitSetSchema).default({}),
    instruments: z.record(z.string().min(1), riskLimitSetSchema).default({}),
    /** Never tradable (block). */
    restricted: z.array(z.string().min(1)).default([]),
    /** Tradable with a reason (warn). */
    watch: z.array(z.string().min(1)).default([]),
    /** Order rate throttle per broker (a token bucket: `ordersPerSecond` refill, `burst` capacity); new orders and amends count. */
    brokerRates: z
      .record(
        identifier('broker', 32),
        z.object({ ordersPerSecond: z.number().positive().max(100_000), burst: z.number().int().min(1).max(100_000) }).strict(),
      )
      .default({}),
    /** Where a check cannot be evaluated (no or stale reference price, no FX rate, no ADV): block or warn. Fail closed by default. */
    whenUnavailable: z
      .object({ referencePrice: policy('whenUnavailable.referencePrice').default('block'), fxRate: policy('whenUnavailable.fxRate').default('block'), adv: policy('whenUnavailable.adv').default('block') })
      .strict()
      .default({ referencePrice: 'block', fxRate: 'block', adv: 'block' }),
    /** The roles that may override warnings, and each person's role (`operator` → role). Absent roles: nobody may override. */
    overrideRoles: z.array(identifier('role', 32)).default([]),
    roles: z.record(z.string().min(1).max(64), identifier('role', 32)).default({}),
    /** The role of anyone `roles` does not name (absent: none). */
    defaultRole: identifier('defaultRole', 32).optional(),
  })
  .strict();
export type RiskLimits = z.infer<typeof riskLimitsSchema>;
export type RiskLimitsInput = z.input<typeof riskLimitsSchema>;

/** No limits at all: only the trading state (kill switch) gates orders. */
export const NO_RISK_LIMITS: RiskLimits = riskLimitsSchema.parse({});
