import { useState } from 'react';
import { ALGO_STRATEGIES, CHILD_STYLES } from '../../../shared/contract/algos';
import { SIDES } from '../../../shared/domain/order-types';
import { sideLabel } from '../format/labels';
import { callDesk } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { deskNow, selectReference } from '../store/selectors';
import type { AlgoErrors, AlgoField, AlgoForm } from './algo-form';
import { algoRequest, emptyAlgoForm, fieldsOf } from './algo-form';

const STRATEGY_LABELS = { twap: 'TWAP', vwap: 'VWAP', pov: 'POV (% of volume)', iceberg: 'Iceberg' } as const;
const STYLE_LABELS = { passive: 'Passive (join)', atTouch: 'At touch', aggressive: 'Aggressive' } as const;
const LABELS: Record<AlgoField, string> = {
  strategy: 'Strategy',
  instrumentId: 'Instrument',
  side: 'Side',
  quantity: 'Quantity',
  limitPrice: 'Limit price',
  minutes: 'Duration (minutes)',
  slices: 'Slices',
  childStyle: 'Child style',
  targetRatePct: 'Target rate (%)',
  displayQty: 'Display quantity',
  account: 'Account',
  broker: 'Broker',
};

/** The algo ticket: strategy and parameters, checked with the desk's own schema as typed. */
export function AlgoTicket({ onStarted }: { onStarted: (parentId: string) => void }) {
  const reference = useDesk(selectReference);
  const [form, setForm] = useState<AlgoForm>(() => emptyAlgoForm(reference));
  const [errors, setErrors] = useState<AlgoErrors>({});
  const [sending, setSending] = useState(false);
  const [status, setStatus] = useState('');
  const fields = fieldsOf(form.strategy);
  const update = <K extends AlgoField>(key: K, value: AlgoForm[K]) => {
    const next = { ...form, [key]: value };
    setForm(next);
    // Inline: a field already in error is checked again as it changes.
    if (errors[key] !== undefined) {
      const checked = algoRequest(next, deskNow(deskStore.getState()).getTime());
      setErrors(checked.ok ? {} : { ...errors, [key]: checked.errors[key] });
    }
  };
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const checked = algoRequest(form, deskNow(deskStore.getState()).getTime());
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setSending(true);
    const result = await callDesk('startAlgo', checked.request);
    setSending(false);
    if (!result.ok) {
      setErrors({ ...(result.error.fields as AlgoErrors | undefined), form: result.error.message });
      return;
    }
    setErrors({});
    setStatus(`Algo ${result.value.parentId} started`);
    onStarted(result.value.parentId);
  }
  const text = (key: AlgoField, inputMode: 'decimal' | 'numeric' = 'decimal') => (
    <Field key={key} id={`algo-${key}`} label={LABELS[key]} error={errors[key]}>
      {(aria) => <input {...aria} type="text" inputMode={inputMode} autoComplete="off" className="num" value={form[key]} onChange={(e) => update(key, e.target.value)} />}
    </Field>
  );
  return (
    <form className="algo-ticket ticket" aria-label="Algo ticket" onSubmit={(e) => void submit(e)} noValidate>
      <div className="ticket-grid">
        <Field id="algo-strategy" label={LABELS.strategy} error={errors.strategy}>
          {(aria) => (
            <select {...aria} value={form.strategy} onChange={(e) => update('strategy', e.target.value as AlgoForm['strategy'])}>
              {ALGO_STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {STRATEGY_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="algo-instrumentId" label={LABELS.instrumentId} error={errors.instrumentId}>
          {(aria) => (
            <select {...aria} value={form.instrumentId} onChange={(e) => update('instrumentId', e.target.value)}>
              {reference.instruments.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="algo-side" label={LABELS.side} error={errors.side}>
          {(aria) => (
            <select {...aria} value={form.side} onChange={(e) => update('side', e.target.value as AlgoForm['side'])}>
              {SIDES.map((s) => (
                <option key={s} value={s}>
                  {sideLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('quantity')}
        {text('limitPrice')}
        {text('minutes')}
        {fields.has('slices') && text('slices', 'numeric')}
        {fields.has('targetRatePct') && text('targetRatePct')}
        {fields.has('displayQty') && text('displayQty')}
        <Field id="algo-childStyle" label={LABELS.childStyle} error={errors.childStyle}>
          {(aria) => (
            <select {...aria} value={form.childStyle} onChange={(e) => update('childStyle', e.target.value as AlgoForm['childStyle'])}>
              {CHILD_STYLES.map((s) => (
                <option key={s} value={s}>
                  {STYLE_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="algo-account" label={LABELS.account} error={errors.account}>
          {(aria) => (
            <select {...aria} value={form.account} onChange={(e) => update('account', e.target.value)}>
              {reference.accounts.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="algo-broker" label={LABELS.broker} error={errors.broker}>
          {(aria) => (
            <select {...aria} value={form.broker} onChange={(e) => update('broker', e.target.value)}>
              {reference.brokers.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {errors.form !== undefined && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" className="btn btn-submit" disabled={sending} aria-busy={sending}>
        Start algo
      </button>
      <p className="ticket-confirmation" role="status">
        {status}
      </p>
    </form>
  );
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly error: string | undefined;
  readonly children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => React.ReactNode;
}

function Field({ id, label, error, children }: FieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
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
