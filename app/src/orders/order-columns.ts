import type { ColDef, ICellRendererComp, ICellRendererParams, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import type { OrderView } from '../../../shared/contract/views';
import { groupDecimal, isZeroDecimal } from '../format/decimal';
import { formatTime, orderStatusText, orderStrategyLabel, orderTypeLabel, sideLabel, timeInForceLabel } from '../format/labels';
import { FillBarCell, formatPercent, SideBadgeCell, StatusBadgeCell } from '../grid/cells';
import { decimalColumn } from '../grid/columns-common';
import { cancelOrder, openAmend } from '../store/actions';
import { deskStore } from '../store/desk-store';
import { amendRefusal, canCancel, isOpenOrder } from '../store/order-rules';
import { brokerCapabilities } from '../store/selectors';
import type { CurrencyTotals } from './order-totals';
import { currencyTotalsText, orderNotional, orderFilledNotional, orderValueCurrency, totalsLabel } from './order-totals';
import { CLASS_BADGES, CLASS_NAMES } from '../instruments/instrument-terms';
import { knownInstrument } from '../instruments/instrument-cache';
import { quoteBook } from '../quotes/quote-book';
import { formatDistance, limitDistance } from '../quotes/limit-distance';
import { compareDecimalStrings } from '../format/decimal';

/**
 * The orders blotter's columns. The default arrangement fits 1,366 px with what a trader watches most
 * beside the status (fill bar, Cum qty, Leaves, Avg px); the rest follow, and the column chooser
 * shows, hides, pins and orders them all. The pinned bottom row holds the totals (`isTotalsRow`).
 */
export const isTotalsRow = (p: { node?: { rowPinned?: string | null } | null }): boolean => p.node?.rowPinned === 'bottom';

/** The totals row's notionals per currency, for its tooltip. */
function totalsByCurrency(row: OrderView | undefined, which: 'notional' | 'filledNotional'): string | undefined {
  const byCurrency = (row as unknown as { byCurrency?: readonly CurrencyTotals[] } | undefined)?.byCurrency;
  return byCurrency === undefined || byCurrency.length === 0 ? undefined : `${which === 'notional' ? 'Notional' : 'Filled notional'} by currency: ${currencyTotalsText(byCurrency, which, groupDecimal)}`;
}

/**
 * Amend and Cancel on each row, enabled where the desk would accept the request. A plain ag-grid
 * component (no React): refreshed in place when the row's status or pending request changes.
 */
class OrderActionsCell implements ICellRendererComp<OrderView> {
  private readonly gui = document.createElement('div');
  private readonly amend = rowButton('✎', 'btn btn-row btn-icon');
  private readonly cancel = rowButton('✕', 'btn btn-row btn-icon btn-danger');
  private orderId: string | undefined;

  init(params: ICellRendererParams<OrderView>): void {
    this.gui.className = 'row-actions';
    this.gui.append(this.amend, this.cancel);
    this.amend.addEventListener('click', () => {
      if (this.orderId !== undefined) openAmend(this.orderId);
    });
    this.cancel.addEventListener('click', () => {
      if (this.orderId !== undefined) void cancelOrder(this.orderId);
    });
    this.render(isTotalsRow(params) ? undefined : params.data);
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  refresh(params: ICellRendererParams<OrderView>): boolean {
    this.render(isTotalsRow(params) ? undefined : params.data);
    return true;
  }

  private render(order: OrderView | undefined): void {
    this.gui.style.display = order === undefined ? 'none' : '';
    if (order === undefined) return;
    if (this.orderId !== order.orderId) {
      this.orderId = order.orderId;
      this.amend.setAttribute('aria-label', `Amend order ${order.orderId}`);
      this.amend.title = `Amend ${order.orderId} (A)`;
      this.cancel.setAttribute('aria-label', `Cancel order ${order.orderId}`);
      this.cancel.title = `Cancel ${order.orderId} (Delete)`;
    }
    const capabilities = brokerCapabilities(deskStore.getState(), order.broker);
    const refusal = amendRefusal(order, capabilities);
    const amendDisabled = refusal !== undefined;
    const cancelDisabled = !canCancel(order);
    if (this.amend.disabled !== amendDisabled) this.amend.disabled = amendDisabled;
    // The broker's refusal is said (a tooltip); the order's own state shows in its status.
    const title = capabilities?.cancelReplace === false ? (refusal ?? '') : '';
    if (this.amend.title !== title) this.amend.title = title;
    if (this.cancel.disabled !== cancelDisabled) this.cancel.disabled = cancelDisabled;
  }
}

function rowButton(text: string, className: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = text;
  return button;
}

/** Local time of day; with the date in front when it is not the same day as `today` (YYYY-MM-DD). */
export function formatOrderTime(iso: string | undefined, today: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return day === today || today === undefined ? formatTime(iso) : `${day} ${formatTime(iso)}`;
}

/** Percent filled (display only: the bar), undefined for a zero quantity. */
export function percentFilled(order: Pick<OrderView, 'quantity' | 'cumQty'>): number | undefined {
  const quantity = Number(order.quantity);
  if (!(quantity > 0)) return undefined;
  return (Number(order.cumQty) / quantity) * 100;
}

const text = (headerName: string, field: keyof OrderView & string, width: number, extra: Partial<ColDef<OrderView>> = {}): ColDef<OrderView> => ({
  headerName,
  field: field as ColDef<OrderView>['field'],
  width,
  filter: 'agTextColumnFilter',
  ...extra,
});

/** A decimal column filtered as a number (the filter compares numbers; the cells show the exact decimal). */
const decimal = (headerName: string, field: keyof OrderView & string, width = 84, extra: Partial<ColDef<OrderView>> = {}): ColDef<OrderView> => ({
  ...decimalColumn<OrderView>(headerName, field, width),
  filter: 'agNumberColumnFilter',
  filterValueGetter: (p: ValueGetterParams<OrderView>) => {
    const value = p.data?.[field];
    return typeof value === 'string' ? Number(value) : null;
  },
  ...extra,
});

/** The algo parent an order is a child of, as the desk last published it. */
const parentOf = (order: OrderView) => (order.parentId === undefined ? undefined : deskStore.getState().data.algoParents.get(order.parentId));

/** The columns the quote book feeds (refreshed by `useQuoteColumns`, not by the order's own updates). */
export const ORDER_QUOTE_COLUMNS = ['last', 'limitDistance'] as const;

const orderDistance = (order: OrderView) =>
  isOpenOrder(order) ? limitDistance(order.side, order.limitPrice, quoteBook.get(order.instrumentId)?.last, knownInstrument(order.instrumentId)?.tickSize) : undefined;

/**
 * Last price of the order's instrument, and how far its limit is from it (in percent of the last, signed:
 * positive, the market must move that far to reach the limit; zero or below, the limit is at or through
 * it). A stale quote shows greyed; a done order shows no distance.
 */
function quoteColumns(): ColDef<OrderView>[] {
  return [
    {
      headerName: 'Last',
      colId: 'last',
      width: 84,
      type: 'rightAligned',
      filter: 'agNumberColumnFilter',
      headerTooltip: "Last price of the order's instrument (live; greyed when stale)",
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? quoteBook.get(p.data.instrumentId)?.last : undefined),
      valueFormatter: (p: ValueFormatterParams<OrderView, string | undefined>) => groupDecimal(p.value ?? undefined),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => {
        const last = p.data ? quoteBook.get(p.data.instrumentId)?.last : undefined;
        return last === undefined ? null : Number(last);
      },
      comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
      cellClass: (p) => (p.data && !isTotalsRow(p) && quoteBook.get(p.data.instrumentId)?.stale ? 'num quote-stale-cell' : 'num'),
      tooltipValueGetter: (p) => {
        const quote = p.data && !isTotalsRow(p) ? quoteBook.get(p.data.instrumentId) : undefined;
        return quote === undefined ? undefined : `${quote.stale ? 'Stale: ' : ''}last ${groupDecimal(quote.last)} at ${formatTime(quote.updatedAt)} (${quote.source})`;
      },
    },
    {
      headerName: 'From last',
      colId: 'limitDistance',
      width: 84,
      type: 'rightAligned',
      filter: 'agNumberColumnFilter',
      headerTooltip: 'How far the limit is from the last price, in % of the last: positive, the market must move that far to reach it; 0 or below, at or through the market',
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? orderDistance(p.data)?.percent : undefined),
      valueFormatter: (p: ValueFormatterParams<OrderView, string | undefined>) => (p.data && !isTotalsRow(p) ? formatDistance(orderDistance(p.data)) : ''),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => {
        const d = p.data ? orderDistance(p.data) : undefined;
        return d === undefined ? null : Number(d.percent);
      },
      comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
      cellClass: (p) => (p.data && !isTotalsRow(p) && orderDistance(p.data)?.marketable ? 'num marketable' : 'num'),
      tooltipValueGetter: (p) => {
        const d = p.data && !isTotalsRow(p) ? orderDistance(p.data) : undefined;
        if (d === undefined) return undefined;
        const ticks = d.ticks === undefined ? '' : ` (${d.ticks} ticks)`;
        return d.marketable ? `At or through the last${ticks}` : `${formatDistance(d)} from the last${ticks}`;
      },
    },
  ];
}

