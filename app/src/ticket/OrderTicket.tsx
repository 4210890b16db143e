import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { InstrumentDetails, OrderPreview } from '../../../shared/contract/instruments';
import type { Instrument } from '../../../shared/domain/instrument';
import { quantityUnit } from '../../../shared/domain/instrument';
import { ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import { groupDecimal } from '../format/decimal';
import { orderTypeLabel, sideLabel, timeInForceLabel } from '../format/labels';
import { InstrumentPicker } from '../instruments/InstrumentPicker';
import { knownInstrument, rememberInstruments } from '../instruments/instrument-cache';
import { CLASS_BADGES, CLASS_NAMES, priceLabel, quantityLabel } from '../instruments/instrument-terms';
import { QuoteStrip } from '../quotes/QuoteStrip';
import { callDesk, pushLocalAlert, submitOrder } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { selectReference } from '../store/selectors';
import { InstrumentCard, PreviewLines } from './TicketInstrument';
import { previewErrors, previewRequest } from './ticket-preview';
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
  const [instrument, setInstrument] = useState<Instrument | undefined>(undefined);
  const [details, setDetails] = useState<InstrumentDetails | undefined>(undefined);
  const [preview, setPreview] = useState<OrderPreview | undefined>(undefined);
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
    const { side, prefill, instrument: pick } = focusRequest;
    if (side) setForm((f) => ({ ...f, side }));
    if (pick !== undefined) {
      // From the market watch: this instrument (and the bid or ask chosen as the limit); the rest kept.
      setForm((f) => ({ ...f, instrumentId: pick.instrumentId, ...(pick.limitPrice !== undefined && { orderType: f.orderType === 'market' || f.orderType === 'stop' ? 'limit' : f.orderType, limitPrice: pick.limitPrice }) }));
      if (pick.instrumentId !== instrument?.id) setInstrument(knownInstrument(pick.instrumentId));
      setDeskErrors({});
      setConfirmation(null);
    }
    if (prefill !== undefined) {
      // Re-ticket or reverse: the order's values, to review; nothing is sent until Submit.
      setForm({ ...prefill, limitPrice: prefill.limitPrice ?? '', stopPrice: prefill.stopPrice ?? '', expireDate: prefill.expireDate ?? '' });
      if (prefill.instrumentId !== instrument?.id) setInstrument(knownInstrument(prefill.instrumentId));
      setTouched(new Set());
      setAttempted(false);
      setDeskErrors({});
      setConfirmation(null);
    }
    // Re-ticket lands on the quantity (what one changes most); F2 on the instrument.
    const field = document.getElementById(`${baseId}-${prefill !== undefined || pick !== undefined ? 'quantity' : 'instrumentId'}`) as HTMLInputElement | null;
    field?.focus();
    field?.select();
    // The instrument's terms are loaded below, by its id.
  }, [focusRequest, baseId]);

  // The instrument's terms today (units, value date, accrued, expired), and the instrument itself after a prefill.
  useEffect(() => {
    if (form.instrumentId === '') {
      setDetails(undefined);
      return;
    }
    let current = true;
    void callDesk('getInstrument', { instrumentId: form.instrumentId }).then((result) => {
      if (!current) return;
      if (result.ok) {
        rememberInstruments([result.value.instrument]);
        setDetails(result.value);
        setInstrument((i) => (i?.id === result.value.instrument.id ? i : result.value.instrument));
      } else {
        setDetails(undefined);
        setDeskErrors((e) => ({ ...e, instrumentId: result.error.message }));
      }
    });
    return () => {
      current = false;
    };
  }, [form.instrumentId]);

  // What the order would be (notional with the multiplier, accrued interest, problems), as it is typed.
  const previewKey = previewRequest(form, instrument);
  const previewKeyText = previewKey === undefined ? '' : JSON.stringify(previewKey);
  useEffect(() => {
    if (previewKey === undefined) {
      setPreview(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void callDesk('previewOrder', previewKey).then((result) => {
        if (current) setPreview(result.ok ? result.value : undefined);
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // previewKey is rebuilt each render; its text says when it changed.
  }, [previewKeyText]);

  const valueDate = instrument?.assetClass === 'fx' && details?.instrument.id === instrument.id ? details.settlementDate : undefined;
  const validation = useMemo(() => validateTicket(form, instrument, valueDate), [form, instrument, valueDate]);
  const clientErrors: TicketErrors = { ...previewErrors(preview, form.instrumentId), ...(validation.ok ? {} : validation.errors) };
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
        setConfirmation(`Sent ${sideLabel(ticket.side)} ${groupDecimal(ticket.quantity)} ${instrument?.symbol ?? ticket.instrumentId}: order ${result.value.orderId}`);
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
    instrument !== undefined ? quantityUnit(instrument) : '',
    instrument?.symbol ?? '…',
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
            <InstrumentPicker
              {...aria}
              value={instrument}
              onPick={(picked) => {
                setInstrument(picked);
                update('instrumentId', picked.id);
              }}
              onClear={() => {
                setInstrument(undefined);
                update('instrumentId', '');
              }}
              onBlur={() => touch('instrumentId')}
            />
          )}
        </Field>
        {instrument !== undefined && (
          <div className="field-wide ticket-instrument">
            <InstrumentCard instrument={instrument} details={details?.instrument.id === instrument.id ? details : undefined} />
            <QuoteStrip
              instrument={instrument}
              onPrice={(price) => {
                // A market order becomes a limit at that price; a stop a stop-limit.
                if (!limitPriceApplies(form.orderType)) update('orderType', form.orderType === 'stop' ? 'stopLimit' : 'limit');
                update('limitPrice', price);
              }}
            />
          </div>
        )}
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
        <Field id={idOf('quantity')} label={quantityLabel(instrument)} error={errorFor('quantity')}>
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
        <Field id={idOf('limitPrice')} label={priceLabel('Limit', instrument)} error={limitEnabled ? errorFor('limitPrice') : undefined}>
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
        <Field id={idOf('stopPrice')} label={priceLabel('Stop', instrument)} error={stopEnabled ? errorFor('stopPrice') : undefined}>
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
        {instrument !== undefined && (
          <span className={`class-badge class-${instrument.assetClass}`} title={CLASS_NAMES[instrument.assetClass]}>
            {CLASS_BADGES[instrument.assetClass]}
          </span>
        )}{' '}
        {summary}
      </p>
      {/* The slot keeps its room while the preview arrives, so Submit never moves under the pointer. */}
      <div className="ticket-preview-slot">{instrument !== undefined && preview !== undefined && preview.details.instrument.id === instrument.id && <PreviewLines preview={preview} />}</div>
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
