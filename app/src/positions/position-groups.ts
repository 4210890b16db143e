import type { PositionRow } from '../../../shared/contract/positions';
import { fixed, fixedText, PLACES } from '../format/fixed-point';

/** What positions can be grouped by, outermost first. */
export const GROUP_FIELDS = ['fund', 'assetClass', 'currency', 'instrumentId'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];
export const GROUP_LABELS: Readonly<Record<GroupField, string>> = { fund: 'Fund', assetClass: 'Asset class', currency: 'Currency', instrumentId: 'Instrument' };

/** Amounts summed in group rows in the fund's base currency: always, where the group is in one base currency. */
export const SUMMED = ['pnlBase', 'realisedBase', 'unrealisedBase', 'exposureBase', 'grossExposureBase'] as const;
/** Amounts summed in the positions' own currency: only where the group is in one (`currency`; exposure: `exposureCurrency`). */
export const SUMMED_LOCAL = ['realised', 'unrealised', 'pnl'] as const;
export const SUMMED_EXPOSURE = ['exposure', 'grossExposure'] as const;
type Summed = (typeof SUMMED)[number] | (typeof SUMMED_LOCAL)[number] | (typeof SUMMED_EXPOSURE)[number];
const ALL_SUMMED: readonly Summed[] = [...SUMMED, ...SUMMED_LOCAL, ...SUMMED_EXPOSURE];

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
      /**
       * Exact sums: the base-currency ones in `baseCurrency` (absent when its positions' base currencies
       * differ); realised/unrealised/P&L in `currency` and exposure in `exposureCurrency` only where the
       * group is in one (the grand total: base currency only).
       */
      readonly sums: Readonly<Partial<Record<Summed, string>>>;
      readonly baseCurrency?: string;
      readonly currency?: string;
      readonly exposureCurrency?: string;
      /** Some position lacks a figure (no mark, no rate): the sum leaves it out. */
      readonly partial: boolean;
    };

/**
 * Sums in progress: exact integers of 10⁻¹² per field, the one currency of each kind (null once two
 * differ) and whether a figure was missing. Added position by position, or group into group, so every
 * position is parsed and added once whatever the depth.
 */
interface Acc {
  readonly totals: Record<Summed, bigint>;
  base: string | null | undefined;
  currency: string | null | undefined;
  exposureCurrency: string | null | undefined;
  /** Per field: some member lacked it. */
  readonly missing: Set<Summed>;
}

function emptyAcc(): Acc {
  return { totals: Object.fromEntries(ALL_SUMMED.map((f) => [f, 0n])) as Record<Summed, bigint>, base: undefined, currency: undefined, exposureCurrency: undefined, missing: new Set() };
}

const one = (held: string | null | undefined, next: string | null | undefined): string | null | undefined => (held === undefined ? next : next === undefined || held === next ? held : null);

/** Parsed amounts per row object (rows are immutable and replaced on change: a row is parsed once). */
const parsedRows = new WeakMap<PositionRow, ReadonlyArray<bigint | undefined>>();

function addPosition(acc: Acc, r: PositionRow): void {
  let values = parsedRows.get(r);
  if (values === undefined) {
    values = ALL_SUMMED.map((f) => fixed(r[f]));
    parsedRows.set(r, values);
  }
  for (let i = 0; i < ALL_SUMMED.length; i++) {
    const v = values[i];
    const f = ALL_SUMMED[i] as Summed;
    if (v === undefined) acc.missing.add(f);
    else acc.totals[f] += v;
  }
  acc.base = one(acc.base, r.baseCurrency);
  acc.currency = one(acc.currency, r.currency);
  acc.exposureCurrency = one(acc.exposureCurrency, r.exposureCurrency);
}

function addAcc(acc: Acc, part: Acc): void {
  for (const f of ALL_SUMMED) acc.totals[f] += part.totals[f];
  for (const f of part.missing) acc.missing.add(f);
  acc.base = one(acc.base, part.base);
  acc.currency = one(acc.currency, part.currency);
  acc.exposureCurrency = one(acc.exposureCurrency, part.exposureCurrency);
}

/** A group's (or the total's) figures from its sums: each kind only where its currency is one. */
function figures(acc: Acc, local: boolean): { sums: Partial<Record<Summed, string>>; baseCurrency?: string; currency?: string; exposureCurrency?: string; partial: boolean } {
  const sums: Partial<Record<Summed, string>> = {};
  const shown: Summed[] = [];
  if (typeof acc.base === 'string') shown.push(...SUMMED);
  if (local && typeof acc.currency === 'string') shown.push(...SUMMED_LOCAL);
  if (local && typeof acc.exposureCurrency === 'string') shown.push(...SUMMED_EXPOSURE);
  for (const f of shown) sums[f] = fixedText(acc.totals[f], PLACES);
  return {
    sums,
    ...(typeof acc.base === 'string' && { baseCurrency: acc.base }),
    ...(local && typeof acc.currency === 'string' && { currency: acc.currency }),
    ...(local && typeof acc.exposureCurrency === 'string' && { exposureCurrency: acc.exposureCurrency }),
    partial: shown.some((f) => acc.missing.has(f)),
  };
}

/** Sums exactly (fixed point) over the given positions: in base currency where it is one, in the positions' own where it is one. */
export function sumsOf(rows: readonly PositionRow[], local = true): ReturnType<typeof figures> {
  const acc = emptyAcc();
  for (const r of rows) addPosition(acc, r);
  return figures(acc, local);
}

/**
 * The grid's rows: groups by `by` (outermost first), each followed by its members when expanded
 * (`expanded` holds the group ids), positions under the innermost; the grand total comes apart (its
 * sums in base currency only). Group ids are the path of values ("fund=A/assetClass=bond"), stable as
 * rows change. Each position is added into one sum only (its deepest group shown); groups above add
 * their children's sums.
 */
export function groupPositions(rows: readonly PositionRow[], by: readonly GroupField[], expanded: ReadonlySet<string>): { rows: PositionGridRow[]; total: PositionGridRow } {
  const out: PositionGridRow[] = [];
  const walk = (members: readonly PositionRow[], level: number, path: string): Acc => {
    const acc = emptyAcc();
    const field = by[level];
    if (field === undefined) {
      for (const p of [...members].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        out.push(positionRowOf(p, level, path));
        addPosition(acc, p);
      }
      return acc;
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
      const at = out.length;
      out.push(undefined as unknown as PositionGridRow); // the group's row, once its sums are known
      let sums: Acc;
      if (open) sums = walk(list, level + 1, id);
      else {
        sums = emptyAcc();
        for (const p of list) addPosition(sums, p);
      }
      out[at] = { kind: 'group', id, depth: level, parent: path, field, label: value, count: list.length, expanded: open, ...figures(sums, true) };
      addAcc(acc, sums);
    }
    return acc;
  };
  const all = walk(rows, 0, '');
  return { rows: out, total: { kind: 'total', id: 'total', depth: 0, parent: '', label: 'Total', count: rows.length, expanded: true, ...figures(all, false) } };
}

/** The grid row of a position, the same object while the position, its place and depth are (so an update touches only changed rows). */
const positionRows = new WeakMap<PositionRow, { readonly kind: 'position'; readonly id: string; readonly depth: number; readonly parent: string; readonly position: PositionRow }>();

function positionRowOf(p: PositionRow, depth: number, parent: string): PositionGridRow {
  const held = positionRows.get(p);
  if (held !== undefined && held.depth === depth && held.parent === parent) return held;
  const row = { kind: 'position' as const, id: p.key, depth, parent, position: p };
  positionRows.set(p, row);
  return row;
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
