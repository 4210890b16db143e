import { useEffect, useRef, useState } from 'react';
import { AlgosDialog, useAlgoHistoryFeed } from '../algos/AlgosDialog';
import { AttentionDialog } from '../attention/AttentionDialog';
import { ExecutionsBlotter, focusExecutionsGrid } from '../executions/ExecutionsBlotter';
import { OrderHistoryDialog } from '../history/OrderHistoryDialog';
import { AmendDialog } from '../orders/AmendDialog';
import { ConfirmCancelDialog } from '../orders/ConfirmCancelDialog';
import { OrderContextMenu } from '../orders/OrderContextMenu';
import { MarketWatch, marketWatchApi } from '../marketwatch/MarketWatch';
import { OrdersBlotter } from '../orders/OrdersBlotter';
import { SettleDialog } from '../orders/SettleDialog';
import { focusGrid, getOrdersGridApi } from '../orders/orders-grid-ref';
import { StatusBar } from '../status/StatusBar';
import { openDialog, requestTicketFocus, setHelpOpen } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { selectSessions } from '../store/selectors';
import { SessionMonitorDialog } from '../sessions/SessionMonitorDialog';
import { openSessionMonitor } from '../sessions/session-monitor-store';
import { OrderTicket } from '../ticket/OrderTicket';
import { TicketDialog } from '../ticket/TicketDialog';
import { ColumnsDialog } from '../workspace/ColumnsDialog';
import { LayoutsDialog } from '../workspace/LayoutsDialog';
import { setPanels, useWorkspace } from '../workspace/workspace-store';
import { HelpOverlay } from './HelpOverlay';
import { KillSwitchDialog } from '../risk/KillSwitchDialog';
import { RiskDialog } from '../risk/RiskDialog';
import { TradingStateBanner } from '../risk/TradingStateBanner';
import { ReopenWindowsBanner } from './ReopenWindowsBanner';
import { globalShortcut } from './shortcuts';
import { Splitter } from './Splitter';
import { PANEL_TITLES } from './window-role';
import { PositionsView } from '../positions/PositionsView';
import type { MainTab } from './main-tab';
import { setMainTab, useMainTab } from './main-tab';

/** The main window's two screens (the design's): trading, and the multi-asset positions. */
function MainTabs() {
  const tab = useMainTab();
  const button = (value: MainTab, label: string) => (
    <button type="button" role="tab" className="btn btn-ghost" aria-selected={tab === value} onClick={() => setMainTab(value)}>
      {label}
    </button>
  );
  return (
    <div className="main-tabs" role="tablist" aria-label="Screens">
      {button('trading', 'Trading')}
      {button('positions', 'Positions')}
    </div>
  );
}

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
    case 'focusWatch':
      focusGrid(marketWatchApi(), document.querySelector<HTMLElement>('.market-watch .grid-host'));
      return;
    case 'sessionMonitor':
      openSessionMonitor(undefined, selectSessions(deskStore.getState()).map((s) => s.broker));
      return;
    case 'help':
      setHelpOpen(true);
      return;
    case 'quickFilter':
      document.querySelector<HTMLInputElement>('.orders-blotter .quick-filter')?.focus();
      return;
    case 'layouts':
      openDialog({ kind: 'layouts' });
      return;
    case 'killSwitch':
      openDialog({ kind: 'killSwitch' });
      return;
    case 'riskLimits':
      openDialog({ kind: 'risk' });
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

function WorkspaceNotice() {
  const error = useWorkspace((w) => w.error);
  if (error === null) return null;
  return (
    <span className="banner banner-reconnecting" role="status">
      {error}
    </span>
  );
}

function Header({ title, main }: { title?: string; main: boolean }) {
  const [algosOpen, setAlgosOpen] = useState(false);
  useAlgoHistoryFeed();
  return (
    <header className="app-header">
      <h1 className="app-title">
        Meridian <span className="muted">Desk</span>
        {title !== undefined && <span className="app-subtitle"> · {title}</span>}
      </h1>
      <ConnectionBanner />
      <WorkspaceNotice />
      <TradingStateBanner />
      {main && <ReopenWindowsBanner />}
      {main && <MainTabs />}
      <div className="toolbar-spacer" />
      {main && (
        <button type="button" className="btn btn-ghost" onClick={() => setAlgosOpen(true)} title="Start, watch, pause, amend and cancel algo orders">
          Algos
        </button>
      )}
      {algosOpen && <AlgosDialog onClose={() => setAlgosOpen(false)} />}
      <button type="button" className="btn btn-ghost" onClick={() => openDialog({ kind: 'risk' })} title="Risk limits and their usage (K)">
        Risk limits
      </button>
      <button type="button" className="btn btn-danger" onClick={() => openDialog({ kind: 'killSwitch' })} title="Cancel working orders and halt trading (Shift+K)">
        Kill switch
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => openDialog({ kind: 'layouts' })} title="Save, apply, export, import or reset layouts (L)">
        Layouts
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => openDialog({ kind: 'attention' })} title="Sounds and desktop notifications">
        Sounds &amp; notifications
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => setHelpOpen(true)}>
        Keyboard shortcuts <kbd>?</kbd>
      </button>
    </header>
  );
}

