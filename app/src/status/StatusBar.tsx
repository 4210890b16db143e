import { useShallow } from 'zustand/react/shallow';
import { connectionLabel, formatTime, sessionStateLabel } from '../format/labels';
import { useDesk } from '../store/desk-store';
import { selectConnection, selectLatestAlert, selectOpenOrderCount, selectSessions } from '../store/selectors';

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

function SessionPills() {
  const sessions = useDesk(useShallow(selectSessions));
  if (sessions.length === 0) return <span className="pill muted">No broker sessions</span>;
  return (
    <>
      {sessions.map((s) => (
        <span
          key={s.broker}
          className={`pill session-${s.state}`}
          title={s.lastError ?? `${s.senderCompId} → ${s.targetCompId} at ${s.host}:${s.port} (${s.fixVersion})`}
        >
          {s.broker}: {sessionStateLabel(s.state)}
        </span>
      ))}
    </>
  );
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
          <span className="mono muted">{formatTime(alert.at)}</span> {alert.message}
        </span>
      )}
    </div>
  );
}

export function StatusBar() {
  return (
    <footer className="statusbar" aria-label="Status bar">
      <ConnectionPill />
      <SessionPills />
      <OpenOrders />
      <LatestAlert />
    </footer>
  );
}
