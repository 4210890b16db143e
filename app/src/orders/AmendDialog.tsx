import type { FormEvent } from 'react';
import { useState } from 'react';
import type { OrderView } from '../../../shared/contract/views';
import { groupDecimal } from '../format/decimal';
import { orderStatusText, orderTypeLabel, sideLabel } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { closeAmend, sendAmend } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { amendRefusal, hasLimitPrice, hasStopPrice } from '../store/order-rules';
import { brokerCapabilities } from '../store/selectors';
import type { AmendErrors, AmendField, AmendForm } from './amend-form';
import { amendErrorsFromFields, amendFormFromOrder, validateAmend } from './amend-form';

export function AmendDialog() {
  const orderId = useDesk((s) => s.amendOrderId);
  const order = useDesk((s) => (s.amendOrderId === null ? undefined : s.data.orders.get(s.amendOrderId)));
  if (orderId === null || order === undefined) return null;
  return <AmendDialogBody key={orderId} order={order} />;
}

const FIELDS: ReadonlyArray<{ field: AmendField; label: string }> = [
  { field: 'quantity', label: 'New quantity' },
  { field: 'limitPrice', label: 'New limit price' },
  { field: 'stopPrice', label: 'New stop price' },
];

function AmendDialogBody({ order }: { order: OrderView }) {
  // Prefilled once, when the dialog opens; the order's live state is shown above the fields.
  const [form, setForm] = useState<AmendForm>(() => amendFormFromOrder(order));
  const [errors, setErrors] = useState<AmendErrors>({});
  const [sending, setSending] = useState(false);
  const refusal = useDesk((s) => amendRefusal(order, brokerCapabilities(s, order.broker)));
  const amendable = refusal === undefined;

  const enabled = (field: AmendField) =>
    field === 'quantity' || (field === 'limitPrice' ? hasLimitPrice(order) : hasStopPrice(order));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending || !amendable) return;
    const validation = validateAmend(order, form);
    if (!validation.ok) {
      setErrors(validation.errors);
      return;
    }
    setSending(true);
    try {
      const result = await sendAmend(validation.request);
      if (!result.ok) setErrors(amendErrorsFromFields(result.error.fields, result.error.message));
    } finally {
      setSending(false);
    }
  }

  return (
    <ModalDialog titleId="amend-title" describedBy="amend-order-summary" onClose={closeAmend} className="amend-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="amend-title">Amend order {order.orderId}</h2>
        <p id="amend-order-summary" className="dialog-summary">
          <span className={order.side === 'buy' ? 'side-buy' : 'side-sell'}>{sideLabel(order.side)}</span> {groupDecimal(order.quantity)}{' '}
          {order.symbol} {order.limitPrice ? `@ ${groupDecimal(order.limitPrice)}` : ''} {orderTypeLabel(order.orderType)} · {order.broker} ·{' '}
          {orderStatusText(order)} · filled {groupDecimal(order.cumQty)}
        </p>
        {!amendable && (
          <p className="form-error" role="alert">
            This order cannot be amended: {refusal}.
          </p>
        )}
        <div className="dialog-fields">
          {FIELDS.map(({ field, label }) => {
            const id = `amend-${field}`;
            const error = enabled(field) ? errors[field] : undefined;
            return (
              <div key={field} className={`field${error ? ' has-error' : ''}`}>
                <label htmlFor={id}>{label}</label>
                <input
                  id={id}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  className="num"
                  data-autofocus={field === 'quantity' ? true : undefined}
                  onFocus={(e) => e.currentTarget.select()}
                  disabled={!enabled(field)}
                  placeholder={enabled(field) ? '' : 'n/a'}
                  value={enabled(field) ? form[field] : ''}
                  aria-invalid={error !== undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => {
                    const value = e.target.value;
                    setForm((f) => ({ ...f, [field]: value }));
                    setErrors((er) => ({ ...er, [field]: undefined, form: undefined }));
                  }}
                />
                {error && (
                  <div id={`${id}-error`} className="field-error">
                    {error}
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={closeAmend}>
            Close
          </button>
          <button type="submit" className="btn btn-primary" disabled={sending || !amendable} aria-busy={sending}>
            Send amend
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
