import type { ColDef, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import type { PositionRow } from '../../../shared/contract/positions';
import { compareDecimalStrings, groupDecimal } from '../format/decimal';
import { fixed, fixedText } from '../format/fixed-point';
import { CLASS_NAMES } from '../instruments/instrument-terms';
import type { PositionGridRow } from './position-groups';
import { GROUP_LABELS } from './position-groups';

/** Money to the cent for display (the values are exact; rounding is the screen's). */
export function cents(value: string | undefined): string {
  const v = fixed(value);
  if (v === undefined) return '';
  // 10^-12 units to 10^-2, half away from zero
  const unit = 10n ** 10n;
  const rounded = (v < 0n ? -(-v + unit / 2n) / unit : (v + unit / 2n) / unit) * unit;
  const text = fixedText(rounded, 12);
  const [whole, fraction = ''] = text.split('.');
  return groupDecimal(`${whole}.${fraction.padEnd(2, '0')}`);
}

const position = (p: { data?: PositionGridRow }): PositionRow | undefined => (p.data?.kind === 'position' ? p.data.position : undefined);

/** A field of the position; for a group or the total, its sum where it has one. */
function valueOf(field: keyof PositionRow, summed = false) {
  return (p: ValueGetterParams<PositionGridRow>): string | undefined => {
    const row = p.data;
    if (row === undefined) return undefined;
    if (row.kind === 'position') return row.position[field] as string | undefined;
    return summed ? (row.sums as Record<string, string | undefined>)[field] : undefined;
  };
}

/** A currency of the position, or the one of a group (absent where its positions are in several). */
function currencyOf(field: 'currency' | 'exposureCurrency') {
  return (p: ValueGetterParams<PositionGridRow>): string | undefined => {
    const row = p.data;
    if (row === undefined) return undefined;
    return row.kind === 'position' ? row.position[field] : row[field];
  };
}

const signClass = (p: { value?: unknown }) => {
  const v = typeof p.value === 'string' ? p.value : '';
  return v.startsWith('-') ? 'num tick-down' : v === '' || /^0(\.0*)?$/.test(v) ? 'num' : 'num tick-up';
};

const quantity = (headerName: string, field: keyof PositionRow, width = 96, headerTooltip?: string): ColDef<PositionGridRow> => ({
  headerName,
  colId: field,
  width,
  type: 'rightAligned',
  valueGetter: valueOf(field),
  valueFormatter: (p: ValueFormatterParams<PositionGridRow, string | undefined>) => groupDecimal(p.value ?? undefined),
  comparator: compareDecimalStrings,
  cellClass: 'num',
  ...(headerTooltip !== undefined && { headerTooltip }),
});

const money = (headerName: string, field: keyof PositionRow, summed: boolean, width = 110, headerTooltip?: string): ColDef<PositionGridRow> => ({
  headerName,
  colId: field,
  width,
  type: 'rightAligned',
  valueGetter: valueOf(field, summed),
  valueFormatter: (p: ValueFormatterParams<PositionGridRow, string | undefined>) => cents(p.value ?? undefined),
  comparator: compareDecimalStrings,
  cellClass: signClass,
  ...(headerTooltip !== undefined && { headerTooltip }),
});

/** How long ago `at` was, shortly ("12s", "3m", "1h"); empty without a time. */
function age(at: string | undefined, now: number): string {
  if (at === undefined) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  return seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m` : `${Math.floor(seconds / 3600)}h`;
}

/** The positions grid's columns; `now` is the desk's clock (the mark's age). */
export function positionColumns(now: () => number): ColDef<PositionGridRow>[] {
  return [
    {
      headerName: 'Position',
      colId: 'label',
      width: 230,
      pinned: 'left',
      valueGetter: (p) => {
        const row = p.data;
        if (row === undefined) return '';
        if (row.kind === 'position') return `${row.position.symbol} · ${row.position.account}`;
        if (row.kind === 'total') return `Total (${row.count})`;
        return `${row.field === 'assetClass' ? (CLASS_NAMES[row.label as keyof typeof CLASS_NAMES] ?? row.label) : row.label} (${row.count})`;
      },
      cellRenderer: (p: { data?: PositionGridRow; value?: string }) => {
        const row = p.data;
        const span = document.createElement('span');
        span.style.paddingLeft = `${(row?.depth ?? 0) * 14}px`;
        if (row?.kind === 'group') {
          const twisty = document.createElement('span');
          twisty.className = 'position-twisty';
          twisty.textContent = row.expanded ? '▾ ' : '▸ ';
          span.append(twisty);
          span.title = `${GROUP_LABELS[row.field ?? 'fund']}: ${row.label}${row.partial ? ' (some positions have no mark or no rate: left out of the sums)' : ''}`;
        }
        span.append(document.createTextNode(p.value ?? ''));
        return span;
      },
      cellClass: (p) => (p.data?.kind === 'position' ? 'symbol' : 'position-group-label'),
    },
    { headerName: 'Fund', colId: 'fund', width: 110, valueGetter: valueOf('fund') },
    { headerName: 'Account', colId: 'account', width: 110, valueGetter: valueOf('account') },
    { headerName: 'Instrument', colId: 'instrumentId', width: 130, valueGetter: valueOf('instrumentId'), hide: true },
    { headerName: 'Class', colId: 'assetClass', width: 74, valueGetter: (p) => (position(p) ? CLASS_NAMES[position(p)!.assetClass] : undefined) },
    { headerName: 'Ccy', colId: 'currency', width: 56, valueGetter: currencyOf('currency'), headerTooltip: 'The position’s currency; on a group, its one currency (then it has subtotals in it)' },
    quantity('SOD qty', 'startQuantity', 100, 'Start of day: the imported file, or where the position stood at the last roll (the PM’s view)'),
    quantity('Bought', 'bought', 90, 'Bought today (surviving fills)'),
    quantity('Sold', 'sold', 90, 'Sold today (surviving fills)'),
    quantity('Traded', 'traded', 90, 'Net traded today (the trader’s view)'),
    quantity('Quantity', 'quantity', 110, 'Shares, contracts, face (bonds), base-currency units (FX)'),
    quantity('Avg cost', 'averageCost', 100, 'Average cost per unit (price terms: % of par for a bond)'),
    {
      ...quantity('Mark', 'mark', 96),
      tooltipValueGetter: (p) => {
        const row = position(p);
        return row?.markAt === undefined ? 'No mark: no quote yet' : `${row.markSource} at ${new Date(row.markAt).toLocaleTimeString()}${row.markStale === true ? ' (stale)' : ''}`;
      },
      cellClass: (p) => (position(p)?.markStale === true ? 'num quote-stale-cell' : 'num'),
    },
    { headerName: 'Src', colId: 'markSource', width: 56, valueGetter: valueOf('markSource'), headerTooltip: 'The mark: last trade, else mid, else the previous close' },
    { headerName: 'Age', colId: 'markAge', width: 56, valueGetter: (p) => (position(p) ? age(position(p)!.markAt, now()) : ''), headerTooltip: 'How old the quote of the mark is' },
    money('Realised', 'realised', true, 100, 'Realised P&L today, in the position’s currency (subtotals where a group is in one currency)'),
    money('Unrealised', 'unrealised', true, 100, 'At the mark, in the position’s currency'),
    money('P&L', 'pnl', true, 100, 'Realised + unrealised, in the position’s currency'),
    money('Exposure', 'exposure', true, 120, 'Signed: value × multiplier; face × price / 100; FX: the base-currency leg'),
    { headerName: 'Exp ccy', colId: 'exposureCurrency', width: 66, valueGetter: currencyOf('exposureCurrency') },
    money('P&L (base)', 'pnlBase', true, 116, 'In the fund’s base currency; subtotals are exact sums'),
    money('Realised (base)', 'realisedBase', true, 116),
    money('Exposure (base)', 'exposureBase', true, 130),
    money('Gross (base)', 'grossExposureBase', true, 130),
    {
      headerName: 'Base',
      colId: 'baseCurrency',
      width: 60,
      valueGetter: (p) => (p.data === undefined ? undefined : p.data.kind === 'position' ? p.data.position.baseCurrency : p.data.baseCurrency),
    },
    {
      ...quantity('FX rate', 'fxRate', 100, 'From the position’s currency to the fund’s base: 1 unit = this many of the base'),
      tooltipValueGetter: (p) => {
        const row = position(p);
        if (row === undefined) return undefined;
        return row.fxSource === undefined ? (row.noRate ?? '') : `${row.fxSource}${row.fxAt === undefined ? '' : ` at ${new Date(row.fxAt).toLocaleTimeString()}`}${row.fxStale === true ? ' (stale)' : ''}`;
      },
      cellClass: (p) => (position(p)?.fxStale === true ? 'num quote-stale-cell' : 'num'),
    },
    { headerName: 'FX age', colId: 'fxAge', width: 66, valueGetter: (p) => (position(p) ? age(position(p)!.fxAt, now()) : ''), headerTooltip: 'How old the oldest quote of the FX rate is' },
    {
      headerName: 'FX source',
      colId: 'fxSource',
      minWidth: 150,
      flex: 1,
      valueGetter: (p) => (position(p) ? (position(p)!.noRate ?? position(p)!.fxSource) : undefined),
      headerTooltip: 'The spot quotes of the rate: direct, 1/ (inverse) or crossed through USD (×); “no rate” when none is quoted',
      cellClass: (p) => (position(p)?.noRate !== undefined ? 'cell-stale' : ''),
    },
  ];
}
