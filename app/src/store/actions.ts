import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AmendRequest, OrderTicket, SettleOrderRequest } from '../../../shared/contract/ticket';
import type { AlertView } from '../../../shared/contract/views';
import type { ConnectionStatus } from '../transport/connection';
import { applyStreamMessage, appendAlerts } from './desk-data';
import type { ContextMenuState } from './desk-store';
import { deskStore } from './desk-store';
import { amendRefusal, canCancel, canSettle } from './order-rules';
import { brokerCapabilities } from './selectors';

/** Module-level actions: callable from components, shortcuts and tests alike, without hooks. */
let deskApi: DeskApi | null = null;

export function setDeskApi(api: DeskApi | null): void {
  deskApi = api;
}

function call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
  if (deskApi === null) return Promise.resolve(fail('INTERNAL', 'Not connected to the desk: nothing was sent'));
  return deskApi.call(command, params);
}

// ---- stream and connection ----

export function applyDeskMessage(message: DeskStreamMessage): void {
  deskStore.setState((s) => {
    const data = applyStreamMessage(s.data, message);
    if (data === s.data) return s;
    // Prune once a snapshot is complete (a split one: when its last part arrived).
    const snapshotCompleted = data.snapshotParts === 0 && (message.kind === 'snapshot' || s.data.snapshotParts > 0);
    if (!snapshotCompleted) return { data };
    // Drop selection and dialogs that point at orders the fresh snapshot no longer has.
    const selectedOrderIds = s.selectedOrderIds.filter((id) => data.orders.has(id));
    return {
      data,
      selectedOrderIds: selectedOrderIds.length === s.selectedOrderIds.length ? s.selectedOrderIds : selectedOrderIds,
      amendOrderId: s.amendOrderId !== null && data.orders.has(s.amendOrderId) ? s.amendOrderId : null,
    };
  });
}

export function setConnectionStatus(connection: ConnectionStatus): void {
  deskStore.setState({ connection });
}

let localAlertSeq = 0;

/** A notice from the renderer itself (a refused command, a copy to the clipboard), shown with the desk's alerts. */
export function pushLocalAlert(level: AlertView['level'], message: string, orderId?: string): void {
  const alert: AlertView = { id: `local-${++localAlertSeq}`, level, message, at: new Date().toISOString(), ...(orderId ? { orderId } : {}) };
  deskStore.setState((s) => ({ data: { ...s.data, alerts: appendAlerts(s.data.alerts, [alert]) } }));
}

// ---- selection and UI ----

export function setSelectedOrderIds(ids: readonly string[]): void {
  const current = deskStore.getState().selectedOrderIds;
  if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
  deskStore.setState({ selectedOrderIds: ids });
}

export function openAmend(orderId: string): void {
  const state = deskStore.getState();
  const order = state.data.orders.get(orderId);
  if (order === undefined) return;
  const refusal = amendRefusal(order, brokerCapabilities(state, order.broker));
  if (refusal !== undefined) {
    pushLocalAlert('warning', `Order ${orderId} cannot be amended: ${refusal}`, orderId);
    return;
  }
  deskStore.setState({ amendOrderId: orderId, contextMenu: null });
}

export function openSettle(orderId: string): void {
  const order = deskStore.getState().data.orders.get(orderId);
  if (order === undefined || !canSettle(order)) return;
  deskStore.setState({ settleOrderId: orderId, contextMenu: null });
}

export function closeSettle(): void {
  deskStore.setState({ settleOrderId: null });
}

/** Marks an order in doubt settled (after checking with the broker); the desk journals who, when and why. */
export async function settleOrder(request: SettleOrderRequest): Promise<Result<CommandResults['settleOrder']>> {
  const result = await call('settleOrder', request);
  if (result.ok && deskStore.getState().settleOrderId === request.orderId) closeSettle();
  return result;
}

