import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SessionStatsView, SessionView } from '../../../shared/contract/views';
import type { SessionState } from '../../../shared/domain/order-types';
import { formatTime, sessionStateLabel } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { useDesk } from '../store/desk-store';
import { selectMarketDataSessions, selectSessions } from '../store/selectors';
import type { MarketDataSessionView } from '../../../shared/contract/market-data';
import { FixLogPanel } from './FixLogPanel';
import { SequenceNumbersDialog } from './SequenceNumbersDialog';
import { ageText, lastErrorText, resendText, scheduleText } from './session-format';
import type { LogSession } from './session-monitor-store';
import { closeSessionMonitor, connectSession, logoutSession, openSequenceDialog, showLog, useSessionMonitor } from './session-monitor-store';

/** The clock the "ago" texts follow: one tick a second while the monitor is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** Every broker session: state, sequence numbers, heartbeat, resends, schedule, drop copy; the actions; the FIX log. */
export function SessionMonitorDialog() {
  const open = useSessionMonitor((s) => s.open);
  if (!open) return null;
  return <SessionMonitorBody />;
}

function SessionMonitorBody() {
  const sessions = useDesk(useShallow(selectSessions));
  const marketData = useDesk(useShallow(selectMarketDataSessions));
  const notice = useSessionMonitor((s) => s.notice);
  const sequenceFor = useSessionMonitor((s) => s.sequenceFor);
  const now = useNow();

  return (
    <ModalDialog titleId="session-monitor-title" onClose={closeSessionMonitor} className="session-monitor">
      <header className="history-header session-monitor-header">
        <h2 id="session-monitor-title">Session monitor</h2>
        <span className="muted">{sessions.length} broker{sessions.length === 1 ? '' : 's'}</span>
        <div className="toolbar-spacer" />
        <button type="button" className="btn" onClick={closeSessionMonitor} aria-label="Close session monitor" title="Close (Escape)">
          Close
        </button>
      </header>

      <div className="session-table-wrap">
        <table className="session-table" aria-label="Broker sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Seq in
              </th>
              <th scope="col" className="num">
                Seq out
              </th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">Last message in</th>
              <th scope="col">Logged on</th>
              <th scope="col">Resends</th>
              <th scope="col">Schedule</th>
              <th scope="col">Last error</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <SessionRows key={s.broker} view={s} now={now} />
            ))}
            {marketData.map((m) => (
              <MarketDataRow key={`md-${m.name}`} view={m} now={now} />
            ))}
          </tbody>
        </table>
      </div>
      <p className={`session-notice ${notice && !notice.ok ? 'form-error' : 'muted'}`} role="status" aria-label="Session action result">
        {notice?.text ?? ''}
      </p>

      <FixLogPanel sessions={sessions} />
      {sequenceFor !== null && <SequenceNumbersDialog session={sequenceFor} view={sessions.find((s) => s.broker === sequenceFor.broker)} />}
    </ModalDialog>
  );
}

function SessionRows({ view, now }: { view: SessionView; now: number }) {
  const dc = view.dropCopy;
  return (
    <>
      <SessionRow
        session={{ broker: view.broker, role: 'trading' }}
        name={view.broker}
        detail={`${view.senderCompId} → ${view.targetCompId} · ${view.host}:${view.port} · ${view.fixVersion}`}
        state={view.state}
        stats={view.stats}
        error={lastErrorText(view)}
        now={now}
      />
      {dc !== undefined && (
        <SessionRow
          session={{ broker: view.broker, role: 'dropCopy' }}
          name={`${view.broker} drop copy`}
          detail={`${dc.senderCompId} → ${dc.targetCompId} · ${dc.host}:${dc.port}`}
          state={dc.state}
          stats={dc.stats}
          error={dc.lastError ?? dc.stats?.lastError}
          now={now}
          extra={
            <span className={dc.mismatches > 0 ? 'dropcopy-mismatch' : 'muted'} title={dc.lastMismatch}>
              {dc.mismatches} mismatch{dc.mismatches === 1 ? '' : 'es'}
              {dc.awaitingMatch > 0 ? ` · ${dc.awaitingMatch} awaiting match` : ''}
            </span>
          }
        />
      )}
    </>
  );
}

