import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import { groupDecimal } from '../format/decimal';
import { orderTypeLabel, sideLabel, timeInForceLabel } from '../format/labels';
import { pushLocalAlert, submitOrder } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { selectReference } from '../store/selectors';
import type { TicketErrors, TicketField, TicketForm } from './ticket-form';
import {
  emptyTicket,
  errorsFromDeskError,
  expireDateApplies,
  limitPriceApplies,
  stopPriceApplies,
  TICKET_FIELDS,
  validateTicket,
} from './ticket-form';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly error: string | undefined;
  readonly children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
  readonly wide?: boolean;
}

function Field({ id, label, error, children, wide }: FieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={`field${wide ? ' field-wide' : ''}${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <div id={errorId} className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}

/** The order ticket: keyboard first (F2 focuses it, Enter submits), validated with the desk's own schema. */
export function OrderTicket() {
  const reference = useDesk(selectReference);
  const focusRequest = useDesk((s) => s.ticketFocusRequest);
  const [form, setForm] = useState<TicketForm>(() => emptyTicket());
  const [touched, setTouched] = useState<ReadonlySet<TicketField>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [deskErrors, setDeskErrors] = useState<TicketErrors>({});
  const [sending, setSending] = useState(false);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const baseId = useId();
  const idOf = (field: TicketField) => `${baseId}-${field}`;

  // Reference data arrives with the snapshot: default to the first account and broker.
  useEffect(() => {
    setForm((f) => ({
      ...f,
      account: reference.accounts.includes(f.account) ? f.account : (reference.accounts[0] ?? ''),
      broker: reference.brokers.includes(f.broker) ? f.broker : (reference.brokers[0] ?? ''),
    }));
  }, [reference]);

  useEffect(() => {
    if (focusRequest.seq === 0) return;
    const { side, prefill } = focusRequest;
    if (side) setForm((f) => ({ ...f, side }));
    if (prefill !== undefined) {
      // Re-ticket or reverse: the order's values, to review; nothing is sent until Submit.
      setForm({ ...prefill, limitPrice: prefill.limitPrice ?? '', stopPrice: prefill.stopPrice ?? '', expireDate: prefill.expireDate ?? '' });
      setTouched(new Set());
      setAttempted(false);
      setDeskErrors({});
      setConfirmation(null);
    }
    // Re-ticket lands on the quantity (what one changes most); F2 on the instrument.
    const field = document.getElementById(`${baseId}-${prefill !== undefined ? 'quantity' : 'instrumentId'}`) as HTMLInputElement | null;
    field?.focus();
    field?.select();
  }, [focusRequest, baseId]);

  const validation = useMemo(() => validateTicket(form), [form]);
  const clientErrors: TicketErrors = validation.ok ? {} : validation.errors;
  const errorFor = (field: TicketField): string | undefined =>
    deskErrors[field] ?? (attempted || touched.has(field) ? clientErrors[field] : undefined);

  const update = <F extends TicketField>(field: F, value: TicketForm[F]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setDeskErrors((e) => {
      if (e[field] === undefined && e.form === undefined) return e;
      const { [field]: _field, form: _form, ...rest } = e;
      return rest;
    });
    setConfirmation(null);
  };
  const touch = (field: TicketField) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));

  const focusFirstError = (errors: TicketErrors) => {
    const first = TICKET_FIELDS.find((f) => errors[f] !== undefined);
    if (first) document.getElementById(idOf(first))?.focus();
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    setAttempted(true);
    if (!validation.ok) {
      focusFirstError(validation.errors);
      return;
    }
    const ticket = validation.ticket;
    setSending(true);
    try {
      const result = await submitOrder(ticket);
      if (result.ok) {
        setConfirmation(`Sent ${sideLabel(ticket.side)} ${groupDecimal(ticket.quantity)} ${ticket.instrumentId}: order ${result.value.orderId}`);
        setAttempted(false);
        setTouched(new Set());
        setDeskErrors({});
      } else {
        const errors = errorsFromDeskError(result.error);
        setDeskErrors(errors);
        focusFirstError(errors);
        pushLocalAlert('error', `Order refused: ${result.error.message}`);
      }
    } finally {
      setSending(false);
    }
  }

  // Enter in a <select> does not submit a form natively; on a trading ticket it should.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement && !event.altKey) {
      event.preventDefault();
      formRef.current?.requestSubmit();
    }
  }

  const limitEnabled = limitPriceApplies(form.orderType);
  const stopEnabled = stopPriceApplies(form.orderType);
  const expireEnabled = expireDateApplies(form.timeInForce);
  const sideClass = form.side === 'buy' ? 'side-buy' : 'side-sell';
  const sideTone = form.side === 'buy' ? 'buy' : 'sell';
  const summary = [
    sideLabel(form.side),
    form.quantity.trim() ? groupDecimal(form.quantity.trim()) : '…',
    form.instrumentId.trim() || '…',
    limitEnabled && form.limitPrice.trim() ? `@ ${groupDecimal(form.limitPrice.trim())}` : '',
    stopEnabled && form.stopPrice.trim() ? `stop ${groupDecimal(form.stopPrice.trim())}` : '',
    orderTypeLabel(form.orderType),
    timeInForceLabel(form.timeInForce),
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <form ref={formRef} className={`ticket ticket-${sideTone}`} aria-labelledby={`${baseId}-title`} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <h2 id={`${baseId}-title`} className="panel-title">
        Order ticket <kbd>F2</kbd>
      </h2>
      <div className="ticket-grid">
        <Field id={idOf('instrumentId')} label="Instrument" error={errorFor('instrumentId')} wide>
          {(aria) => (
            <input
              {...aria}
              type="text"
              list={`${baseId}-instruments`}
              autoComplete="off"
              spellCheck={false}
              value={form.instrumentId}
              onChange={(e) => update('instrumentId', e.target.value)}
              onBlur={() => touch('instrumentId')}
            />
          )}
        </Field>
        <datalist id={`${baseId}-instruments`}>
          {reference.instruments.map((i) => (
            <option key={i.id} value={i.id}>
              {`${i.symbol} · ${i.description ? `${i.description} (${i.assetClass})` : i.assetClass}`}
            </option>
          ))}
        </datalist>
        <Field id={idOf('side')} label="Side" error={errorFor('side')}>
          {(aria) => (
            <select {...aria} className={`side-select ${sideClass}`} value={form.side} onChange={(e) => update('side', e.target.value as TicketForm['side'])}>
              {SIDES.map((s) => (
                <option key={s} value={s}>
                  {sideLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={idOf('quantity')} label="Quantity" error={errorFor('quantity')}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              className="num"
              value={form.quantity}
              onChange={(e) => update('quantity', e.target.value)}
              onBlur={() => touch('quantity')}
            />
          )}
        </Field>
        <Field id={idOf('orderType')} label="Order type" error={errorFor('orderType')}>
          {(aria) => (
            <select {...aria} value={form.orderType} onChange={(e) => update('orderType', e.target.value as TicketForm['orderType'])}>
              {ORDER_TYPES.map((t) => (
                <option key={t} value={t}>
                  {orderTypeLabel(t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={idOf('limitPrice')} label="Limit price" error={limitEnabled ? errorFor('limitPrice') : undefined}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              className="num"
              disabled={!limitEnabled}
              value={limitEnabled ? form.limitPrice : ''}
              placeholder={limitEnabled ? '' : 'n/a'}
              onChange={(e) => update('limitPrice', e.target.value)}
              onBlur={() => touch('limitPrice')}
            />
          )}
        </Field>
        <Field id={idOf('stopPrice')} label="Stop price" error={stopEnabled ? errorFor('stopPrice') : undefined}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              className="num"
              disabled={!stopEnabled}
              value={stopEnabled ? form.stopPrice : ''}
              placeholder={stopEnabled ? '' : 'n/a'}
              onChange={(e) => update('stopPrice', e.target.value)}
              onBlur={() => touch('stopPrice')}
            />
          )}
        </Field>
        <Field id={idOf('timeInForce')} label="Time in force" error={errorFor('timeInForce')}>
          {(aria) => (
            <select {...aria} value={form.timeInForce} onChange={(e) => update('timeInForce', e.target.value as TicketForm['timeInForce'])}>
              {TIME_IN_FORCES.map((t) => (
                <option key={t} value={t}>
                  {timeInForceLabel(t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={idOf('expireDate')} label="Expire date" error={expireEnabled ? errorFor('expireDate') : undefined}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              disabled={!expireEnabled}
              value={expireEnabled ? form.expireDate : ''}
              onChange={(e) => update('expireDate', e.target.value)}
              onBlur={() => touch('expireDate')}
            />
          )}
        </Field>
        <Field id={idOf('account')} label="Account" error={errorFor('account')}>
          {(aria) => (
            <select {...aria} value={form.account} onChange={(e) => update('account', e.target.value)}>
              {reference.accounts.length === 0 && <option value="">No accounts</option>}
              {reference.accounts.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={idOf('broker')} label="Broker" error={errorFor('broker')}>
          {(aria) => (
            <select {...aria} value={form.broker} onChange={(e) => update('broker', e.target.value)}>
              {reference.brokers.length === 0 && <option value="">No brokers</option>}
              {reference.brokers.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p className="ticket-summary">
        {summary}
      </p>
      {(deskErrors.form ?? (attempted ? clientErrors.form : undefined)) && (
        <p className="form-error" role="alert">
          {deskErrors.form ?? clientErrors.form}
        </p>
      )}
      <button type="submit" className={`btn btn-submit btn-${sideTone}`} disabled={sending} aria-busy={sending}>
        Submit order
      </button>
      <p className="ticket-confirmation" role="status">
        {confirmation}
      </p>
    </form>
  );
}