/** Acknowledges the desk's alerts (journaled with who and when: every window sees it); the renderer's own notices are simply dropped. */
export async function acknowledgeAlerts(alertIds: readonly string[]): Promise<void> {
  const local = new Set(alertIds.filter((id) => id.startsWith('local-')));
  if (local.size > 0) deskStore.setState((s) => ({ data: { ...s.data, alerts: s.data.alerts.filter((a) => !local.has(a.id)) } }));
  const desk = alertIds.filter((id) => !local.has(id));
  if (desk.length === 0) return;
  const result = await call('acknowledgeAlerts', { alertIds: desk.slice(0, 1_000) });
  if (!result.ok) pushLocalAlert('error', `Acknowledging ${desk.length} alert(s) failed: ${result.error.message}`);
}

export function closeAmend(): void {
  deskStore.setState({ amendOrderId: null });
}

export function setHelpOpen(helpOpen: boolean): void {
  deskStore.setState({ helpOpen });
}

export function openContextMenu(menu: ContextMenuState): void {
  deskStore.setState({ contextMenu: menu });
}

export function closeContextMenu(): void {
  deskStore.setState({ contextMenu: null });
}

export function requestTicketFocus(side?: 'buy' | 'sell'): void {
  deskStore.setState((s) => ({ ticketFocusRequest: { seq: s.ticketFocusRequest.seq + 1, ...(side ? { side } : {}) } }));
}

// ---- commands ----

export function submitOrder(ticket: OrderTicket): Promise<Result<CommandResults['submitOrder']>> {
  return call('submitOrder', ticket);
}

export async function sendAmend(request: AmendRequest): Promise<Result<CommandResults['amendOrder']>> {
  const result = await call('amendOrder', request);
  if (result.ok) closeAmendIf(request.orderId);
  return result;
}

function closeAmendIf(orderId: string): void {
  if (deskStore.getState().amendOrderId === orderId) closeAmend();
}

export async function cancelOrder(orderId: string): Promise<void> {
  closeContextMenu();
  const order = deskStore.getState().data.orders.get(orderId);
  if (order !== undefined && !canCancel(order)) {
    pushLocalAlert('warning', `Order ${orderId} cannot be cancelled now (${order.status})`, orderId);
    return;
  }
  const result = await call('cancelOrder', { orderId });
  if (!result.ok) pushLocalAlert('error', `Cancel ${orderId} refused: ${result.error.message}`, orderId);
}

/** Cancels the cancelable ones among `orderIds`; more than one needs a confirmation first. */
export function requestCancelOrders(orderIds: readonly string[]): void {
  closeContextMenu();
  const orders = deskStore.getState().data.orders;
  const cancelable = orderIds.filter((id) => {
    const order = orders.get(id);
    return order !== undefined && canCancel(order);
  });
  if (cancelable.length === 0) {
    pushLocalAlert('info', 'No cancelable order selected');
    return;
  }
  if (cancelable.length === 1) {
    void cancelOrder(cancelable[0]!);
    return;
  }
  deskStore.setState({ confirmCancelIds: cancelable });
}

export function dismissCancelConfirmation(): void {
  deskStore.setState({ confirmCancelIds: null });
}

export async function confirmCancelOrders(): Promise<void> {
  const orderIds = deskStore.getState().confirmCancelIds;
  deskStore.setState({ confirmCancelIds: null });
  if (orderIds === null || orderIds.length === 0) return;
  const result = await call('cancelOrders', { orderIds: [...orderIds] });
  if (!result.ok) {
    pushLocalAlert('error', `Cancel of ${orderIds.length} orders refused: ${result.error.message}`);
    return;
  }
  const refused = result.value.results.filter((r) => !r.result.ok);
  if (refused.length > 0) {
    const first = refused[0]!;
    const reason = first.result.ok ? '' : first.result.error.message;
    pushLocalAlert('error', `${refused.length} of ${orderIds.length} cancels refused (${first.orderId}: ${reason})`, first.orderId);
  }
}

export async function copyClOrdId(orderId: string): Promise<void> {
  closeContextMenu();
  const order = deskStore.getState().data.orders.get(orderId);
  if (order === undefined) return;
  try {
    await navigator.clipboard.writeText(order.clOrdId);
    pushLocalAlert('info', `Copied ClOrdID ${order.clOrdId}`, orderId);
  } catch {
    pushLocalAlert('warning', `Could not copy to the clipboard: ClOrdID is ${order.clOrdId}`, orderId);
  }
}
