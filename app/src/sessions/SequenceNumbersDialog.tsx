import { useEffect, useState } from 'react';
import type { SessionView } from '../../../shared/contract/views';
import { ModalDialog } from '../shell/ModalDialog';
import { parseSeqNum, sequenceRestatement } from './session-format';
import type { LogSession } from './session-monitor-store';
import { closeSequenceDialog, setNextSequenceNumbers } from './session-monitor-store';

type Step = { kind: 'edit' } | { kind: 'confirm'; incoming?: number; outgoing?: number } | { kind: 'done'; ok: boolean; text: string };

/**
 * Sets the sequence numbers a session's next logon uses: type them, read them restated, confirm.
 * Only while the session is logged out (the desk refuses otherwise); the desk's answer is shown.
 */
export function SequenceNumbersDialog({ session, view }: { session: LogSession; view: SessionView | undefined }) {
  const name = session.role === 'trading' ? session.broker : `${session.broker} drop copy`;
  const stats = session.role === 'trading' ? view?.stats : view?.dropCopy?.stats;
  const state = session.role === 'trading' ? view?.state : view?.dropCopy?.state;
  const [incoming, setIncoming] = useState('');
  const [outgoing, setOutgoing] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [busy, setBusy] = useState(false);
  const loggedOn = state === 'loggedOn' || state === 'connecting';
  // Each step puts the keyboard on its own first control.
  useEffect(() => {
    document.querySelector<HTMLElement>('.seq-dialog [data-autofocus]')?.focus();
  }, [step.kind]);

  const review = () => {
    const i = parseSeqNum(incoming);
    const o = parseSeqNum(outgoing);
    if (!i.ok) return setError(`Next incoming sequence number: ${i.error}`);
    if (!o.ok) return setError(`Next outgoing sequence number: ${o.error}`);
    if (i.value === undefined && o.value === undefined) return setError('Give the next incoming or the next outgoing sequence number (or both)');
    setError(null);
    setStep({ kind: 'confirm', ...(i.value !== undefined && { incoming: i.value }), ...(o.value !== undefined && { outgoing: o.value }) });
  };

  const confirm = async (values: { incoming?: number; outgoing?: number }) => {
    setBusy(true);
    const result = await setNextSequenceNumbers(session, values);
    setBusy(false);
    if (result === null) setStep({ kind: 'done', ok: false, text: 'Not connected to the desk: nothing was sent' });
    else setStep(result.ok ? { kind: 'done', ok: true, text: result.value.message } : { kind: 'done', ok: false, text: result.error.message });
  };

  return (
    <ModalDialog titleId="seq-title" onClose={closeSequenceDialog} className="seq-dialog" role="alertdialog" describedBy="seq-summary">
      <h2 id="seq-title">Set next sequence numbers of {name}</h2>
      {step.kind === 'edit' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          <p id="seq-summary" className="dialog-summary">
            Now: incoming {stats?.nextIncomingSeqNum ?? '?'}, outgoing {stats?.nextOutgoingSeqNum ?? '?'}. A wrong number makes the broker resend or reject
            messages. Leave a field blank to keep it.
            {loggedOn && <strong className="form-error"> {name} is logged on: log it out first.</strong>}
          </p>
          <div className="seq-fields">
            <label className="field">
              <span>Next incoming sequence number</span>
              <input className="num" inputMode="numeric" aria-label="Next incoming sequence number" value={incoming} onChange={(e) => setIncoming(e.target.value)} data-autofocus />
            </label>
            <label className="field">
              <span>Next outgoing sequence number</span>
              <input className="num" inputMode="numeric" aria-label="Next outgoing sequence number" value={outgoing} onChange={(e) => setOutgoing(e.target.value)} />
            </label>
          </div>
          {error !== null && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" className="btn" onClick={closeSequenceDialog}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary">
              Review…
            </button>
          </div>
        </form>
      )}
      {step.kind === 'confirm' && (
        <div>
          <p id="seq-summary" className="dialog-summary">
            Please confirm. The next logon of {name} will use:
          </p>
          <ul className="seq-restatement" aria-label="Sequence numbers to set">
            {sequenceRestatement(name, step, stats).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <div className="dialog-buttons">
            <button type="button" className="btn" onClick={() => setStep({ kind: 'edit' })} disabled={busy}>
              Back
            </button>
            <button type="button" className="btn btn-danger" onClick={() => void confirm({ ...(step.incoming !== undefined && { incoming: step.incoming }), ...(step.outgoing !== undefined && { outgoing: step.outgoing }) })} disabled={busy} data-autofocus>
              Set sequence numbers of {name}
            </button>
          </div>
        </div>
      )}
      {step.kind === 'done' && (
        <div>
          <p id="seq-summary" className={step.ok ? 'seq-result' : 'form-error'} role="status">
            {step.ok ? step.text : `Refused: ${step.text}`}
          </p>
          <div className="dialog-buttons">
            <button type="button" className="btn" onClick={closeSequenceDialog} data-autofocus>
              Close
            </button>
          </div>
        </div>
      )}
    </ModalDialog>
  );
}
