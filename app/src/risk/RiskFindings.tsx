import type { RiskFinding } from '../../../shared/contract/risk';

/** The pre-trade checks' findings, blocks first: each with its tier in words and its coded reason. */
export function RiskFindings({ findings, id }: { readonly findings: readonly RiskFinding[]; readonly id?: string }) {
  if (findings.length === 0) return null;
  const sorted = [...findings].sort((a, b) => (a.tier === b.tier ? 0 : a.tier === 'block' ? -1 : 1));
  return (
    <ul id={id} className="risk-findings" aria-label="Pre-trade checks">
      {sorted.map((f) => (
        <li key={`${f.code}-${f.message}`} className={`risk-finding risk-${f.tier}`}>
          <span className="risk-tier">{f.tier === 'block' ? 'Blocked' : 'Warning'}</span> <span className="mono">{f.message}</span>
        </li>
      ))}
    </ul>
  );
}
