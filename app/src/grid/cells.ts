import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import type { OrderStatus } from '../../../shared/domain/order-types';
import { orderStatusTone } from '../format/labels';

/**
 * A coloured badge plus words, so status reads at a glance and without colour. A plain ag-grid
 * component (no React): a status change rewrites one span's class and text.
 */
export class StatusBadgeCell implements ICellRendererComp<{ status: OrderStatus }> {
  private readonly badge = document.createElement('span');

  init(params: ICellRendererParams<{ status: OrderStatus }, string>): void {
    this.render(params);
  }

  getGui(): HTMLElement {
    return this.badge;
  }

  refresh(params: ICellRendererParams<{ status: OrderStatus }, string>): boolean {
    this.render(params);
    return true;
  }

  private render(params: ICellRendererParams<{ status: OrderStatus }, string>): void {
    const status = params.data?.status;
    const className = status === undefined ? '' : `badge tone-${orderStatusTone(status)}`;
    const text = status === undefined ? '' : (params.value ?? '');
    if (this.badge.className !== className) this.badge.className = className;
    if (this.badge.textContent !== text) this.badge.textContent = text;
  }
}
