import { useState } from 'react';
import type { AlertView } from '../../../shared/contract/views';
import { formatTime } from '../format/labels';
import { openOrderHistory } from '../history/history-store';
import { ModalDialog } from '../shell/ModalDialog';
import { acknowledgeAlerts } from '../store/actions';
import { useDesk } from '../store/desk-store';

const LEVEL_WORD: Record<AlertView['level'], string> = { error: 'Error', warning: 'Warning', info: 'Notice' };

/**
 * The desk's alert list (the same in every window, and after a restart), newest first: a repeated
 * alert is one row with its count and time window; one about an order links to that order's
 * history. Acknowledging is journaled by the desk with who and when.
 */
export function AlertsDialog({ onClose }: { onClose: () => void }) {
  const alerts = useDesk((s) => s.data.alerts);
  const [onlyProblems, setOnlyProblems] = useState(true);
  const [hideAcknowledged, setHideAcknowledged] = useState(false);
  const shown = [...alerts].reverse().filter((a) => (!onlyProblems || a.level !== 'info') && (!hideAcknowledged || a.acknowledged === undefined));
  const open = shown.filter((a) => a.acknowledged === undefined).map((a) => a.id);
  return (
    <ModalDialog titleId="alerts-title" onClose={onClose} className="alerts-dialog">
      <div className="history-header">
        <h2 id="alerts-title">Alerts</h2>
        <div className="toolbar-spacer" />
        <label className="checkbox-label">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
          Warnings and errors only
        </label>
        <label className="checkbox-label">
          <input type="checkbox" checked={hideAcknowledged} onChange={(e) => setHideAcknowledged(e.target.checked)} />
          Hide acknowledged
        </label>
        <button type="button" className="btn" disabled={open.length === 0} onClick={() => void acknowledgeAlerts(open)}>
          Acknowledge all shown
        </button>
      </div>
      <div className="alerts-list" role="region" aria-label="Alert list, newest first" tabIndex={0} data-autofocus>
        {shown.length === 0 ? (
          <p className="muted">Nothing to show.</p>
        ) : (
          <ul>
            {shown.map((alert) => (
              <li key={alert.id} className={`alerts-item alert-${alert.level}${alert.acknowledged ? ' acknowledged' : ''}`}>
                <span className={`alert-level alert-level-${alert.level}`}>{LEVEL_WORD[alert.level]}</span>
                <span className="mono muted" title={alert.firstAt !== undefined ? `${alert.firstAt} – ${alert.at}` : alert.at}>
                  {alert.firstAt !== undefined ? `${formatTime(alert.firstAt)}–${formatTime(alert.at)}` : formatTime(alert.at)}
                </span>
                {(alert.count ?? 1) > 1 && <span className="alerts-count mono" aria-label={`${alert.count} times`}>×{alert.count}</span>}
                <span className="alerts-message">{alert.message}</span>
                {alert.orderId !== undefined && (
                  <button
                    type="button"
                    className="btn btn-row"
                    aria-label={`Show history of order ${alert.orderId}`}
                    onClick={() => {
                      onClose();
                      openOrderHistory(alert.orderId!);
                    }}
                  >
                    History
                  </button>
                )}
                {alert.acknowledged !== undefined ? (
                  <span className="muted" title={alert.acknowledged.at}>
                    acknowledged by {alert.acknowledged.by}
                  </span>
                ) : (
                  <button type="button" className="btn btn-row" aria-label={`Acknowledge: ${alert.message}`} onClick={() => void acknowledgeAlerts([alert.id])}>
                    Acknowledge
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