function Dialogs() {
  return (
    <>
      <OrderContextMenu />
      <AmendDialog />
      <SettleDialog />
      <ConfirmCancelDialog />
      <OrderHistoryDialog />
      <SessionMonitorDialog />
      <HelpOverlay />
      <ColumnsDialog />
      <LayoutsDialog />
      <AttentionDialog />
      <TicketDialog />
      <KillSwitchDialog />
      <RiskDialog />
    </>
  );
}

const DEFAULT_WATCH_HEIGHT = 200;

/** The main window: ticket; the market watch over orders over executions; the splitters saved with the layout. */
function MainArea() {
  const panels = useWorkspace((w) => w.doc.current.panels);
  const tab = useMainTab();
  const [dragging, setDragging] = useState<typeof panels | null>(null);
  const shown = dragging ?? panels;
  const watchHeight = shown.watchHeight ?? DEFAULT_WATCH_HEIGHT;
  const blottersRef = useRef<HTMLDivElement>(null);
  const rightRef = useRef<HTMLDivElement>(null);
  const commit = (next: Partial<typeof panels>) => {
    setDragging(null);
    setPanels({ ...panels, ...next });
  };
  return (
    <main className="app-main" style={{ gridTemplateColumns: `${shown.ticketWidth}px 6px minmax(0, 1fr)` }}>
      <aside className="ticket-panel" aria-label="Order ticket">
        <OrderTicket />
      </aside>
      <Splitter
        label="Ticket width"
        orientation="vertical"
        value={shown.ticketWidth}
        min={220}
        max={640}
        step={16}
        format={(v) => `${v} pixels`}
        valueAt={(x) => Math.round(x)}
        onMove={(ticketWidth) => setDragging({ ...shown, ticketWidth })}
        onCommit={(ticketWidth) => commit({ ticketWidth })}
      />
      {tab === 'positions' ? (
        <div className="main-right">
          <PositionsView />
        </div>
      ) : (
      <div className="main-right" ref={rightRef} style={{ gridTemplateRows: `${watchHeight}px 6px minmax(0, 1fr)` }}>
        <MarketWatch />
        <Splitter
          label="Market watch height"
          orientation="horizontal"
          value={watchHeight}
          min={60}
          max={1200}
          step={20}
          format={(v) => `${v} pixels`}
          valueAt={(y) => {
            const box = rightRef.current?.getBoundingClientRect();
            return box === undefined ? watchHeight : Math.max(60, Math.min(1200, Math.round(y - box.top)));
          }}
          onMove={(h) => setDragging({ ...shown, watchHeight: h })}
          onCommit={(h) => commit({ watchHeight: h })}
        />
        <div className="blotters" ref={blottersRef} style={{ gridTemplateRows: `minmax(0, ${shown.ordersShare}fr) 6px minmax(0, ${1 - shown.ordersShare}fr)` }}>
          <OrdersBlotter />
          <Splitter
            label="Orders and executions heights"
            orientation="horizontal"
            value={Math.round(shown.ordersShare * 100)}
            min={15}
            max={85}
            step={2}
            format={(v) => `orders ${v} percent`}
            valueAt={(y) => {
              const box = blottersRef.current?.getBoundingClientRect();
              return box === undefined || box.height === 0 ? shown.ordersShare * 100 : Math.round(((y - box.top) / box.height) * 100);
            }}
            onMove={(percent) => setDragging({ ...shown, ordersShare: percent / 100 })}
            onCommit={(percent) => commit({ ordersShare: percent / 100 })}
          />
          <ExecutionsBlotter />
        </div>
      </div>
      )}
    </main>
  );
}

/** A popped-out window: one panel, full size. */
function PopoutArea({ panel }: { panel: 'orders' | 'executions' | 'ticket' }) {
  return (
    <main className={`app-main app-main-single popout-${panel}`}>
      {panel === 'orders' ? <OrdersBlotter /> : panel === 'executions' ? <ExecutionsBlotter /> : <OrderTicket />}
    </main>
  );
}

export function App() {
  const role = useDesk((s) => s.windowRole);
  useEffect(() => {
    window.addEventListener('keydown', onGlobalKeyDown);
    return () => window.removeEventListener('keydown', onGlobalKeyDown);
  }, []);
  useEffect(() => {
    document.title = role.kind === 'main' ? 'Meridian Desk' : `${PANEL_TITLES[role.panel]} — Meridian Desk`;
  }, [role]);

  return (
    <div className="app">
      <Header main={role.kind === 'main'} {...(role.kind === 'popout' && { title: PANEL_TITLES[role.panel] })} />
      {role.kind === 'main' ? <MainArea /> : <PopoutArea panel={role.panel} />}
      <StatusBar />
      <Dialogs />
    </div>
  );
}
