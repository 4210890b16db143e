import { useId, useState } from 'react';
import type { KillScope, TradingMode } from '../../../shared/contract/risk';
import { ModalDialog } from '../shell/ModalDialog';
import { callDesk, closeDialog, pushLocalAlert } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { selectReference } from '../store/selectors';

const SCOPES: ReadonlyArray<{ readonly value: Exclude<KillScope, 'algo'>; readonly label: string }> = [
  { value: 'all', label: 'All working orders' },
  { value: 'broker', label: 'One broker' },
  { value: 'account', label: 'One account' },
];

/**
 * The kill switch: cancels the working orders of a scope and sets the trading state, after an explicit
 * confirmation with a reason (journaled with who and when). Shift+K opens it.
 */
export function KillSwitchDialog() {
  const open = useDesk((s) => s.dialog?.kind === 'killSwitch');
  if (!open) return null;
  return <KillSwitchBody />;
}

function KillSwitchBody() {
  const reference = useDesk(selectReference);
  const [scope, setScope] = useState<Exclude<KillScope, 'algo'>>('all');
  const [value, setValue] = useState('');
  const [mode, setMode] = useState<Exclude<TradingMode, 'normal'>>('halted');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const id = useId();
  const choices = scope === 'broker' ? reference.brokers : scope === 'account' ? reference.accounts : [];
  const target = scope === 'all' ? undefined : value || choices[0];

  async function confirm() {
    if (reason.trim().length < 3) {
      setError('Say why (at least 3 characters): it is kept in the audit trail');
      return;
    }
    setSending(true);
    const result = await callDesk('setTradingState', { mode, reason: reason.trim(), cancel: { scope, ...(target !== undefined && { value: target }) } });
    setSending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const v = result.value;
    const notCanceled = v.notCanceled.length > 0 ? `; ${v.notCanceled.length} could not be canceled` : '';
    pushLocalAlert('warning', `Kill switch: ${v.canceled} orders canceled, ${v.deferred} cancels waiting for their broker${notCanceled}; trading ${mode === 'halted' ? 'halted' : 'reduce-only'}`);
    closeDialog();
  }

  return (
    <ModalDialog titleId={`${id}-title`} onClose={closeDialog} role="alertdialog" className="confirm-dialog kill-switch-dialog">
      <h2 id={`${id}-title`}>Kill switch</h2>
      <p className="dialog-summary">Cancels every working order in the scope and stops new orders. Cancels to a broker that is down go when it logs on.</p>
      <div className="form-grid">
        <label htmlFor={`${id}-scope`}>Cancel</label>
        <select id={`${id}-scope`} value={scope} data-autofocus onChange={(e) => { setScope(e.target.value as Exclude<KillScope, 'algo'>); setValue(''); }}>
          {SCOPES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {scope !== 'all' && (
          <>
            <label htmlFor={`${id}-value`}>{scope === 'broker' ? 'Broker' : 'Account'}</label>
            <select id={`${id}-value`} value={target ?? ''} onChange={(e) => setValue(e.target.value)}>
              {choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor={`${id}-mode`}>Then trading is</label>
        <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as Exclude<TradingMode, 'normal'>)}>
          <option value="halted">Halted (no new orders)</option>
          <option value="reduceOnly">Reduce-only (only orders that reduce a position)</option>
        </select>
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input id={`${id}-reason`} type="text" value={reason} autoComplete="off" onChange={(e) => { setReason(e.target.value); setError(null); }} aria-invalid={error !== null} aria-describedby={error !== null ? `${id}-error` : undefined} />
      </div>
      {error !== null && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={closeDialog}>
          Keep trading
        </button>
        <button type="button" className="btn btn-danger" disabled={sending} onClick={() => void confirm()}>
          Confirm kill switch
        </button>
      </div>
    </ModalDialog>
  );
}
