import { Fragment } from 'react';
import type { OrderHistoryEntry } from '../../../shared/contract/views';
import { orderStatusLabel, orderStatusTone } from '../format/labels';
import { FixMessageDetail } from './FixMessageDetail';
import { eventLabel, formatStamp, isProblemEvent } from './history-model';

const COLUMNS = 7;

/** Every journaled event of the order, oldest first; an entry with a FIX message expands to show it. */
export function HistoryTimeline({
  orderId,
  entries,
  expanded,
  onToggle,
}: {
  orderId: string;
  entries: readonly OrderHistoryEntry[];
  expanded: ReadonlySet<number>;
  onToggle: (seq: number) => void;
}) {
  return (
    <table className="history-table" aria-label={`Events of order ${orderId}`}>
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">Our time</th>
          <th scope="col">Broker time</th>
          <th scope="col">Event</th>
          <th scope="col">Summary</th>
          <th scope="col">Status after</th>
          <th scope="col">
            <span className="visually-hidden">FIX message</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 && (
          <tr>
            <td colSpan={COLUMNS} className="muted history-empty">
              No events recorded for this order.
            </td>
          </tr>
        )}
        {entries.map((entry) => {
          const open = expanded.has(entry.seq);
          const fixId = `history-fix-${entry.seq}`;
          const fixLabel = entry.fix ? `FIX ${entry.fix.msgTypeName} of event ${entry.seq}` : '';
          const rowClass = [
            'history-entry',
            isProblemEvent(entry) ? 'history-entry-problem' : '',
            entry.ignored !== undefined ? 'history-entry-ignored' : '',
            open ? 'history-entry-open' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <Fragment key={entry.seq}>
              <tr className={rowClass} data-seq={entry.seq}>
                <td className="num muted">{entry.seq}</td>
                <td className="mono history-time" title={entry.at}>
                  {formatStamp(entry.at)}
                </td>
                <td className="mono history-time" title={entry.brokerTime}>
                  {entry.brokerTime ? formatStamp(entry.brokerTime) : <span className="muted">—</span>}
                </td>
                <td className="history-event">
                  {eventLabel(entry.event)}
                  {entry.fix && (
                    <span className="history-msgtype">
                      {entry.fix.direction === 'in' ? '← ' : '→ '}
                      {entry.fix.msgTypeName} <span className="mono">35={entry.fix.msgType}</span>
                    </span>
                  )}
                </td>
                <td className="history-summary">
                  {entry.summary}
                  {entry.ignored !== undefined && (
                    <div className="history-ignored">
                      <span className="history-ignored-label">Ignored</span> {entry.ignored}
                    </div>
                  )}
                </td>
                <td>
                  {entry.statusAfter !== undefined ? (
                    <span className={`badge tone-${orderStatusTone(entry.statusAfter)}`}>{orderStatusLabel(entry.statusAfter)}</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="history-toggle-cell">
                  {entry.fix && (
                    <button
                      type="button"
                      className="btn btn-row history-toggle"
                      aria-expanded={open}
                      aria-controls={open ? fixId : undefined}
                      aria-label={fixLabel}
                      onClick={() => onToggle(entry.seq)}
                    >
                      <span aria-hidden="true" className="history-chevron">
                        {open ? '▾' : '▸'}
                      </span>{' '}
                      FIX
                    </button>
                  )}
                </td>
              </tr>
              {open && entry.fix && (
                <tr className="history-fix-row">
                  <td colSpan={COLUMNS}>
                    <FixMessageDetail fix={entry.fix} id={fixId} label={fixLabel} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