/** The market-data session: its state and figures, what it is subscribed to; administered by the desk itself (no actions). */
function MarketDataRow({ view, now }: { view: MarketDataSessionView; now: number }) {
  return (
    <SessionRow
      session={{ broker: view.name, role: 'trading' }}
      name={`${view.name} market data`}
      detail={`${view.senderCompId} → ${view.targetCompId} · ${view.host}:${view.port} · ${view.fixVersion}`}
      state={view.state}
      stats={view.stats}
      error={view.lastError ?? view.stats?.lastError}
      now={now}
      extra={
        <span className={view.stale > 0 ? 'session-stale' : 'muted'}>
          {view.subscriptions} instrument{view.subscriptions === 1 ? '' : 's'} subscribed{view.stale > 0 ? ` · ${view.stale} stale` : ''}
        </span>
      }
      administered={false}
    />
  );
}

interface SessionRowProps {
  readonly session: LogSession;
  readonly name: string;
  readonly detail: string;
  readonly state: SessionState;
  readonly stats: SessionStatsView | undefined;
  readonly error: string | undefined;
  readonly now: number;
  readonly extra?: ReactNode;
  /** false: no actions and no FIX log here (the market-data session, which the desk runs by itself). */
  readonly administered?: boolean;
}

function SessionRow({ session, name, detail, state, stats, error, now, extra, administered = true }: SessionRowProps) {
  const up = state === 'loggedOn' || state === 'connecting';
  const loggedOutByPerson = stats?.idle === 'loggedOut' || state === 'stopped';
  const heartbeatAge = stats?.lastHeartbeatAt === undefined ? undefined : now - Date.parse(stats.lastHeartbeatAt);
  return (
    <tr className={`session-row session-row-${session.role}`} aria-label={`${name} session`}>
      <th scope="row">
        <div className="session-name">{name}</div>
        <div className="session-detail muted">{detail}</div>
        {extra !== undefined && <div className="session-detail">{extra}</div>}
      </th>
      <td>
        <span className={`pill session-${state}`} aria-label={`${name} state`}>
          {sessionStateLabel(state)}
        </span>
      </td>
      <td className="num mono" aria-label={`${name} next incoming sequence number`}>
        {stats?.nextIncomingSeqNum ?? '—'}
      </td>
      <td className="num mono" aria-label={`${name} next outgoing sequence number`}>
        {stats?.nextOutgoingSeqNum ?? '—'}
      </td>
      <td className={`mono ${heartbeatAge !== undefined && state === 'loggedOn' && heartbeatAge > 60_000 ? 'session-stale' : ''}`} aria-label={`${name} time since last heartbeat`} title={stats?.lastHeartbeatAt}>
        {ageText(stats?.lastHeartbeatAt, now)}
      </td>
      <td className="mono" title={stats?.lastReceivedAt}>
        {ageText(stats?.lastReceivedAt, now)}
      </td>
      <td className="mono">{state === 'loggedOn' && stats?.loggedOnAt ? formatTime(stats.loggedOnAt) : '—'}</td>
      <td className="session-resends" aria-label={`${name} resend activity`}>
        {resendText(stats)}
      </td>
      <td>{scheduleText(stats)}</td>
      <td className="session-error" aria-label={`${name} last error`} title={error}>
        {error ?? '—'}
      </td>
      <td>
        {administered && (
        <div className="session-actions">
        <button type="button" className="btn btn-row" disabled={state === 'loggedOn'} aria-label={`Connect ${name}`} onClick={() => void connectSession(session)}>
          Connect
        </button>
        <button type="button" className="btn btn-row" disabled={loggedOutByPerson && !up} aria-label={`Log out ${name}`} onClick={() => void logoutSession(session)}>
          Log out
        </button>
        <button
          type="button"
          className="btn btn-row"
          disabled={up}
          aria-label={`Set next sequence numbers of ${name}`}
          title={up ? 'Log the session out first' : 'Set the sequence numbers the next logon uses'}
          onClick={() => openSequenceDialog(session)}
        >
          Sequence numbers
        </button>
        <button type="button" className="btn btn-row" aria-label={`Show FIX log of ${name}`} onClick={() => showLog(session)}>
          Log
        </button>
        </div>
        )}
      </td>
    </tr>
  );
}
