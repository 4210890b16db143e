import type { RiskLimits, RiskLimitSet } from '../config/risk-limits-config';
import type { AssetClass } from '../../../shared/domain/order-types';

/**
 * Resolved sets by the limits they come from (immutable: a new file is a new object) and the key
 * asked: every order resolves them, in the gate and in its live effects.
 */
const resolved = new WeakMap<RiskLimits, Map<string, RiskLimitSet>>();

function memo(limits: RiskLimits, key: string, resolve: () => RiskLimitSet): RiskLimitSet {
  let byKey = resolved.get(limits);
  if (byKey === undefined) resolved.set(limits, (byKey = new Map()));
  let set = byKey.get(key);
  if (set === undefined) byKey.set(key, (set = Object.freeze(resolve())));
  return set;
}

/** The limits for one order: field by field, the most specific level that sets it (instrument, asset class, account, defaults). */
export function resolveLimits(limits: RiskLimits, account: string, assetClass: AssetClass, instrumentId: string): RiskLimitSet {
  return memo(limits, `order\u0000${account}\u0000${assetClass}\u0000${instrumentId}`, () => resolveUncached(limits, account, assetClass, instrumentId));
}

function resolveUncached(limits: RiskLimits, account: string, assetClass: AssetClass, instrumentId: string): RiskLimitSet {
  const levels = [limits.defaults, limits.accounts[account], limits.assetClasses[assetClass], limits.instruments[instrumentId]];
  let out: RiskLimitSet = {};
  for (const level of levels) if (level !== undefined) out = { ...out, ...definedOnly(level) };
  return out;
}

/** The limits of an account alone (usage per account: daily gross notional, open orders). */
export function accountLimits(limits: RiskLimits, account: string): RiskLimitSet {
  return memo(limits, `account\u0000${account}`, () => ({ ...definedOnly(limits.defaults), ...definedOnly(limits.accounts[account] ?? {}) }));
}

function definedOnly(set: RiskLimitSet): RiskLimitSet {
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as RiskLimitSet;
}
