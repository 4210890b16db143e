import type { Column, GridApi, IRowNode } from 'ag-grid-community';
import Papa from 'papaparse';

/** Columns that are controls, not data: never exported or copied. */
const NOT_DATA = new Set(['actions']);

type ExportApi<T> = Pick<GridApi<T>, 'getAllDisplayedColumns' | 'forEachNodeAfterFilterAndSort' | 'getCellValue' | 'getSelectedNodes' | 'getDisplayNameForColumn'>;

/** The data columns as shown, left to right (hidden ones and the selection and action columns left out). */
function shownColumns<T>(api: ExportApi<T>): Column[] {
  return api.getAllDisplayedColumns().filter((c) => !NOT_DATA.has(c.getColId()) && !c.getColId().startsWith('ag-Grid-'));
}

/** One row's cells as the grid shows them (formatted: grouped decimals, labels, local times). */
function cellsOf<T>(api: ExportApi<T>, columns: readonly Column[], node: IRowNode<T>): string[] {
  return columns.map((column) => {
    const value: unknown = api.getCellValue({ rowNode: node, colKey: column, useFormatter: true });
    return value === null || value === undefined ? '' : String(value);
  });
}

/** The header and every row the grid shows now (after its filters, in its sort), as text cells. */
export function shownTable<T>(api: ExportApi<T>): { header: string[]; rows: string[][] } {
  const columns = shownColumns(api);
  const rows: string[][] = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (node.data !== undefined && node.rowPinned == null) rows.push(cellsOf(api, columns, node));
  });
  return { header: columns.map((c) => api.getDisplayNameForColumn(c, null)), rows };
}

/** The selected rows, in the order shown, with the header. */
export function selectedTable<T>(api: ExportApi<T>): { header: string[]; rows: string[][] } {
  const columns = shownColumns(api);
  const selected = new Set(api.getSelectedNodes());
  const rows: string[][] = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (selected.has(node)) rows.push(cellsOf(api, columns, node));
  });
  return { header: columns.map((c) => api.getDisplayNameForColumn(c, null)), rows };
}

/** CSV (RFC 4180, by papaparse): a header line, then one line per row. */
export function toCsv(table: { header: string[]; rows: string[][] }): string {
  return Papa.unparse({ fields: table.header, data: table.rows }, { newline: '\r\n' });
}

/** Tab-separated lines for a chat or an email (pastes as a table into mail and spreadsheets). */
export function toText(table: { header: string[]; rows: string[][] }): string {
  const clean = (cell: string) => cell.replace(/[\t\r\n]+/g, ' ');
  return [table.header, ...table.rows].map((cells) => cells.map(clean).join('\t')).join('\n');
}

/** Saves `text` as a file the browser (or Electron) downloads. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `2026-03-02-093015`: a file name's timestamp from a local time. */
export function fileStamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
