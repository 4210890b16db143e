import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import type { Side } from '../../../shared/domain/order-types';
import { compareDecimalStrings, groupDecimal } from '../format/decimal';
import { sideLabel } from '../format/labels';

/** Right-aligned, monospace, grouped; sorted as decimals, never as floats. */
export function decimalColumn<T>(headerName: string, field: keyof T & string, width = 96): ColDef<T> {
  return {
    headerName,
    field: field as unknown as ColDef<T>['field'],
    width,
    type: 'rightAligned',
    cellClass: 'num',
    comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
    valueFormatter: (p: ValueFormatterParams<T, string | undefined>) => groupDecimal(p.value ?? undefined),
  };
}

export function sideColumn<T extends { side: Side }>(): ColDef<T> {
  return {
    headerName: 'Side',
    field: 'side' as ColDef<T>['field'],
    width: 92,
    valueFormatter: (p: ValueFormatterParams<T, Side>) => (p.value ? sideLabel(p.value) : ''),
    cellClassRules: {
      'side-buy': (p) => p.value === 'buy',
      'side-sell': (p) => p.value === 'sell' || p.value === 'sellShort',
    },
  };
}

/**
 * Sorting, resizing and moving for every column; filters live in the filter row (a blotter's toggle)
 * rather than a button in every header, which would cost each header the width of an icon.
 */
export const defaultColumn: ColDef = {
  sortable: true,
  resizable: true,
  suppressHeaderMenuButton: true,
  suppressHeaderFilterButton: true,
  minWidth: 56,
};
