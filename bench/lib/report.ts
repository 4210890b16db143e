import { median } from './stats';
/** One line of the results table: a figure beside its baseline, measured in the same run. */
export interface ResultRow {
  readonly suite: string;
  readonly metric: string;
  readonly value: number | string;
  readonly baseline?: number;
  readonly unit: string;
  /** value / baseline, when a baseline exists. */
  readonly ratio?: number;
  readonly note?: string;
}

export interface BudgetCheck {
  readonly budget: string;
  readonly measured: string;
  /** null = not measured (the harness could not produce the figure, or n/a). */
  readonly pass: boolean | null;
}

export interface SuiteResult {
  readonly rows: ResultRow[];
  readonly budgets: BudgetCheck[];
  readonly details: Record<string, unknown>;
}

export function row(suite: string, metric: string, value: number | string, unit: string, baseline?: number, note?: string): ResultRow {
  const ratio = typeof value === 'number' && baseline !== undefined && baseline !== 0 ? value / baseline : undefined;
  return { suite, metric, value, unit, ...(baseline !== undefined && { baseline }), ...(ratio !== undefined && { ratio }), ...(note !== undefined && { note }) };
}

/** This tree's rows (the median over rounds where numeric) with the baseline tree's as their baseline. */
export function sideBySide(ours: readonly SuiteResult[], theirs: readonly SuiteResult[], baselineRoot: string): SuiteResult {
  const first = ours[0]!;
  const medianOf = (results: readonly SuiteResult[], i: number): number | string => {
    const values = results.map((r) => r.rows[i]?.value);
    if (values.every((v): v is number => typeof v === 'number')) return median(values);
    return values.join(' ; ');
  };
  const rows = first.rows.map((r, i) => {
    const value = medianOf(ours, i);
    const base = medianOf(theirs, i);
    return row(`${r.suite} vs baseline`, r.metric, value, r.unit, typeof base === 'number' ? base : undefined, typeof base === 'number' ? r.note : `baseline: ${base}`);
  });
  return {
    rows,
    budgets: first.budgets,
    details: { baselineRoot, rounds: ours.length, ours: ours.map((r) => r.details), baseline: theirs.map((r) => r.details) },
  };
}

export function fmt(v: number | string | undefined, digits = 3): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(1);
  if (abs >= 10) return v.toFixed(2);
  return v.toFixed(digits);
}

export function printTable(rows: readonly ResultRow[]): void {
  const header = ['suite', 'metric', 'value', 'baseline', 'ratio', 'unit', 'note'];
  const lines = rows.map((r) => [r.suite, r.metric, fmt(r.value), fmt(r.baseline), r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '', r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const render = (cells: readonly string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(render(l));
}

export function printBudgets(budgets: readonly BudgetCheck[]): void {
  const w = Math.max(...budgets.map((b) => b.budget.length));
  for (const b of budgets) console.log(`${b.pass === null ? 'n/a ' : b.pass ? 'PASS' : 'FAIL'}  ${b.budget.padEnd(w)}  ${b.measured}`);
}
