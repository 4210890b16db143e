import { useEffect } from 'react';
import { ExecutionsBlotter, focusExecutionsGrid } from '../executions/ExecutionsBlotter';
import { OrderHistoryDialog } from '../history/OrderHistoryDialog';
import { AmendDialog } from '../orders/AmendDialog';
import { ConfirmCancelDialog } from '../orders/ConfirmCancelDialog';
import { OrderContextMenu } from '../orders/OrderContextMenu';
import { OrdersBlotter } from '../orders/OrdersBlotter';
import { SettleDialog } from '../orders/SettleDialog';
import { focusGrid, getOrdersGridApi } from '../orders/orders-grid-ref';
import { StatusBar } from '../status/StatusBar';
import { requestTicketFocus, setHelpOpen } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { selectSessions } from '../store/selectors';
import { SessionMonitorDialog } from '../sessions/SessionMonitorDialog';
import { openSessionMonitor } from '../sessions/session-monitor-store';
import { OrderTicket } from '../ticket/OrderTicket';
import { HelpOverlay } from './HelpOverlay';
import { globalShortcut } from './shortcuts';

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
}

function onGlobalKeyDown(event: KeyboardEvent): void {
  if (event.defaultPrevented) return;
  const action = globalShortcut(event, isTypingTarget(event.target));
  if (action === null) return;
  // A modal dialog owns the keyboard while it is open.
  if (document.querySelector('dialog[open]') !== null) return;
  event.preventDefault();
  switch (action) {
    case 'focusTicket':
      requestTicketFocus();
      return;
    case 'buyTicket':
      requestTicketFocus('buy');
      return;
    case 'sellTicket':
      requestTicketFocus('sell');
      return;
    case 'focusOrders':
      focusGrid(getOrdersGridApi(), document.querySelector<HTMLElement>('.orders-blotter .grid-host'));
      return;
    case 'focusExecutions':
      focusGrid(focusExecutionsGrid(), document.querySelector<HTMLElement>('.executions-blotter .grid-host'));
      return;
    case 'sessionMonitor':
      openSessionMonitor(undefined, selectSessions(deskStore.getState()).map((s) => s.broker));
      return;
    case 'help':
      setHelpOpen(true);
      return;
  }
}

const BANNER_TEXT = {
  connecting: 'Connecting to the desk',
  reconnecting: 'Connection to the desk lost',
  unavailable: 'Not connected to the desk',
} as const;

function ConnectionBanner() {
  const connection = useDesk((s) => s.connection);
  const loaded = useDesk((s) => s.data.loaded);
  if (connection.state === 'connected') return null;
  const detail = connection.detail ? `: ${connection.detail}` : '';
  const stale = loaded ? ' The blotters show the last known state.' : '';
  return (
    <div className={`banner banner-${connection.state}`} role="status">
      {BANNER_TEXT[connection.state]}
      {detail}.{stale}
    </div>
  );
}

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', onGlobalKeyDown);
    return () => window.removeEventListener('keydown', onGlobalKeyDown);
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">
          Meridian <span className="muted">Desk</span>
        </h1>
        <ConnectionBanner />
        <div className="toolbar-spacer" />
        <button type="button" className="btn btn-ghost" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts <kbd>?</kbd>
        </button>
      </header>
      <main className="app-main">
        <aside className="ticket-panel">
          <OrderTicket />
        </aside>
        <div className="blotters">
          <OrdersBlotter />
          <ExecutionsBlotter />
        </div>
      </main>
      <StatusBar />
      <OrderContextMenu />
      <AmendDialog />
      <SettleDialog />
      <ConfirmCancelDialog />
      <OrderHistoryDialog />
      <SessionMonitorDialog />
      <HelpOverlay />
    </div>
  );
}
