import { useState } from 'react';
import type { AlertView } from '../../../shared/contract/views';
import { formatTime } from '../format/labels';
import { openOrderHistory } from '../history/history-store';
import { ModalDialog } from '../shell/ModalDialog';
import { useDesk } from '../store/desk-store';

const LEVEL_WORD: Record<AlertView['level'], string> = { error: 'Error', warning: 'Warning', info: 'Notice' };

/** The kept alerts, newest first; one about an order links to that order's history. */
export function AlertsDialog({ onClose }: { onClose: () => void }) {
  const alerts = useDesk((s) => s.data.alerts);
  const [onlyProblems, setOnlyProblems] = useState(true);
  const shown = [...alerts].reverse().filter((a) => !onlyProblems || a.level !== 'info');
  return (
    <ModalDialog titleId="alerts-title" onClose={onClose} className="alerts-dialog">
      <div className="history-header">
        <h2 id="alerts-title">Alerts</h2>
        <div className="toolbar-spacer" />
        <label className="checkbox-label">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
          Warnings and errors only
        </label>
      </div>
      <div className="alerts-list" role="region" aria-label="Alert list, newest first" tabIndex={0} data-autofocus>
        {shown.length === 0 ? (
          <p className="muted">Nothing to show.</p>
        ) : (
          <ul>
            {shown.map((alert) => (
              <li key={alert.id} className={`alerts-item alert-${alert.level}`}>
                <span className={`alert-level alert-level-${alert.level}`}>{LEVEL_WORD[alert.level]}</span>
                <span className="mono muted" title={alert.at}>
                  {formatTime(alert.at)}
                </span>
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
