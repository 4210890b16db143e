import type { ColumnState, GridApi } from 'ag-grid-community';
import { useEffect, useState } from 'react';
import { blotterGrid } from '../grid/grid-registry';
import { ModalDialog } from '../shell/ModalDialog';
import { closeDialog } from '../store/actions';
import { useDesk } from '../store/desk-store';

interface ColumnRow {
  readonly colId: string;
  readonly name: string;
  readonly shown: boolean;
  readonly pinned: 'left' | 'right' | null;
  readonly width: number | undefined;
}

/** The columns of a grid in their order, with their names (ag-grid's selection column left out). */
function columnsOf(api: GridApi): ColumnRow[] {
  return api
    .getColumnState()
    .filter((c) => !c.colId.startsWith('ag-Grid-'))
    .map((c) => {
      const column = api.getColumn(c.colId);
      return {
        colId: c.colId,
        name: column === null ? c.colId : api.getDisplayNameForColumn(column, null),
        shown: c.hide !== true,
        pinned: c.pinned === 'left' || c.pinned === 'right' ? c.pinned : null,
        width: c.width ?? undefined,
      };
    });
}

/**
 * The column chooser (ag-grid community has no tool panel): show or hide, pin, and order each
 * column of a blotter, all by keyboard; changes apply at once and are saved with the layout.
 */
export function ColumnsDialog() {
  const dialog = useDesk((s) => s.dialog);
  if (dialog?.kind !== 'columns') return null;
  return <ColumnsBody key={dialog.blotterId} blotterId={dialog.blotterId} />;
}

function ColumnsBody({ blotterId }: { blotterId: string }) {
  const api = blotterGrid(blotterId);
  const [rows, setRows] = useState<ColumnRow[]>(() => (api === undefined ? [] : columnsOf(api)));
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (api === undefined) return;
    const refresh = () => setRows(columnsOf(api));
    const events = ['columnMoved', 'columnVisible', 'columnPinned', 'columnResized', 'displayedColumnsChanged'] as const;
    for (const event of events) api.addEventListener(event, refresh);
    return () => {
      if (!api.isDestroyed()) for (const event of events) api.removeEventListener(event, refresh);
    };
  }, [api]);

  const title = blotterId.startsWith('orders') ? 'Orders columns' : 'Executions columns';
  if (api === undefined) {
    return (
      <ModalDialog titleId="columns-title" onClose={closeDialog} className="columns-dialog">
        <h2 id="columns-title">{title}</h2>
        <p>This blotter is not open in this window.</p>
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={closeDialog} data-autofocus>
            Close
          </button>
        </div>
      </ModalDialog>
    );
  }

  const move = (index: number, by: -1 | 1) => {
    const target = index + by;
    if (target < 0 || target >= rows.length) return;
    const state: ColumnState[] = api.getColumnState();
    const ids = rows.map((r) => r.colId);
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    // Keep ag-grid's own columns (the selection checkbox) where they were, first.
    const own = state.filter((c) => c.colId.startsWith('ag-Grid-')).map((c) => ({ colId: c.colId }));
    api.applyColumnState({ state: [...own, ...ids.map((colId) => ({ colId }))], applyOrder: true });
    setNotice(`${rows[index]!.name} moved ${by < 0 ? 'left' : 'right'}`);
    // Keep the focus on the same button of the moved row.
    requestAnimationFrame(() => document.getElementById(`col-${ids[target]}-${by < 0 ? 'up' : 'down'}`)?.focus());
  };

  return (
    <ModalDialog titleId="columns-title" onClose={closeDialog} className="columns-dialog" describedBy="columns-help">
      <h2 id="columns-title">{title}</h2>
      <p id="columns-help" className="muted">
        Show, pin and order the columns; drag headers and edges in the grid to move and resize them. Saved with your layout.
      </p>
      <div className="columns-table-wrap">
        <table className="columns-table">
          <thead>
            <tr>
              <th scope="col">Shown</th>
              <th scope="col">Column</th>
              <th scope="col">Pinned</th>
              <th scope="col">Order</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.colId}>
                <td>
                  <input
                    type="checkbox"
                    id={`col-${row.colId}-shown`}
                    aria-label={`Show ${row.name}`}
                    checked={row.shown}
                    {...(index === 0 ? { 'data-autofocus': true } : {})}
                    onChange={(e) => {
                      const shown = e.target.checked;
                      // ag-grid reports columnVisible after its next render; the box follows the click at once.
                      setRows((rs) => rs.map((r) => (r.colId === row.colId ? { ...r, shown } : r)));
                      api.setColumnsVisible([row.colId], shown);
                    }}
                  />
                </td>
                <td>
                  <label htmlFor={`col-${row.colId}-shown`}>{row.name}</label>
                </td>
                <td>
                  <select aria-label={`Pin ${row.name}`} value={row.pinned ?? ''} onChange={(e) => {
                      const pinned = e.target.value === '' ? null : (e.target.value as 'left' | 'right');
                      setRows((rs) => rs.map((r) => (r.colId === row.colId ? { ...r, pinned } : r)));
                      api.setColumnsPinned([row.colId], pinned);
                    }}>
                    <option value="">No</option>
                    <option value="left">Left</option>
                    <option value="right">Right</option>
                  </select>
                </td>
                <td className="columns-move">
                  <button type="button" id={`col-${row.colId}-up`} className="btn btn-row" aria-label={`Move ${row.name} left`} disabled={index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </button>
                  <button type="button" id={`col-${row.colId}-down`} className="btn btn-row" aria-label={`Move ${row.name} right`} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                    ↓
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted" role="status" aria-live="polite">
        {notice}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={() => api.autoSizeAllColumns()} title="Fit each column to its content">
          Fit widths
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            api.resetColumnState();
            setNotice('Columns back to the default');
          }}
        >
          Default columns
        </button>
        <button type="button" className="btn btn-primary" onClick={closeDialog}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
