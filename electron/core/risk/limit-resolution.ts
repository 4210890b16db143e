import type { RiskLimits, RiskLimitSet } from '../config/risk-limits-config';
import type { AssetClass } from '../../../shared/domain/order-types';

/** The limits for one order: field by field, the most specific level that sets it (instrument, asset class, account, defaults). */
export function resolveLimits(limits: RiskLimits, account: string, assetClass: AssetClass, instrumentId: string): RiskLimitSet {
  const levels = [limits.defaults, limits.accounts[account], limits.assetClasses[assetClass], limits.instruments[instrumentId]];
  let out: RiskLimitSet = {};
  for (const level of levels) if (level !== undefined) out = { ...out, ...definedOnly(level) };
  return out;
}

/** The limits of an account alone (usage per account: daily gross notional, open orders). */
export function accountLimits(limits: RiskLimits, account: string): RiskLimitSet {
  return { ...definedOnly(limits.defaults), ...definedOnly(limits.accounts[account] ?? {}) };
}

function definedOnly(set: RiskLimitSet): RiskLimitSet {
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as RiskLimitSet;
}
