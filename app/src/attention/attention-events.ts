import type { AlertView, OrderView } from '../../../shared/contract/views';
import type { AttentionEvent } from '../../../shared/contract/workspace';
import { compareDecimalStrings, groupDecimal } from '../format/decimal';
import { sideLabel } from '../format/labels';

/** Something a trader may want to hear or see at once: what happened, to which order, in words. */
export interface AttentionNotice {
  readonly type: AttentionEvent;
  readonly title: string;
  readonly body: string;
  readonly orderId?: string;
}

/**
 * What a new version of an order says happened, if it is one of the attention events: a fill (cum qty
 * went up), a reject, or a cancel the desk did not ask for (the broker's own: unsolicited, expired
 * by the broker). A first version (no `before`) only counts when it is already rejected.
 */
export function orderNotices(before: OrderView | undefined, after: OrderView): AttentionNotice[] {
  const notices: AttentionNotice[] = [];
  const what = `${sideLabel(after.side)} ${groupDecimal(after.quantity)} ${after.symbol}`;
  if (before !== undefined && compareDecimalStrings(after.cumQty, before.cumQty) > 0) {
    const done = after.status === 'filled';
    notices.push({
      type: 'fill',
      title: done ? `Filled: ${what}` : `Fill: ${what}`,
      body: `${after.orderId}: ${groupDecimal(after.cumQty)} of ${groupDecimal(after.quantity)} @ avg ${groupDecimal(after.avgPx)}`,
      orderId: after.orderId,
    });
  }
  if (after.status === 'rejected' && before?.status !== 'rejected') {
    notices.push({ type: 'reject', title: `Rejected: ${what}`, body: `${after.orderId}: ${after.text ?? 'no reason given'}`, orderId: after.orderId });
  }
  const askedToCancel = before !== undefined && (before.status === 'pendingCancel' || before.pending?.kind === 'cancel');
  if (after.status === 'canceled' && before !== undefined && before.status !== 'canceled' && !askedToCancel) {
    notices.push({ type: 'cancel', title: `Canceled by the broker: ${what}`, body: `${after.orderId}: ${after.text ?? 'no reason given'}`, orderId: after.orderId });
  }
  return notices;
}

/** A warning or error alert from the desk (not the renderer's own notices). */
export function alertNotice(alert: AlertView): AttentionNotice | undefined {
  if (alert.level === 'info' || alert.id.startsWith('local-')) return undefined;
  return { type: 'alert', title: alert.level === 'error' ? 'Desk error' : 'Desk warning', body: alert.message, ...(alert.orderId !== undefined && { orderId: alert.orderId }) };
}
