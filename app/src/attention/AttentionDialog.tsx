import { useState } from 'react';
import type { AttentionEvent, AttentionSettings } from '../../../shared/contract/workspace';
import { ATTENTION_EVENT_TYPES } from '../../../shared/contract/workspace';
import { ModalDialog } from '../shell/ModalDialog';
import { closeDialog } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { setAttention, useWorkspace } from '../workspace/workspace-store';
import { allowNotifications, playTone } from './attention';

const EVENT_LABELS: Readonly<Record<AttentionEvent, string>> = {
  fill: 'Fills',
  reject: 'Rejects',
  cancel: 'Cancels by the broker',
  alert: 'Alerts (warnings, errors)',
};

/** Sounds and desktop notifications per event type, and the flash on changed cells: all off by default. */
export function AttentionDialog() {
  const open = useDesk((s) => s.dialog?.kind === 'attention');
  if (!open) return null;
  return <AttentionBody />;
}

function AttentionBody() {
  const settings = useWorkspace((w) => w.doc.attention);
  const [notice, setNotice] = useState('');

  const setSound = (type: AttentionEvent, on: boolean) => {
    setAttention({ ...settings, sounds: { ...settings.sounds, [type]: on } });
    if (on) playTone(type);
  };

  const setNotification = async (type: AttentionEvent, on: boolean) => {
    if (on && !(await allowNotifications())) {
      setNotice('Desktop notifications are blocked for this page: allow them in the browser (or system) settings, then try again.');
      return;
    }
    setNotice('');
    const next: AttentionSettings = { ...settings, notifications: { ...settings.notifications, [type]: on } };
    setAttention(next);
  };

  return (
    <ModalDialog titleId="attention-title" onClose={closeDialog} className="attention-dialog">
      <h2 id="attention-title">Sounds and notifications</h2>
      <table className="attention-table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Sound</th>
            <th scope="col">Desktop notification</th>
          </tr>
        </thead>
        <tbody>
          {ATTENTION_EVENT_TYPES.map((type, index) => (
            <tr key={type}>
              <th scope="row">{EVENT_LABELS[type]}</th>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Sound for ${EVENT_LABELS[type].toLowerCase()}`}
                  checked={settings.sounds[type]}
                  onChange={(e) => setSound(type, e.target.checked)}
                  {...(index === 0 ? { 'data-autofocus': true } : {})}
                />
              </td>
              <td>
                <input type="checkbox" aria-label={`Desktop notification for ${EVENT_LABELS[type].toLowerCase()}`} checked={settings.notifications[type]} onChange={(e) => void setNotification(type, e.target.checked)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="check-line">
        <input type="checkbox" checked={settings.flash} onChange={(e) => setAttention({ ...settings, flash: e.target.checked })} /> Flash a cell when its value changes (status, fills)
      </label>
      <p className="muted" role="status" aria-live="polite">
        {notice}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="btn btn-primary" onClick={closeDialog}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
