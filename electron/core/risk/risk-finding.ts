import type { RiskCode, RiskFinding, RiskTier } from '../../../shared/contract/risk';
import type { Threshold } from '../config/risk-limits-config';
import { Dec } from '../decimal/decimal';

/** A finding: its code and figures first (`NOTIONAL_ABOVE_MAX notional=… max=…`), then why in words. */
export function finding(code: RiskCode, tier: RiskTier, figures: Record<string, string>, why: string): RiskFinding {
  const pairs = Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ');
  return { code, tier, figures, message: `${code}${pairs === '' ? '' : ` ${pairs}`}: ${why}${tier === 'warn' ? ' (warning)' : ' (blocked)'}` };
}

/** Which level of a threshold a value is above: the block level first; undefined when within both. */
export function crossed(value: Dec, threshold: Threshold | undefined): { tier: RiskTier; limit: string } | undefined {
  if (threshold === undefined) return undefined;
  if (threshold.block !== undefined && value.greaterThan(threshold.block)) return { tier: 'block', limit: threshold.block };
  if (threshold.warn !== undefined && value.greaterThan(threshold.warn)) return { tier: 'warn', limit: threshold.warn };
  return undefined;
}

export function hasBlock(findings: readonly RiskFinding[]): boolean {
  return findings.some((f) => f.tier === 'block');
}

export function hasWarning(findings: readonly RiskFinding[]): boolean {
  return findings.some((f) => f.tier === 'warn');
}

export const ZERO = new Dec(0);
