import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AmendRequest, OrderTicket, SettleOrderRequest } from '../../../shared/contract/ticket';
import type { AlertView, OrderView } from '../../../shared/contract/views';
import type { ConnectionStatus } from '../transport/connection';
import { applyStreamMessageTracked, appendAlerts } from './desk-data';
import type { OrderChange } from './order-changes';
import { publishOrderChange } from './order-changes';
import type { ContextMenuState, TicketInstrumentPick, TicketPrefill, WorkspaceDialog } from './desk-store';
import { deskStore, reactNotifier } from './desk-store';
import { amendRefusal, canCancel, canSettle, reticketOf, reverseOf } from './order-rules';
import { brokerCapabilities } from './selectors';
import { quoteBook } from '../quotes/quote-book';
import { applyQuoteMessage } from '../quotes/quotes-stream';
import { positionBook } from '../positions/position-book';
import { applyFeedSessionMessage } from '../quotes/feed-sessions';
import { quoteSubscriptions } from '../quotes/use-quote';

/** Module-level actions: callable from components, shortcuts and tests alike, without hooks. */
let deskApi: DeskApi | null = null;

/** The transport (IPC or WebSocket), set once at start-up: every feature's actions call through it. */
export function setDeskApi(api: DeskApi | null): void {
  deskApi = api;
}

/** Calls the desk through the one transport; without one, answers that nothing was sent. */
export function callDesk<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
  if (deskApi === null) return Promise.resolve(fail('INTERNAL', 'Not connected to the desk: nothing was sent'));
  return deskApi.call(command, params);
}

// ---- stream and connection ----

export function applyDeskMessage(message: DeskStreamMessage): void {
  // Quotes live in their own book (thousands a second); a snapshot means a new connection: subscribe again.
  if (applyQuoteMessage(quoteBook, message)) {
    if (message.kind === 'quotes') return;
    quoteSubscriptions.resendAll();
  }
  applyFeedSessionMessage(message);
  if (positionBook.apply(message) && message.kind === 'positions') return;
  let orders: OrderChange | null = null;
  const before = deskStore.getState().data.orders;
  reactNotifier.fromStream(() => deskStore.setState((s) => {
    const applied = applyStreamMessageTracked(s.data, message);
    orders = applied.orders;
    const data = applied.data;
    if (data === s.data) return s;
    const deskClock = message.kind === 'snapshot' && message.now !== undefined ? { deskClock: { deskNow: message.now, localAt: Date.now() } } : {};
    // Prune once a snapshot is complete (a split one: when its last part arrived).
    const snapshotCompleted = data.snapshotParts === 0 && (message.kind === 'snapshot' || s.data.snapshotParts > 0);
    if (!snapshotCompleted) return { data, ...deskClock };
    // Drop selection and dialogs that point at orders the fresh snapshot no longer has.
    const selectedOrderIds = s.selectedOrderIds.filter((id) => data.orders.has(id));
    return {
      data,
      ...deskClock,
      selectedOrderIds: selectedOrderIds.length === s.selectedOrderIds.length ? s.selectedOrderIds : selectedOrderIds,
      amendOrderId: s.amendOrderId !== null && data.orders.has(s.amendOrderId) ? s.amendOrderId : null,
    };
  }));
  if (orders !== null) publishOrderChange(orders, before);
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
  const result = await callDesk('settleOrder', request);
  if (result.ok && deskStore.getState().settleOrderId === request.orderId) closeSettle();
  return result;
}

/** Acknowledges the desk's alerts (journaled with who and when: every window sees it); the renderer's own notices are simply dropped. */
export async function acknowledgeAlerts(alertIds: readonly string[]): Promise<void> {
  const local = new Set(alertIds.filter((id) => id.startsWith('local-')));
  if (local.size > 0) deskStore.setState((s) => ({ data: { ...s.data, alerts: s.data.alerts.filter((a) => !local.has(a.id)) } }));
  const desk = alertIds.filter((id) => !local.has(id));
  if (desk.length === 0) return;
  const result = await callDesk('acknowledgeAlerts', { alertIds: desk.slice(0, 1_000) });
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

export function requestTicketFocus(side?: 'buy' | 'sell', prefill?: TicketPrefill): void {
  deskStore.setState((s) => ({ ticketFocusRequest: { seq: s.ticketFocusRequest.seq + 1, ...(side ? { side } : {}), ...(prefill ? { prefill } : {}) } }));
  // A window without the ticket panel (a popped-out blotter) shows the ticket in a dialog.
  const role = deskStore.getState().windowRole;
  if (role.kind === 'popout' && role.panel !== 'ticket') openDialog({ kind: 'ticket' });
}

/** An instrument into the ticket (the market watch): side and limit when a bid or ask was chosen; quantity, account and broker kept. */
export function ticketForInstrument(instrument: TicketInstrumentPick, side?: 'buy' | 'sell'): void {
  deskStore.setState((s) => ({ ticketFocusRequest: { seq: s.ticketFocusRequest.seq + 1, ...(side ? { side } : {}), instrument } }));
  const role = deskStore.getState().windowRole;
  if (role.kind === 'popout' && role.panel !== 'ticket') openDialog({ kind: 'ticket' });
}

/** Re-ticket (R): the order's instrument, side, quantity and prices in the ticket, to review and send. */
export function reticket(order: OrderView): void {
  closeContextMenu();
  requestTicketFocus(undefined, reticketOf(order));
}

/** Reverse (Shift+R): the opposite side for what the order filled (or its quantity), to close it out. */
export function reverse(order: OrderView): void {
  closeContextMenu();
  requestTicketFocus(undefined, reverseOf(order));
}

export function openDialog(dialog: WorkspaceDialog): void {
  deskStore.setState({ dialog, contextMenu: null });
}

export function closeDialog(): void {
  deskStore.setState({ dialog: null });
}

// ---- commands ----

export function submitOrder(ticket: OrderTicket): Promise<Result<CommandResults['submitOrder']>> {
  return callDesk('submitOrder', ticket);
}

export async function sendAmend(request: AmendRequest): Promise<Result<CommandResults['amendOrder']>> {
  const result = await callDesk('amendOrder', request);
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
  const result = await callDesk('cancelOrder', { orderId });
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
  const result = await callDesk('cancelOrders', { orderIds: [...orderIds] });
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
  const state = deskStore.getState();
  const order = state.data.orders.get(orderId) ?? state.ordersBlotter.results.rows.find((o) => o.orderId === orderId);
  if (order === undefined) return;
  try {
    await navigator.clipboard.writeText(order.clOrdId);
    pushLocalAlert('info', `Copied ClOrdID ${order.clOrdId}`, orderId);
  } catch {
    pushLocalAlert('warning', `Could not copy to the clipboard: ClOrdID is ${order.clOrdId}`, orderId);
  }
}
