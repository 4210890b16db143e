/** Every shortcut, declared once: the key handlers and the help overlay both read this. */
export interface KeyLike {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

export type GlobalShortcut = 'focusTicket' | 'buyTicket' | 'sellTicket' | 'focusOrders' | 'focusExecutions' | 'focusWatch' | 'sessionMonitor' | 'help' | 'quickFilter' | 'layouts' | 'killSwitch' | 'riskLimits';
export type OrderShortcut =
  | 'amend'
  | 'cancel'
  | 'cancelSelected'
  | 'contextMenu'
  | 'history'
  | 'reticket'
  | 'reverse'
  | 'copyRows'
  | 'exportCsv'
  | 'columns'
  | { readonly view: number };
/** On a focused row of either blotter. */
export type BlotterShortcut = 'exportCsv' | 'columns';

const noModifiers = (e: KeyLike) => !e.ctrlKey && !e.altKey && !e.metaKey;

/** Shortcuts that work anywhere. `?` is ignored while typing in a field, so it can be typed. */
export function globalShortcut(e: KeyLike, typingInField: boolean): GlobalShortcut | null {
  if (!noModifiers(e)) return null;
  if (e.key === 'F2' && !e.shiftKey) return 'focusTicket';
  if (e.key === 'F8' && !e.shiftKey) return 'buyTicket';
  if (e.key === 'F9' && !e.shiftKey) return 'sellTicket';
  if (e.key === 'F3') return e.shiftKey ? 'focusExecutions' : 'focusOrders';
  if (e.key === '?' && !typingInField) return 'help';
  if ((e.key === 's' || e.key === 'S') && !e.shiftKey && !typingInField) return 'sessionMonitor';
  if ((e.key === 'l' || e.key === 'L') && !e.shiftKey && !typingInField) return 'layouts';
  if ((e.key === 'w' || e.key === 'W') && !e.shiftKey && !typingInField) return 'focusWatch';
  if (e.key === '/' && !typingInField) return 'quickFilter';
  if (e.key === 'K' && e.shiftKey && !typingInField) return 'killSwitch';
  if ((e.key === 'k' || e.key === 'K') && !e.shiftKey && !typingInField) return 'riskLimits';
  return null;
}

/** Shortcuts on the focused row of any blotter. */
export function blotterShortcut(e: KeyLike): BlotterShortcut | null {
  if (!noModifiers(e) || e.shiftKey) return null;
  if (e.key === 'e' || e.key === 'E') return 'exportCsv';
  if (e.key === 'c' || e.key === 'C') return 'columns';
  return null;
}

/** Shortcuts on the focused row of the orders blotter. */
export function orderShortcut(e: KeyLike): OrderShortcut | null {
  if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey && noModifiers(e))) return 'contextMenu';
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'c' || e.key === 'C')) return 'copyRows';
  if (!noModifiers(e)) return null;
  if (e.key === 'Delete') return e.shiftKey ? 'cancelSelected' : 'cancel';
  if (e.key === 'R' || (e.key === 'r' && e.shiftKey)) return 'reverse';
  if (e.shiftKey) return null;
  if (e.key === 'F4' || e.key === 'a' || e.key === 'A') return 'amend';
  if (e.key === 'Enter' || e.key === 'h' || e.key === 'H') return 'history';
  if (e.key === 'r') return 'reticket';
  if (/^[1-5]$/.test(e.key)) return { view: Number(e.key) - 1 };
  return blotterShortcut(e);
}

export const SHORTCUT_HELP: ReadonlyArray<{ readonly keys: string; readonly action: string; readonly where: string }> = [
  { keys: 'F2', action: 'Focus the order ticket (Instrument)', where: 'Anywhere' },
  { keys: 'F8 / F9', action: 'New buy / new sell in the ticket', where: 'Anywhere' },
  { keys: 'Enter', action: 'Submit the order (or send the amend)', where: 'Ticket, amend dialog' },
  { keys: '↓ ↑, Enter or Tab, Escape', action: 'Move through the matching instruments, pick one (Enter takes the best match), close the list', where: 'Instrument (ticket, market watch)' },
  { keys: 'F3', action: 'Focus the orders blotter', where: 'Anywhere' },
  { keys: 'Shift+F3', action: 'Focus the executions blotter', where: 'Anywhere' },
  { keys: '↑ ↓ Page Up/Down', action: 'Move between orders', where: 'Orders blotter' },
  { keys: 'Space', action: 'Select / deselect the focused order (Shift+↑↓ extends)', where: 'Orders blotter' },
  { keys: 'Enter or H', action: 'Open the focused order’s history (or double-click the row)', where: 'Orders blotter' },
  { keys: 'A or F4', action: 'Amend the focused order', where: 'Orders blotter' },
  { keys: 'Delete', action: 'Cancel the focused order', where: 'Orders blotter' },
  { keys: 'Shift+Delete', action: 'Cancel all selected orders (asks first if more than one)', where: 'Orders blotter' },
  { keys: 'Shift+F10 or Menu', action: 'Open the order’s context menu', where: 'Orders blotter' },
  { keys: 'R', action: 'Re-ticket: the focused order into the ticket (same instrument, side, quantity, prices)', where: 'Orders blotter' },
  { keys: 'Shift+R', action: 'Reverse: the opposite side for what the order filled, into the ticket', where: 'Orders blotter' },
  { keys: 'Ctrl+C', action: 'Copy the selected orders (or the focused one) as text', where: 'Orders blotter' },
  { keys: '1 – 5', action: 'View: Working, Done, All, Rejected, Needs attention', where: 'Orders blotter' },
  { keys: '/', action: 'Focus the quick filter of the orders blotter', where: 'Anywhere but a text field' },
  { keys: 'E', action: 'Export the blotter as shown to a CSV file', where: 'Orders or executions blotter' },
  { keys: 'C', action: 'Choose, pin and order the blotter’s columns', where: 'Orders or executions blotter' },
  { keys: 'W', action: 'Focus the market watch', where: 'Anywhere but a text field' },
  { keys: 'Enter', action: 'The instrument into the ticket (on the bid: sell at the bid; on the ask: buy at the ask; or double-click)', where: 'Market watch' },
  { keys: 'Delete', action: 'Remove the instrument from the market watch', where: 'Market watch' },
  { keys: 'Alt+↑ / Alt+↓', action: 'Move the instrument up / down the market watch', where: 'Market watch' },
  { keys: 'L', action: 'Layouts: save, apply, export, import, reset', where: 'Anywhere but a text field' },
  { keys: 'Shift+K', action: 'Kill switch: cancel working orders (all, a broker, an account) and halt or reduce-only trading (asks first)', where: 'Anywhere but a text field' },
  { keys: 'K', action: 'Risk limits and usage (and resume trading)', where: 'Anywhere but a text field' },
  { keys: 'S', action: 'Open the session monitor (or click a session in the status bar)', where: 'Anywhere but a text field' },
  { keys: 'Escape', action: 'Close a dialog or menu', where: 'Dialogs, menus' },
  { keys: '?', action: 'Show this help', where: 'Anywhere but a text field' },
];
