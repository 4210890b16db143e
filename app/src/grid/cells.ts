import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import type { OrderStatus, Side } from '../../../shared/domain/order-types';
import { orderStatusTone, sideLabel } from '../format/labels';

/** A coloured badge plus words: read at a glance, and without colour. A plain ag-grid component (no React). */
abstract class BadgeCell<T> implements ICellRendererComp<T> {
  private readonly badge = document.createElement('span');

  /** The badge's class and text for a row ('' for none). */
  protected abstract look(data: T | undefined, value: string | undefined): { className: string; text: string };

  init(params: ICellRendererParams<T, string>): void {
    this.render(params);
  }

  getGui(): HTMLElement {
    return this.badge;
  }

  refresh(params: ICellRendererParams<T, string>): boolean {
    this.render(params);
    return true;
  }

  private render(params: ICellRendererParams<T, string>): void {
    const { className, text } = this.look(params.data, params.value ?? undefined);
    // A change rewrites one span's class and text, only when they differ.
    if (this.badge.className !== className) this.badge.className = className;
    if (this.badge.textContent !== text) this.badge.textContent = text;
  }
}

/** The order status, in its tone's colour, with the status text (the cell's value). */
export class StatusBadgeCell extends BadgeCell<{ status?: OrderStatus }> {
  protected look(data: { status?: OrderStatus } | undefined, value: string | undefined) {
    const status = data?.status;
    return status === undefined ? { className: '', text: '' } : { className: `badge tone-${orderStatusTone(status)}`, text: value ?? '' };
  }
}

/** The side, green or red, with its word (Buy / Sell / Short sell). */
export class SideBadgeCell extends BadgeCell<{ side?: Side }> {
  protected look(data: { side?: Side } | undefined) {
    const side = data?.side;
    return side === undefined ? { className: '', text: '' } : { className: `badge side-badge side-badge-${side === 'buy' ? 'buy' : 'sell'}`, text: sideLabel(side) };
  }
}

/**
 * How much of an order is filled: a bar and its percentage (the value: a number 0–100, or undefined
 * when the quantity is zero). The bar's width is the only style written per refresh.
 */
export class FillBarCell implements ICellRendererComp {
  private readonly gui = document.createElement('div');
  private readonly bar = document.createElement('div');
  private readonly label = document.createElement('span');

  init(params: ICellRendererParams<unknown, number | undefined>): void {
    this.gui.className = 'fill';
    this.bar.className = 'fill-bar';
    this.label.className = 'fill-label';
    this.gui.append(this.bar, this.label);
    this.render(params.value ?? undefined);
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  refresh(params: ICellRendererParams<unknown, number | undefined>): boolean {
    this.render(params.value ?? undefined);
    return true;
  }

  private render(percent: number | undefined): void {
    const width = percent === undefined ? '0%' : `${Math.min(100, Math.max(0, percent))}%`;
    const text = percent === undefined ? '' : `${formatPercent(percent)}%`;
    if (this.bar.style.width !== width) this.bar.style.width = width;
    if (this.label.textContent !== text) this.label.textContent = text;
    const full = percent !== undefined && percent >= 100;
    if (this.gui.classList.contains('fill-full') !== full) this.gui.classList.toggle('fill-full', full);
  }
}

/** 0, 0.5, 33.3, 100: one decimal place below 100, none at the ends. */
export function formatPercent(percent: number): string {
  if (percent <= 0) return '0';
  if (percent >= 100) return '100';
  return percent < 99.95 ? percent.toFixed(1).replace(/\.0$/, '') : '99.9';
}
