import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatTime } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { useDesk } from '../store/desk-store';
import { focusOrderRow } from './focus-order-row';
import { HistoryTimeline } from './HistoryTimeline';
import { clOrdIdChain, newerOrder } from './history-model';
import { closeOrderHistory, refreshOrderHistory, useHistory } from './history-store';
import { OrderStateSummary } from './OrderStateSummary';

/** The audit trail of one order: its state now, then every event with the FIX message behind it. */
export function OrderHistoryDialog() {
  const orderId = useHistory((s) => s.orderId);
  if (orderId === null) return null;
  return <OrderHistoryBody key={orderId} orderId={orderId} />;
}

function OrderHistoryBody({ orderId }: { orderId: string }) {
  const liveOrder = useDesk((s) => s.data.orders.get(orderId));
  const alerts = useDesk(useShallow((s) => s.data.alerts.filter((a) => a.orderId === orderId && a.level !== 'info')));
  const history = useHistory((s) => s.history);
  const loading = useHistory((s) => s.loading);
  const error = useHistory((s) => s.error);
  const loadedAt = useHistory((s) => s.loadedAt);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());

  const order = newerOrder(liveOrder, history?.order);
  const entries = useMemo(() => history?.entries ?? [], [history]);
  const chain = useMemo(() => (order ? clOrdIdChain(order, entries) : []), [order, entries]);
  const withFix = useMemo(() => entries.filter((e) => e.fix !== undefined).map((e) => e.seq), [entries]);
  const allOpen = withFix.length > 0 && withFix.every((seq) => expanded.has(seq));

  const toggle = (seq: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });

  // Follow new events as they arrive, but only when the reader is already at the bottom.
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(false);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [entries.length]);

  const status = error !== null ? null : loading ? 'Updating…' : loadedAt ? `Up to date at ${formatTime(loadedAt)}` : '';

  return (
    <ModalDialog titleId="history-title" onClose={closeOrderHistory} className="history-dialog" restoreFocus={() => focusOrderRow(orderId)}>
      <header className="history-header">
        <h2 id="history-title">
          Order history <span className="mono">{orderId}</span>
        </h2>
        <span className="history-freshness muted">
          {status}
        </span>
        <div className="toolbar-spacer" />
        <button type="button" className="btn" onClick={closeOrderHistory} aria-label="Close order history" title="Close (Escape)">
          Close
        </button>
      </header>

      {order ? <OrderStateSummary order={order} chain={chain} alerts={alerts} /> : <p className="muted">Loading the order…</p>}

      {error !== null && (
        <p className="form-error history-error" role="alert">
          Could not load the history: {error}{' '}
          <button type="button" className="btn btn-row" onClick={refreshOrderHistory}>
            Retry
          </button>
        </p>
      )}

      <div className="history-timeline-toolbar">
        <h3 id="history-timeline-title" className="panel-title">
          Timeline
        </h3>
        <span className="toolbar-note">
          {history === null ? (loading ? 'Loading…' : '') : `${entries.length} event${entries.length === 1 ? '' : 's'}, oldest first`}
        </span>
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="btn btn-row"
          disabled={withFix.length === 0}
          aria-pressed={allOpen}
          onClick={() => setExpanded(allOpen ? new Set() : new Set(withFix))}
        >
          {allOpen ? 'Collapse all FIX messages' : 'Expand all FIX messages'}
        </button>
      </div>
      <div
        ref={scrollRef}
        className="history-timeline"
        role="region"
        aria-labelledby="history-timeline-title"
        tabIndex={0}
        data-autofocus
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
        }}
      >
        {history !== null && <HistoryTimeline orderId={orderId} entries={entries} expanded={expanded} onToggle={toggle} />}
      </div>
    </ModalDialog>
  );
}
