import { useState } from 'react';
import type { SessionView } from '../../../shared/contract/views';
import { formatTime } from '../format/labels';
import { FixMessageDetail } from '../history/FixMessageDetail';
import type { FixLogFilter } from './session-monitor-store';
import { emptyFilter, newerLogPage, olderLogPage, refreshLog, selectLogEntry, setLogFilter, showLog, useSessionMonitor } from './session-monitor-store';

/** The message types a reader filters by most; any other can be searched as text ("35=AF"). */
const MSG_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['', 'Any'],
  ['8', '8 ExecutionReport'],
  ['D', 'D NewOrderSingle'],
  ['F', 'F OrderCancelRequest'],
  ['G', 'G OrderCancelReplaceRequest'],
  ['9', '9 OrderCancelReject'],
  ['H', 'H OrderStatusRequest'],
  ['AF', 'AF OrderMassStatusRequest'],
  ['Q', 'Q DontKnowTrade'],
  ['A', 'A Logon'],
  ['5', '5 Logout'],
  ['0', '0 Heartbeat'],
  ['1', '1 TestRequest'],
  ['2', '2 ResendRequest'],
  ['4', '4 SequenceReset'],
  ['3', '3 Reject'],
  ['j', 'j BusinessMessageReject'],
];

/** One session's FIX log, newest first: searchable by text, message type and direction, paged; the chosen message raw beside parsed. */
export function FixLogPanel({ sessions }: { sessions: readonly SessionView[] }) {
  const logSession = useSessionMonitor((s) => s.logSession);
  const filter = useSessionMonitor((s) => s.filter);
  const entries = useSessionMonitor((s) => s.entries);
  const loading = useSessionMonitor((s) => s.loading);
  const error = useSessionMonitor((s) => s.error);
  const selectedId = useSessionMonitor((s) => s.selectedEntryId);
  const hasOlder = useSessionMonitor((s) => s.nextBeforeId !== undefined);
  const hasNewer = useSessionMonitor((s) => s.pageStack.length > 0);
  const [draft, setDraft] = useState<FixLogFilter>(filter);
  const selected = entries.find((e) => e.id === selectedId);

  const options = sessions.flatMap((s) => [
    { value: `trading:${s.broker}`, label: s.broker },
    ...(s.dropCopy !== undefined ? [{ value: `dropCopy:${s.broker}`, label: `${s.broker} drop copy` }] : []),
  ]);
  const current = logSession === null ? '' : `${logSession.role}:${logSession.broker}`;
  const name = logSession === null ? '' : logSession.role === 'trading' ? logSession.broker : `${logSession.broker} drop copy`;

  return (
    <section className="fixlog" aria-labelledby="fixlog-title">
      <form
        className="fixlog-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setLogFilter(draft);
        }}
      >
        <h3 id="fixlog-title" className="panel-title">
          FIX log
        </h3>
        <label className="fixlog-field">
          <span>Session</span>
          <select
            aria-label="FIX log session"
            value={current}
            onChange={(e) => {
              const [role, ...rest] = e.target.value.split(':');
              showLog({ broker: rest.join(':'), role: role === 'dropCopy' ? 'dropCopy' : 'trading' });
            }}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="fixlog-field fixlog-search">
          <span>Search</span>
          <input
            type="search"
            aria-label="Search FIX log"
            placeholder="ClOrdID, ExecID, 35=8…"
            value={draft.search}
            maxLength={200}
            onChange={(e) => setDraft({ ...draft, search: e.target.value })}
          />
        </label>
        <label className="fixlog-field">
          <span>Type</span>
          <select
            aria-label="Message type"
            value={draft.msgType}
            onChange={(e) => {
              const next = { ...draft, msgType: e.target.value };
              setDraft(next);
              setLogFilter(next);
            }}
          >
            {MSG_TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="fixlog-field">
          <span>Direction</span>
          <select
            aria-label="Direction"
            value={draft.direction}
            onChange={(e) => {
              const next = { ...draft, direction: e.target.value as FixLogFilter['direction'] };
              setDraft(next);
              setLogFilter(next);
            }}
          >
            <option value="">Both</option>
            <option value="in">Received</option>
            <option value="out">Sent</option>
          </select>
        </label>
        <button type="submit" className="btn btn-row">
          Search
        </button>
        <button
          type="button"
          className="btn btn-row"
          onClick={() => {
            setDraft(emptyFilter);
            setLogFilter(emptyFilter);
          }}
        >
          Clear
        </button>
        <div className="toolbar-spacer" />
        <span className="toolbar-note" aria-live="polite">
          {loading ? 'Loading…' : `${entries.length} message${entries.length === 1 ? '' : 's'}${hasNewer || hasOlder ? ' on this page' : ''}`}
        </span>
        <button type="button" className="btn btn-row" onClick={refreshLog} aria-label={`Refresh FIX log of ${name}`}>
          Refresh
        </button>
        <button type="button" className="btn btn-row" disabled={!hasNewer} onClick={newerLogPage}>
          Newer
        </button>
        <button type="button" className="btn btn-row" disabled={!hasOlder} onClick={olderLogPage}>
          Older
        </button>
      </form>
      {error !== null && (
        <p className="form-error" role="alert">
          Could not load the FIX log: {error}
        </p>
      )}
      <div className="fixlog-body">
        <div className="fixlog-list" role="region" aria-label={`FIX messages of ${name}, newest first`} tabIndex={0}>
          <table className="fixlog-table" aria-label={`FIX log of ${name}`}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Dir</th>
                <th scope="col" className="num">
                  Seq
                </th>
                <th scope="col">Type</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr
                  key={e.id}
                  className={e.id === selectedId ? 'fixlog-selected' : undefined}
                  aria-selected={e.id === selectedId}
                  onClick={() => selectLogEntry(e.id)}
                >
                  <td className="mono" title={e.at}>
                    {formatTime(e.at)}
                  </td>
                  <td className={e.direction === 'in' ? 'fixlog-in' : 'fixlog-out'}>{e.direction === 'in' ? '← in' : '→ out'}</td>
                  <td className="num mono">
                    {e.seqNum}
                    {e.possDup ? ' PD' : ''}
                  </td>
                  <td>
                    <button type="button" className="btn-link" aria-label={`${e.msgTypeName}: show message ${e.seqNum} ${e.direction === 'in' ? 'received' : 'sent'}`} onClick={() => selectLogEntry(e.id)}>
                      {e.msgTypeName}
                    </button>
                  </td>
                  <td className="mono fixlog-raw-cell" title={e.raw}>
                    {e.raw}
                  </td>
                </tr>
              ))}
              {entries.length === 0 && !loading && (
                <tr>
                  <td colSpan={5} className="muted">
                    No messages{filter.search || filter.msgType || filter.direction ? ' match the search' : ''}.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="fixlog-detail">
          {selected !== undefined ? (
            <FixMessageDetail fix={selected} id="fixlog-detail" label={`FIX ${selected.msgTypeName} ${selected.seqNum}`} />
          ) : (
            <p className="muted">Choose a message to see it raw and parsed.</p>
          )}
        </div>
      </div>
    </section>
  );
}