/**
 * `today`: the desk's local day, for the Time column (an order of another day shows its date);
 * `filterRow`: each column's filter under its header.
 */
export function orderColumns(options: { readonly filterRow: boolean; readonly today: () => string | undefined }): ColDef<OrderView>[] {
  const columns: ColDef<OrderView>[] = [
    text('Order ID', 'orderId', 96, {
      pinned: 'left',
      cellClass: 'mono',
      valueFormatter: (p: ValueFormatterParams<OrderView, string>) => (isTotalsRow(p) ? totalsLabel(p.data) : (p.value ?? '')),
      tooltipValueGetter: (p) => (isTotalsRow(p) ? `Totals of the orders shown: ${totalsLabel(p.data)}` : undefined),
    }),
    {
      ...text('Time', 'createdAt', 80, { sort: 'desc', cellClass: 'mono' }),
      headerTooltip: 'Created (local time; the date too for another day)',
      valueFormatter: (p: ValueFormatterParams<OrderView, string>) => (isTotalsRow(p) ? '' : formatOrderTime(p.value ?? undefined, options.today())),
    },
    text('Symbol', 'symbol', 72, { cellClass: 'symbol' }),
    {
      ...text('Side', 'side', 76),
      cellRenderer: SideBadgeCell,
      valueFormatter: (p: ValueFormatterParams<OrderView, OrderView['side']>) => (p.value ? sideLabel(p.value) : ''),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => (p.data ? sideLabel(p.data.side) : ''),
    },
    decimal('Qty', 'quantity'),
    decimal('Limit', 'limitPrice', 80),
    {
      headerName: 'Status',
      colId: 'status',
      width: 116,
      filter: 'agTextColumnFilter',
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? orderStatusText(p.data) : ''),
      cellRenderer: StatusBadgeCell,
      tooltipValueGetter: (p) => (isTotalsRow(p) ? '' : p.data?.text ? `${p.value} — ${p.data.text}` : String(p.value ?? '')),
    },
    {
      headerName: 'Filled',
      colId: 'filled',
      width: 96,
      type: 'rightAligned',
      filter: 'agNumberColumnFilter',
      headerTooltip: 'Percent filled (Cum qty / Qty)',
      valueGetter: (p) => (p.data ? percentFilled(p.data) : undefined),
      valueFormatter: (p: ValueFormatterParams<OrderView, number | undefined>) => (p.value === undefined || p.value === null ? '' : `${formatPercent(p.value)}%`),
      cellRenderer: FillBarCell,
      comparator: (a: number | undefined, b: number | undefined) => (a ?? -1) - (b ?? -1),
    },
    decimal('Cum qty', 'cumQty'),
    decimal('Leaves', 'leavesQty'),
    {
      ...decimal('Avg px', 'avgPx'),
      // No fills yet: an average of 0 would read like a price.
      valueFormatter: (p: ValueFormatterParams<OrderView, string>) => (p.data && !isTotalsRow(p) && !isZeroDecimal(p.data.cumQty) ? groupDecimal(p.value ?? undefined) : ''),
    },
    ...quoteColumns(),
    {
      ...text('Class', 'assetClass', 60),
      headerTooltip: 'Asset class: equity, future, option, FX, bond',
      valueFormatter: (p: ValueFormatterParams<OrderView, OrderView['assetClass']>) => (p.value ? CLASS_BADGES[p.value] : ''),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => (p.data ? `${CLASS_BADGES[p.data.assetClass]} ${CLASS_NAMES[p.data.assetClass]}` : ''),
      cellClass: (p) => (p.value ? `class-text class-${String(p.value)}` : undefined),
    },
    {
      ...decimal('Notional', 'quantity', 108),
      colId: 'notional',
      field: undefined,
      headerTooltip: 'Qty × limit price × the multiplier (a bond: % of par), in the Ccy column; avg px for a market or stop order with fills',
      valueGetter: (p) => (p.data === undefined ? undefined : isTotalsRow(p) ? (p.data as unknown as { notional?: string }).notional : orderNotional(p.data)),
      tooltipValueGetter: (p) => (isTotalsRow(p) ? totalsByCurrency(p.data, 'notional') : undefined),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => (p.data ? Number(orderNotional(p.data) ?? Number.NaN) : null),
    },
    {
      ...decimal('Filled notional', 'cumQty', 116),
      colId: 'filledNotional',
      field: undefined,
      headerTooltip: 'Cum qty × avg px × the multiplier (a bond: % of par), in the Ccy column',
      valueGetter: (p) => (p.data === undefined ? undefined : isTotalsRow(p) ? (p.data as unknown as { filledNotional?: string }).filledNotional : orderFilledNotional(p.data)),
      tooltipValueGetter: (p) => (isTotalsRow(p) ? totalsByCurrency(p.data, 'filledNotional') : undefined),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => (p.data ? Number(orderFilledNotional(p.data)) : null),
    },
    {
      headerName: 'Ccy',
      colId: 'valueCurrency',
      width: 64,
      headerTooltip: 'The currency of the notionals (a price in pence is valued in pounds); totals add up per currency',
      valueGetter: (p) => (p.data === undefined ? undefined : isTotalsRow(p) ? (p.data as unknown as { currency?: string }).currency : orderValueCurrency(p.data)),
      tooltipValueGetter: (p) => (isTotalsRow(p) ? totalsByCurrency(p.data, 'notional') : undefined),
    },
    text('Account', 'account', 96),
    text('Broker', 'broker', 72),
    {
      headerName: 'Strategy',
      colId: 'strategy',
      width: 104,
      filter: 'agTextColumnFilter',
      headerTooltip: "The algo working the order: its parent's strategy (a child of an algo), or the broker's own algo it was routed to",
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? orderStrategyLabel(p.data, parentOf(p.data)?.strategy) : ''),
    },
    {
      ...text('Parent', 'parentId', 120, { cellClass: 'mono' }),
      headerTooltip: 'The algo parent this order is a child of',
      tooltipValueGetter: (p) => {
        const parent = p.data && !isTotalsRow(p) ? parentOf(p.data) : undefined;
        return parent === undefined ? undefined : `Child of ${parent.parentId}: ${parent.strategy.toUpperCase()} ${parent.side} ${parent.quantity} ${parent.instrumentId} (${parent.status})`;
      },
    },
    {
      ...text('Type', 'orderType', 76),
      valueFormatter: (p: ValueFormatterParams<OrderView, OrderView['orderType']>) => (p.value ? orderTypeLabel(p.value) : ''),
      filterValueGetter: (p: ValueGetterParams<OrderView>) => (p.data ? orderTypeLabel(p.data.orderType) : ''),
    },
    decimal('Stop', 'stopPrice', 80),
    {
      headerName: 'TIF',
      colId: 'timeInForce',
      width: 64,
      filter: 'agTextColumnFilter',
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? timeInForceLabel(p.data.timeInForce) + (p.data.expireDate ? ` ${p.data.expireDate}` : '') : ''),
    },
    text('ClOrdID', 'clOrdId', 120, { cellClass: 'mono' }),
    text('Text', 'text', 160, { minWidth: 120, flex: 1, tooltipField: 'text', cellClass: 'text-cell' }),
    text('Risk', 'risk', 150, { tooltipField: 'risk', headerTooltip: 'The pre-trade checks: the codes that refused the order, or the warnings overridden (by whom, why)', cellClass: 'text-cell' }),
    {
      headerName: 'Actions',
      colId: 'actions',
      width: 68,
      pinned: 'right',
      sortable: false,
      resizable: false,
      filter: false,
      // The value changes whenever the buttons' enabled state may, so the cell re-renders then.
      valueGetter: (p) => (p.data && !isTotalsRow(p) ? `${p.data.status}|${p.data.pending?.kind ?? ''}` : ''),
      cellRenderer: OrderActionsCell,
    },
  ];
  return columns.map((c) => (options.filterRow && c.filter !== false && c.filter !== undefined ? { ...c, floatingFilter: true } : c));
}
