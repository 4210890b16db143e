import type { ColumnState, GridApi } from 'ag-grid-community';
import type { BlotterLayout, ColumnStateLayout } from '../../../shared/contract/workspace';
import { columnFilterSchema, columnStateSchema } from '../../../shared/contract/workspace';

/** A grid's columns (order, width, visibility, pinning, sort) and column filters, as a layout keeps them. */
export function captureGridLayout(api: Pick<GridApi, 'getColumnState' | 'getFilterModel'>): Pick<BlotterLayout, 'columns' | 'filters'> {
  const columns: ColumnStateLayout[] = [];
  for (const c of api.getColumnState()) {
    // ag-grid's own selection column is not the person's to arrange.
    if (c.colId.startsWith('ag-Grid-')) continue;
    const state: ColumnStateLayout = {
      colId: c.colId,
      ...(c.width != null && { width: Math.round(c.width) }),
      ...(c.hide != null && { hide: c.hide }),
      pinned: c.pinned === 'left' || c.pinned === 'right' ? c.pinned : null,
      sort: c.sort ?? null,
      sortIndex: c.sortIndex ?? null,
      ...(c.flex != null && { flex: c.flex }),
    };
    const parsed = columnStateSchema.safeParse(state);
    if (parsed.success) columns.push(parsed.data);
  }
  const filters: BlotterLayout['filters'] = {};
  for (const [colId, model] of Object.entries(api.getFilterModel() ?? {})) {
    const parsed = columnFilterSchema.safeParse(model);
    if (parsed.success) filters[colId] = parsed.data;
  }
  return { columns, filters };
}

/** Puts a layout on a grid; no layout: the columns as defined (the desk's default) and no filters. */
export function applyGridLayout(api: Pick<GridApi, 'applyColumnState' | 'resetColumnState' | 'setFilterModel' | 'getColumnState'>, layout: Pick<BlotterLayout, 'columns' | 'filters'> | undefined): void {
  if (layout === undefined || layout.columns.length === 0) {
    api.resetColumnState();
  } else {
    const known = new Set(api.getColumnState().map((c) => c.colId));
    const state: ColumnState[] = layout.columns.filter((c) => known.has(c.colId)).map((c) => ({ ...c }));
    api.applyColumnState({ state, applyOrder: true, defaultState: { sort: null } });
  }
  api.setFilterModel(layout !== undefined && Object.keys(layout.filters).length > 0 ? layout.filters : null);
}

/** Grid events after which the layout may have changed (a drag ends, a sort or filter is set…). */
export const LAYOUT_EVENTS = ['columnMoved', 'columnResized', 'columnPinned', 'columnVisible', 'sortChanged', 'filterChanged', 'displayedColumnsChanged'] as const;
