import type { FormEvent } from 'react';
import { useState } from 'react';
import type { SettleOutcome } from '../../../shared/contract/ticket';
import type { OrderView } from '../../../shared/contract/views';
import { groupDecimal } from '../format/decimal';
import { orderStatusText, sideLabel } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { closeSettle, settleOrder } from '../store/actions';
import { useDesk } from '../store/desk-store';

const OUTCOMES: ReadonlyArray<{ value: SettleOutcome; label: string; allowed: (o: OrderView) => boolean }> = [
  { value: 'asShown', label: 'As shown: the broker has it so (our unanswered requests did not happen)', allowed: () => true },
  { value: 'canceled', label: 'Canceled: the broker no longer works it', allowed: (o) => o.status !== 'filled' },
  { value: 'rejected', label: 'Never received by the broker', allowed: (o) => o.status === 'pendingNew' && o.cumQty === '0' },
];

/**
 * Settles an order in doubt (the broker refuses or ignores status requests), after checking with the
 * broker by phone: what was found and why, journaled by the desk with who and when (the order's
 * history shows it).
 */
export function SettleDialog() {
  const order = useDesk((s) => (s.settleOrderId === null ? undefined : s.data.orders.get(s.settleOrderId)));
  if (order === undefined) return null;
  return <SettleDialogBody key={order.orderId} order={order} />;
}

function SettleDialogBody({ order }: { order: OrderView }) {
  const [outcome, setOutcome] = useState<SettleOutcome>('asShown');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    if (reason.trim().length < 3) {
      setError('Say what the broker confirmed, and who');
      return;
    }
    setSending(true);
    try {
      const result = await settleOrder({ orderId: order.orderId, outcome, reason: reason.trim() });
      if (!result.ok) setError(result.error.fields?.reason ?? result.error.fields?.outcome ?? result.error.message);
    } finally {
      setSending(false);
    }
  }

  return (
    <ModalDialog titleId="settle-title" describedBy="settle-summary" onClose={closeSettle} className="settle-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="settle-title">Mark order {order.orderId} settled</h2>
        <p id="settle-summary" className="dialog-summary">
          {sideLabel(order.side)} {groupDecimal(order.quantity)} {order.symbol} · {order.broker} · {orderStatusText(order)}
          <br />
          <span className="muted">{order.uncertain?.reason}</span>
        </p>
        <fieldset className="dialog-fields">
          <legend>What the broker confirmed</legend>
          {OUTCOMES.filter((o) => o.allowed(order)).map((o) => (
            <label key={o.value} className="checkbox-label">
              <input type="radio" name="settle-outcome" value={o.value} checked={outcome === o.value} onChange={() => setOutcome(o.value)} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="settle-reason">Reason (who at the broker confirmed what)</label>
          <input
            id="settle-reason"
            type="text"
            autoComplete="off"
            maxLength={500}
            data-autofocus
            value={reason}
            aria-invalid={error !== undefined}
            aria-describedby={error ? 'settle-reason-error' : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setError(undefined);
            }}
          />
          {error && (
            <div id="settle-reason-error" className="field-error">
              {error}
            </div>
          )}
        </div>
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={closeSettle}>
            Close
          </button>
          <button type="submit" className="btn btn-primary" disabled={sending} aria-busy={sending}>
            Mark settled
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
