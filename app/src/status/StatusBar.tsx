import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { connectionLabel, formatTime, sessionStateLabel } from '../format/labels';
import { useDesk } from '../store/desk-store';
import { selectConnection, selectLatestAlert, selectOpenOrderCount, selectSessions } from '../store/selectors';
import { openSessionMonitor } from '../sessions/session-monitor-store';
import { alertCountsText, countAlerts } from './alert-counts';
import { AlertsDialog } from './AlertsDialog';
import { useFeedSessions } from '../quotes/feed-sessions';

function ConnectionPill() {
  const connection = useDesk(selectConnection);
  const label = connectionLabel(connection.state);
  const via = connection.transport === 'ipc' ? ' (local)' : '';
  return (
    <span className={`pill conn-${connection.state}`} title={connection.detail ?? `Desk link: ${connection.transport}`}>
      Desk: {label}
      {via}
    </span>
  );
}

/** One pill per broker session; each opens the session monitor on that broker. */
function SessionPills() {
  const sessions = useDesk(useShallow(selectSessions));
  if (sessions.length === 0) return <span className="pill muted">No broker sessions</span>;
  const brokers = sessions.map((s) => s.broker);
  return (
    <>
      {sessions.map((s) => {
        const dc = s.dropCopy;
        const dcProblem = dc !== undefined && (dc.state !== 'loggedOn' || dc.mismatches > 0);
        const dcText = dc === undefined ? '' : `; drop copy ${sessionStateLabel(dc.state)}${dc.mismatches > 0 ? `, ${dc.mismatches} mismatches` : ''}`;
        return (
          <button
            type="button"
            key={s.broker}
            className={`pill pill-button session-${s.state}`}
            title={`${s.lastError ?? `${s.senderCompId} → ${s.targetCompId} at ${s.host}:${s.port} (${s.fixVersion})`}${dcText}. Open the session monitor (S)`}
            aria-label={`${s.broker}: ${sessionStateLabel(s.state)}${dcText}. Open the session monitor`}
            onClick={() => openSessionMonitor(s.broker, brokers)}
          >
            {s.broker}: {sessionStateLabel(s.state)}
            {dcProblem && <span className="pill-dropcopy-warning"> · DC {dc.mismatches > 0 ? `⚠ ${dc.mismatches}` : sessionStateLabel(dc.state)}</span>}
          </button>
        );
      })}
    </>
  );
}

/** The market-data feed: its state, and how many quotes are stale (none: no feed configured). */
function FeedPills() {
  const feeds = useFeedSessions();
  return (
    <>
      {feeds.map((f) => {
        const detail = `${f.subscriptions} instruments subscribed${f.stale > 0 ? `, ${f.stale} stale` : ''}`;
        return (
          <span key={f.name} className={`pill session-${f.state}`} title={`${f.lastError ?? `Market data: ${f.senderCompId} → ${f.targetCompId} at ${f.host}:${f.port} (${f.fixVersion})`}; ${detail}`}>
            {f.name}: {sessionStateLabel(f.state)}
            {f.stale > 0 && <span className="pill-dropcopy-warning"> · {f.stale} stale</span>}
          </span>
        );
      })}
    </>
  );
}

function TradingStatePill() {
  const mode = useDesk((s) => s.data.tradingState.mode);
  if (mode === 'normal') return null;
  return <span className={`pill trading-${mode}`}>Trading: {mode === 'halted' ? 'Halted' : 'Reduce-only'}</span>;
}

function OpenOrders() {
  const count = useDesk(selectOpenOrderCount);
  return <span className="status-item">Open orders: {count}</span>;
}

function LatestAlert() {
  const alert = useDesk(selectLatestAlert);
  return (
    <div className="alert-area" role="log" aria-live="polite" aria-label="Latest alert">
      {alert && (
        <span className={`alert alert-${alert.level}`} title={alert.message}>
          {alert.level !== 'info' && <span className={`alert-level alert-level-${alert.level}`}>{alert.level === 'error' ? 'Error' : 'Warning'}</span>}
          <span className="mono muted">{formatTime(alert.at)}</span> {alert.message}
        </span>
      )}
    </div>
  );
}

/** Warnings and errors stay counted after a later notice replaces them as the latest alert; the list shows them all. */
function AlertCountButton() {
  const [seenThroughId, setSeenThroughId] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const counts = useDesk(useShallow((s) => countAlerts(s.data.alerts, seenThroughId)));
  const newestId = useDesk((s) => s.data.alerts.at(-1)?.id ?? null);
  // Shown while the list has anything: acknowledged alerts stay listed (and reachable) though not counted.
  if (newestId === null && !open) return null;
  const tone = counts.unseenErrors > 0 ? 'error' : counts.unseenWarnings > 0 ? 'warning' : 'seen';
  const text = alertCountsText(counts);
  return (
    <>
      <button
        type="button"
        className={`pill alert-count alert-count-${tone}`}
        aria-label={`Alerts: ${text}. Show the list`}
        title={text}
        onClick={() => {
          setSeenThroughId(newestId);
          setOpen(true);
        }}
      >
        {counts.errors > 0 && <span className="alert-count-errors">✖ {counts.errors}</span>}
        {counts.warnings > 0 && <span className="alert-count-warnings">⚠ {counts.warnings}</span>}
        {counts.errors + counts.warnings === 0 && <span>Alerts</span>}
      </button>
      {open && <AlertsDialog onClose={() => setOpen(false)} />}
    </>
  );
}

export function StatusBar() {
  return (
    <footer className="statusbar" aria-label="Status bar">
      <ConnectionPill />
      <SessionPills />
      <FeedPills />
      <TradingStatePill />
      <OpenOrders />
      <LatestAlert />
      <AlertCountButton />
    </footer>
  );
}
