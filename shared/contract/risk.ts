import { z } from 'zod';
import type { DecimalString } from '../domain/decimal-string';
import { identifier, reasonSchema as reason } from './ticket';

/**
 * Pre-trade risk as the screens see it: every check's finding is data, a code with its figures
 * (`NOTIONAL_ABOVE_MAX notional=… max=…`), in one of two tiers: a warning a permitted person may
 * override with a reason, or a block nobody can.
 */
export const RISK_CODES = [
  'QUANTITY_ABOVE_MAX', // the order's quantity is above the maximum per order
  'NOTIONAL_ABOVE_MAX', // the order's notional (base currency) is above the maximum per order
  'PRICE_OUTSIDE_COLLAR', // the limit/stop price is further from the reference price than the collar allows
  'REFERENCE_PRICE_UNAVAILABLE', // no live reference price (none, or stale): the configured policy applies
  'FX_RATE_UNAVAILABLE', // no rate from the instrument's currency to the base currency: the configured policy applies
  'INSTRUMENT_RESTRICTED', // on the restricted list: never tradable
  'INSTRUMENT_ON_WATCH_LIST', // on the watch list: trade with a reason
  'SHORT_SALE_WITHOUT_LOCATE', // a short sale with no locate on the ticket
  'SELL_EXCEEDS_POSITION', // a long sale of more than the fund holds (the rest would be short)
  'DUPLICATE_ORDER', // the same account, side, instrument and quantity within the window
  'DAILY_GROSS_NOTIONAL_ABOVE_MAX', // the account's gross notional today, with this order, is above its maximum
  'OPEN_ORDERS_ABOVE_MAX', // the account would have more open orders than allowed
  'ORDER_RATE_ABOVE_MAX', // the broker's order rate throttle has no room now
  'BROKER_NOT_ALLOWED', // the account or asset class may not use this broker
  'QUANTITY_ABOVE_ADV', // the quantity is too large a share of the average daily volume (fat finger)
  'ADV_UNAVAILABLE', // no average daily volume known: the configured policy applies
  'TRADING_HALTED', // the kill switch halted trading: no new orders
  'REDUCE_ONLY', // trading is reduce-only and this order would not reduce the position
  'OVERRIDE_NOT_PERMITTED', // warnings were overridden by someone whose role may not
] as const;
export type RiskCode = (typeof RISK_CODES)[number];

export type RiskTier = 'warn' | 'block';

export interface RiskFinding {
  readonly code: RiskCode;
  readonly tier: RiskTier;
  /** The figures the check compared, as exact decimal strings (notional, max, reference, …). */
  readonly figures: Readonly<Record<string, string>>;
  /** `CODE key=value …` and a sentence: what the blotter and the history show. */
  readonly message: string;
}

/** What the ticket shows before sending: the checks' findings and whether this person may override the warnings. */
export interface RiskPreview {
  readonly findings: readonly RiskFinding[];
  readonly canOverride: boolean;
  readonly tradingState: TradingStateView;
}

export { riskOverrideSchema, type RiskOverride } from './ticket';

export const TRADING_MODES = [
  'normal', // orders go out after the checks
  'reduceOnly', // only orders that reduce a position (towards flat, never past it)
  'halted', // no new orders; cancels still go
] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

export const KILL_SCOPES = ['all', 'broker', 'account', 'algo'] as const;
export type KillScope = (typeof KILL_SCOPES)[number];

/**
 * The kill switch: sets the trading mode and, with `cancel`, cancels every working order in the scope
 * (all, one broker, one account, one algo parent). Journaled with who, when and why.
 */
export const setTradingStateRequestSchema = z
  .object({
    mode: z.enum(TRADING_MODES, { error: `mode must be one of ${TRADING_MODES.join(', ')}` }),
    cancel: z
      .object({
        scope: z.enum(KILL_SCOPES, { error: `scope must be one of ${KILL_SCOPES.join(', ')}` }),
        /** The broker, account or algo parent; none for `all`. */
        value: identifier('scope value', 64).optional(),
      })
      .strict()
      .refine((c) => (c.scope === 'all') === (c.value === undefined), { error: 'name the broker, account or algo (and nothing for all)' })
      .optional(),
    reason,
  })
  .strict();
export type SetTradingStateRequest = z.infer<typeof setTradingStateRequestSchema>;

export interface TradingStateView {
  readonly mode: TradingMode;
  /** When and by whom it was last changed, and why (absent: never changed, normal). */
  readonly since?: string;
  readonly by?: string;
  readonly reason?: string;
}

export interface TradingStateChanged {
  readonly state: TradingStateView;
  /** Cancels requested now; and those deferred until their broker logs on. */
  readonly canceled: number;
  readonly deferred: number;
  /** Orders in the scope that could not be canceled (already pending, say), with why. */
  readonly notCanceled: ReadonlyArray<{ readonly orderId: string; readonly reason: string }>;
}

export const reloadRiskLimitsRequestSchema = z.object({}).strict();
export const getRiskLimitsRequestSchema = z.object({}).strict();

/** One limit with what is used of it now (per account: daily gross notional, open orders). */
export interface RiskLimitUsage {
  /** e.g. `dailyGrossNotional`, `openOrders`. */
  readonly limit: string;
  readonly account: string;
  readonly used: DecimalString;
  readonly warnAt?: DecimalString;
  readonly blockAt?: DecimalString;
  /** Used as a percentage of the block level, else the warn level (2 decimals); absent without a limit. */
  readonly percent?: DecimalString;
}

export interface RiskLimitsView {
  /** The limits' hash (sha-256 of their canonical JSON) as last loaded and journaled. */
  readonly hash: string;
  readonly loadedAt?: string;
  readonly baseCurrency: string;
  /** The limits as configured (the config file's `risk` section, validated). */
  readonly limits: unknown;
  readonly usage: readonly RiskLimitUsage[];
  readonly tradingState: TradingStateView;
}

export interface RiskLimitsReloaded {
  readonly hash: string;
  /** False when the file's limits were those already in force (nothing journaled). */
  readonly changed: boolean;
}
