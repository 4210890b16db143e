import type { CustomCellRendererProps } from 'ag-grid-react';
import type { OrderStatus } from '../../../shared/domain/order-types';
import { orderStatusTone } from '../format/labels';

/** A coloured badge plus words, so status reads at a glance and without colour. */
export function StatusBadgeCell(props: CustomCellRendererProps<{ status: OrderStatus }, string>) {
  const status = props.data?.status;
  if (status === undefined) return null;
  return <span className={`badge tone-${orderStatusTone(status)}`}>{props.value}</span>;
}
