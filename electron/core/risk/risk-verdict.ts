import type { RiskFinding } from '../../../shared/contract/risk';
import type { RiskLimits } from '../config/risk-limits-config';
import { finding, hasBlock, hasWarning } from './risk-finding';

/**
 * What the gate does with the findings: blocks refuse whatever anyone says; warnings refuse unless
 * overridden with a reason by a person whose role may; an override is recorded with who and why.
 */
export type RiskVerdict =
  | { readonly kind: 'pass' }
  | { readonly kind: 'overridden'; readonly warnings: readonly RiskFinding[]; readonly by: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly code: 'RISK_BLOCKED' | 'RISK_WARNING'; readonly findings: readonly RiskFinding[] };

export function mayOverride(limits: RiskLimits, operator: string): boolean {
  const role = limits.roles[operator] ?? limits.defaultRole;
  return role !== undefined && limits.overrideRoles.includes(role);
}

export function riskVerdict(findings: readonly RiskFinding[], limits: RiskLimits, operator: string, override: { readonly reason: string } | undefined): RiskVerdict {
  if (hasBlock(findings)) return { kind: 'refused', code: 'RISK_BLOCKED', findings };
  if (!hasWarning(findings)) return { kind: 'pass' };
  if (override === undefined) return { kind: 'refused', code: 'RISK_WARNING', findings };
  if (!mayOverride(limits, operator)) {
    const role = limits.roles[operator] ?? limits.defaultRole ?? 'none';
    const denied = finding('OVERRIDE_NOT_PERMITTED', 'block', { user: operator, role }, `${operator} (role ${role}) may not override risk warnings`);
    return { kind: 'refused', code: 'RISK_BLOCKED', findings: [...findings, denied] };
  }
  return { kind: 'overridden', warnings: findings, by: operator, reason: override.reason };
}

/** The refusal in one line: every finding's message. */
export function refusalText(findings: readonly RiskFinding[]): string {
  return findings.map((f) => f.message).join('; ');
}
