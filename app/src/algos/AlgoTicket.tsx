import { useState } from 'react';
import { ALGO_STRATEGIES, CHILD_STYLES } from '../../../shared/contract/algos';
import { SIDES } from '../../../shared/domain/order-types';
import { sideLabel } from '../format/labels';
import { callDesk, submitOrder } from '../store/actions';
import { BrokerAlgoPanel, useBrokerAlgoDefinitions } from '../ticket/BrokerAlgoPanel';
import type { BrokerAlgoForm } from '../ticket/broker-algo-form';
import { algoErrorsFromFields, brokerAlgoChoice, NO_BROKER_ALGO, validateBrokerAlgo } from '../ticket/broker-algo-form';
import { deskStore, useDesk } from '../store/desk-store';
import { deskNow, selectReference } from '../store/selectors';
import type { AlgoChoice, AlgoErrors, AlgoField, AlgoForm } from './algo-form';
import { algoRequest, brokerAlgoOrder, emptyAlgoForm, fieldsOf } from './algo-form';

const STRATEGY_LABELS: Record<AlgoChoice, string> = { twap: 'TWAP', vwap: 'VWAP', pov: 'POV (% of volume)', iceberg: 'Iceberg', broker: "Broker's own algo" };
const CHOICES: readonly AlgoChoice[] = [...ALGO_STRATEGIES, 'broker'];
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
  // The broker's own algo: its panel from the broker's FIXatdl file, checked as typed.
  const [brokerAlgo, setBrokerAlgo] = useState<BrokerAlgoForm>(NO_BROKER_ALGO);
  const [brokerAlgoDeskErrors, setBrokerAlgoDeskErrors] = useState<Readonly<Record<string, string>>>({});
  const [attempted, setAttempted] = useState(false);
  const definitions = useBrokerAlgoDefinitions(form.strategy === 'broker' ? form.broker : '');
  const brokerAlgoErrors = { ...validateBrokerAlgo(definitions, brokerAlgo), ...brokerAlgoDeskErrors };
  const update = <K extends AlgoField>(key: K, value: AlgoForm[K]) => {
    const next = { ...form, [key]: value };
    setForm(next);
    // Another broker publishes other algos: the choice does not carry over.
    if (key === 'broker' || key === 'strategy') {
      setBrokerAlgo(NO_BROKER_ALGO);
      setBrokerAlgoDeskErrors({});
    }
    // Inline: a field already in error is checked again as it changes.
    if (errors[key] !== undefined) {
      const checked = algoRequest(next, deskNow(deskStore.getState()).getTime());
      setErrors(checked.ok ? {} : { ...errors, [key]: checked.errors[key] });
    }
  };
  async function routeToBroker() {
    setAttempted(true);
    const choice = brokerAlgoChoice(brokerAlgo);
    const checked = brokerAlgoOrder(form, choice);
    if (!checked.ok || Object.keys(validateBrokerAlgo(definitions, brokerAlgo)).length > 0) {
      setErrors(checked.ok ? {} : checked.errors);
      return;
    }
    setSending(true);
    const result = await submitOrder(checked.ticket);
    setSending(false);
    if (!result.ok) {
      setErrors({ ...(result.error.fields as AlgoErrors | undefined), form: result.error.message });
      setBrokerAlgoDeskErrors(algoErrorsFromFields(result.error.fields ?? {}));
      return;
    }
    setErrors({});
    setAttempted(false);
    setStatus(`Order ${result.value.orderId} routed to ${checked.ticket.broker}'s ${choice?.strategy ?? ''}`);
  }
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (form.strategy === 'broker') return routeToBroker();
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
              {CHOICES.map((s) => (
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
        {fields.has('minutes') && text('minutes')}
        {fields.has('slices') && text('slices', 'numeric')}
        {fields.has('targetRatePct') && text('targetRatePct')}
        {fields.has('displayQty') && text('displayQty')}
        {fields.has('childStyle') && (
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
        )}
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
        {form.strategy === 'broker' && definitions !== undefined && (
          <BrokerAlgoPanel
            idPrefix="algo-ticket"
            definitions={definitions}
            form={brokerAlgo}
            showAll={attempted}
            errors={brokerAlgoErrors}
            onChange={(next) => {
              setBrokerAlgo(next);
              setBrokerAlgoDeskErrors({});
            }}
          />
        )}
        {form.strategy === 'broker' && definitions === undefined && <p className="field-wide">{form.broker} publishes no algorithms of its own.</p>}
      </div>
      {errors.form !== undefined && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" className="btn btn-submit" disabled={sending} aria-busy={sending}>
        {form.strategy === 'broker' ? "Send to the broker's algo" : 'Start algo'}
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
