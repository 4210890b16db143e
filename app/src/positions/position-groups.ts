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
 * Sums of a set of positions, kept by delta: exact integers of 10⁻¹² per field, how many members lack
 * each field, and how many members are in each base, own and exposure currency (a sum is shown in a
 * currency only where it is the one).
 */
interface Acc {
  readonly totals: Record<Summed, bigint>;
  readonly missing: Record<Summed, number>;
  readonly bases: Map<string, number>;
  readonly currencies: Map<string, number>;
  readonly exposureCurrencies: Map<string, number>;
}

function emptyAcc(): Acc {
  return {
    totals: Object.fromEntries(ALL_SUMMED.map((f) => [f, 0n])) as Record<Summed, bigint>,
    missing: Object.fromEntries(ALL_SUMMED.map((f) => [f, 0])) as Record<Summed, number>,
    bases: new Map(),
    currencies: new Map(),
    exposureCurrencies: new Map(),
  };
}

function count(map: Map<string, number>, key: string, by: 1 | -1): void {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

/** Parsed amounts per row object (rows are immutable and replaced on change: a row is parsed once). */
const parsedRows = new WeakMap<PositionRow, ReadonlyArray<bigint | undefined>>();

/** Adds (`by` 1) or takes out (−1) one position's figures. */
function addPosition(acc: Acc, r: PositionRow, by: 1 | -1 = 1): void {
  let values = parsedRows.get(r);
  if (values === undefined) {
    values = ALL_SUMMED.map((f) => fixed(r[f]));
    parsedRows.set(r, values);
  }
  for (let i = 0; i < ALL_SUMMED.length; i++) {
    const v = values[i];
    const f = ALL_SUMMED[i] as Summed;
    if (v === undefined) acc.missing[f] += by;
    else if (v !== 0n) acc.totals[f] += by === 1 ? v : -v;
  }
  count(acc.bases, r.baseCurrency, by);
  count(acc.currencies, r.currency, by);
  count(acc.exposureCurrencies, r.exposureCurrency, by);
}

const onlyOne = (m: ReadonlyMap<string, number>): string | undefined => (m.size === 1 ? (m.keys().next().value as string) : undefined);

/** A group's (or the total's) figures from its sums: each kind only where its currency is one. */
function figures(acc: Acc, local: boolean): { sums: Partial<Record<Summed, string>>; baseCurrency?: string; currency?: string; exposureCurrency?: string; partial: boolean } {
  const sums: Partial<Record<Summed, string>> = {};
  const shown: Summed[] = [];
  const base = onlyOne(acc.bases);
  const currency = local ? onlyOne(acc.currencies) : undefined;
  const exposureCurrency = local ? onlyOne(acc.exposureCurrencies) : undefined;
  if (base !== undefined) shown.push(...SUMMED);
  if (currency !== undefined) shown.push(...SUMMED_LOCAL);
  if (exposureCurrency !== undefined) shown.push(...SUMMED_EXPOSURE);
  for (const f of shown) sums[f] = fixedText(acc.totals[f], PLACES);
  return {
    sums,
    ...(base !== undefined && { baseCurrency: base }),
    ...(currency !== undefined && { currency }),
    ...(exposureCurrency !== undefined && { exposureCurrency }),
    partial: shown.some((f) => acc.missing[f] > 0),
  };
}

/** Sums exactly (fixed point) over the given positions: in base currency where it is one, in the positions' own where it is one. */
export function sumsOf(rows: readonly PositionRow[], local = true): ReturnType<typeof figures> {
  const acc = emptyAcc();
  for (const r of rows) addPosition(acc, r);
  return figures(acc, local);
}

/**
 * The sums of each group shown (and the total), kept from one call to the next: a group's members are
 * compared with its last ones by identity (rows are replaced when they change), and only the changed
 * ones are taken out and added again; a member gone means a recount. So a frame costs a look at each
 * position per level and arithmetic for the changed ones, not BigInt sums of every position.
 */
const groupSums = new Map<string, { readonly members: Map<string, PositionRow>; acc: Acc; list?: readonly PositionRow[] }>();

function sumsFor(id: string, members: readonly PositionRow[], touched: Set<string>): Acc {
  touched.add(id);
  let held = groupSums.get(id);
  if (held === undefined) {
    held = { members: new Map(), acc: emptyAcc() };
    groupSums.set(id, held);
  }
  // The same members in the same places as last time (the usual frame: a few positions valued again):
  // compared by place, not looked up by key.
  const last = held.list;
  if (last !== undefined && last.length === members.length) {
    let i = 0;
    for (; i < members.length; i++) {
      const r = members[i] as PositionRow;
      const before = last[i] as PositionRow;
      if (r === before) continue;
      if (r.key !== before.key) break;
      addPosition(held.acc, before, -1);
      addPosition(held.acc, r);
      held.members.set(r.key, r);
    }
    if (i === members.length) {
      held.list = members;
      return held.acc;
    }
  }
  held.list = members;
  for (const r of members) {
    const before = held.members.get(r.key);
    if (before === r) continue;
    if (before !== undefined) addPosition(held.acc, before, -1);
    addPosition(held.acc, r);
    held.members.set(r.key, r);
  }
  if (held.members.size !== members.length) {
    // Some left the group (filtered, or a new snapshot): count again.
    const fresh = { members: new Map(members.map((r) => [r.key, r])), acc: emptyAcc(), list: members };
    for (const r of members) addPosition(fresh.acc, r);
    groupSums.set(id, fresh);
    return fresh.acc;
  }
  return held.acc;
}

/**
 * The grid's rows: groups by `by` (outermost first), each followed by its members when expanded
 * (`expanded` holds the group ids), positions under the innermost; the grand total comes apart (its
 * sums in base currency only). Group ids are the path of values ("fund=A/assetClass=bond"), stable as
 * rows change; their sums are kept by delta between calls (`sumsFor`).
 */
export function groupPositions(rows: readonly PositionRow[], by: readonly GroupField[], expanded: ReadonlySet<string>): { rows: PositionGridRow[]; total: PositionGridRow } {
  const out: PositionGridRow[] = [];
  const touched = new Set<string>();
  const touchedLeaves = new Set<string>();
  const walk = (members: readonly PositionRow[], level: number, path: string): void => {
    const field = by[level];
    if (field === undefined) {
      const sorted = inKeyOrder(members);
      const last = leaves.get(path);
      const rows: PositionGridRow[] = [];
      for (let i = 0; i < sorted.length; i++) {
        const p = sorted[i] as PositionRow;
        // The same position in the same place as last time: its grid row again, without a lookup.
        rows.push(last !== undefined && last.members[i] === p ? (last.rows[i] as PositionGridRow) : positionRowOf(p, level, path));
      }
      leaves.set(path, { members: sorted, rows });
      touchedLeaves.add(path);
      for (const r of rows) out.push(r);
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
      out.push({ kind: 'group', id, depth: level, parent: path, field, label: value, count: list.length, expanded: open, ...figures(sumsFor(id, list, touched), true) });
      if (open) walk(list, level + 1, id);
    }
  };
  walk(rows, 0, '');
  const total = sumsFor('total', rows, touched);
  for (const id of groupSums.keys()) if (!touched.has(id)) groupSums.delete(id);
  for (const path of leaves.keys()) if (!touchedLeaves.has(path)) leaves.delete(path);
  return { rows: out, total: { kind: 'total', id: 'total', depth: 0, parent: '', label: 'Total', count: rows.length, expanded: true, ...figures(total, false) } };
}

/** Positions by key: as given when they already are (the book's are, and grouping keeps their order: no sort of every row per frame). */
function inKeyOrder(rows: readonly PositionRow[]): readonly PositionRow[] {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1] as PositionRow).key > (rows[i] as PositionRow).key) return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows;
}

/** Per innermost level shown (its path): the positions it showed last time and their grid rows, by place. */
const leaves = new Map<string, { readonly members: readonly PositionRow[]; readonly rows: readonly PositionGridRow[] }>();

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
