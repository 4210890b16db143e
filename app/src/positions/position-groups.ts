import type { PositionRow } from '../../../shared/contract/positions';
import { fixed, fixedText, PLACES } from '../format/fixed-point';

/** What positions can be grouped by, outermost first. */
export const GROUP_FIELDS = ['fund', 'assetClass', 'currency', 'instrumentId'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];
export const GROUP_LABELS: Readonly<Record<GroupField, string>> = { fund: 'Fund', assetClass: 'Asset class', currency: 'Currency', instrumentId: 'Instrument' };

/** Amounts summed in group rows: the fund's base currency only (instrument currencies do not add up). */
export const SUMMED = ['pnlBase', 'realisedBase', 'unrealisedBase', 'exposureBase', 'grossExposureBase'] as const;
type Summed = (typeof SUMMED)[number];

/** A row of the positions grid: a position, a group with its subtotals, or the grand total. */
export type PositionGridRow =
  | { readonly kind: 'position'; readonly id: string; readonly depth: number; readonly parent: string; readonly position: PositionRow }
  | {
      readonly kind: 'group' | 'total';
      readonly id: string;
      readonly depth: number;
      readonly parent: string;
      readonly field?: GroupField;
      readonly label: string;
      readonly count: number;
      readonly expanded: boolean;
      /** Sums in `baseCurrency`; absent when its positions' base currencies differ (funds in several) or a rate is missing. */
      readonly sums: Readonly<Partial<Record<Summed, string>>>;
      readonly baseCurrency?: string;
      /** Some position lacks a figure (no mark, no rate): the sum leaves it out. */
      readonly partial: boolean;
    };

/** Sums exactly (fixed point) over the given positions; a base-currency mix gives no sums. */
export function sumsOf(rows: readonly PositionRow[]): { sums: Partial<Record<Summed, string>>; baseCurrency?: string; partial: boolean } {
  const bases = new Set(rows.map((r) => r.baseCurrency));
  if (bases.size !== 1) return { sums: {}, partial: false };
  const sums: Partial<Record<Summed, string>> = {};
  let partial = false;
  for (const field of SUMMED) {
    let total = 0n;
    for (const r of rows) {
      const v = fixed(r[field]);
      if (v === undefined) partial = true;
      else total += v;
    }
    sums[field] = fixedText(total, PLACES);
  }
  return { sums, baseCurrency: [...bases][0] as string, partial };
}

/**
 * The grid's rows: groups by `by` (outermost first), each followed by its members when expanded
 * (`expanded` holds the group ids), positions under the innermost; the grand total comes apart.
 * Group ids are the path of values ("fund=A/assetClass=bond"), stable as rows change.
 */
export function groupPositions(rows: readonly PositionRow[], by: readonly GroupField[], expanded: ReadonlySet<string>): { rows: PositionGridRow[]; total: PositionGridRow } {
  const out: PositionGridRow[] = [];
  const walk = (members: readonly PositionRow[], level: number, path: string) => {
    const field = by[level];
    if (field === undefined) {
      for (const p of [...members].sort((a, b) => a.key.localeCompare(b.key))) out.push({ kind: 'position', id: p.key, depth: level, parent: path, position: p });
      return;
    }
    const groups = new Map<string, PositionRow[]>();
    for (const p of members) {
      const value = p[field];
      const list = groups.get(value);
      if (list === undefined) groups.set(value, [p]);
      else list.push(p);
    }
    for (const value of [...groups.keys()].sort()) {
      const list = groups.get(value) as PositionRow[];
      const id = `${path}${field}=${value}/`;
      const open = expanded.has(id);
      out.push({ kind: 'group', id, depth: level, parent: path, field, label: value, count: list.length, expanded: open, ...sumsOf(list) });
      if (open) walk(list, level + 1, id);
    }
  };
  walk(rows, 0, '');
  return { rows: out, total: { kind: 'total', id: 'total', depth: 0, parent: '', label: 'Total', count: rows.length, expanded: true, ...sumsOf(rows) } };
}

/** Exposure per asset class and per currency (gross, in the base currency), for the chart. */
export function exposureBy(rows: readonly PositionRow[], field: 'assetClass' | 'exposureCurrency'): Array<{ label: string; value: number }> {
  const totals = new Map<string, bigint>();
  for (const r of rows) {
    const v = fixed(r.grossExposureBase);
    if (v !== undefined) totals.set(r[field], (totals.get(r[field]) ?? 0n) + v);
  }
  return [...totals].sort((a, b) => a[0].localeCompare(b[0])).map(([label, v]) => ({ label, value: Number(fixedText(v, PLACES)) }));
}

/**
 * Rows in the grid's sort, kept in their groups: each group's members follow it, in the order the
 * sort gave them (ag-grid sorts a flat list; postSortRows puts the hierarchy back).
 */
export function keepHierarchy<T extends { readonly id: string; readonly parent: string }>(sorted: readonly T[]): T[] {
  const children = new Map<string, T[]>();
  for (const row of sorted) {
    const list = children.get(row.parent);
    if (list === undefined) children.set(row.parent, [row]);
    else list.push(row);
  }
  const out: T[] = [];
  const visit = (parent: string) => {
    for (const row of children.get(parent) ?? []) {
      out.push(row);
      visit(row.id);
    }
  };
  visit('');
  return out;
}

/** Positions whose account, symbol, name, instrument or fund contains `text` (any case). */
export function filterPositions(rows: readonly PositionRow[], text: string): readonly PositionRow[] {
  const q = text.trim().toUpperCase();
  if (q === '') return rows;
  return rows.filter((r) => [r.account, r.symbol, r.name, r.instrumentId, r.fund, r.assetClass, r.currency].some((v) => v.toUpperCase().includes(q)));
}
