import { useEffect, useState } from 'react';
import type { AlgoDefinitions } from '../../../shared/domain/broker-algo';
import { callDesk } from '../store/actions';
import type { AlgoErrors, BrokerAlgoForm } from './broker-algo-form';
import { algoFields, initialAlgoValues, NO_BROKER_ALGO } from './broker-algo-form';

/** Each broker's algorithms, asked once per window (they come from the desk's config, fixed while it runs). */
const asked = new Map<string, Promise<AlgoDefinitions | undefined>>();

export function useBrokerAlgoDefinitions(broker: string): AlgoDefinitions | undefined {
  const [definitions, setDefinitions] = useState<{ broker: string; definitions: AlgoDefinitions | undefined }>();
  useEffect(() => {
    if (broker === '') return;
    let current = true;
    let answer = asked.get(broker);
    if (answer === undefined) {
      // Only an answer is kept: a failed call (not connected yet) is asked again next time.
      answer = callDesk('getAlgoDefinitions', { broker }).then((r) => {
        if (!r.ok) asked.delete(broker);
        return r.ok ? r.value.definitions : undefined;
      });
      asked.set(broker, answer);
    }
    void answer.then((d) => {
      if (current) setDefinitions({ broker, definitions: d });
    });
    return () => {
      current = false;
    };
  }, [broker]);
  return definitions?.broker === broker ? definitions.definitions : undefined;
}

interface BrokerAlgoPanelProps {
  readonly idPrefix: string;
  readonly definitions: AlgoDefinitions;
  readonly form: BrokerAlgoForm;
  readonly onChange: (form: BrokerAlgoForm) => void;
  /** By parameter name ('' for the strategy). */
  readonly errors: AlgoErrors;
  /** After a submit attempt every error shows; before, only those of fields left. */
  readonly showAll: boolean;
}

/** The broker's own algorithms, rendered from its FIXatdl file: a strategy, then its parameters in the file's layout. */
export function BrokerAlgoPanel({ idPrefix, definitions, form, onChange, errors, showAll }: BrokerAlgoPanelProps) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const strategy = definitions.strategies.find((s) => s.name === form.strategy);
  const idOf = (name: string) => `${idPrefix}-algo-${name}`;
  const errorOf = (name: string) => (showAll || touched.has(name) ? errors[name] : undefined);
  const touch = (name: string) => setTouched((t) => (t.has(name) ? t : new Set(t).add(name)));
  const set = (name: string, value: string) => onChange({ ...form, values: { ...form.values, [name]: value } });
  const strategyError = errorOf('');

  return (
    <div className="field-wide broker-algo" role="group" aria-label="The broker's own algorithm">
      <div className={`field${strategyError ? ' has-error' : ''}`}>
        <label id={`${idPrefix}-algo-title`} htmlFor={idOf('strategy')}>
          Broker algo
        </label>
        <select
          id={idOf('strategy')}
          value={form.strategy}
          aria-invalid={strategyError !== undefined}
          aria-describedby={strategyError ? `${idOf('strategy')}-error` : undefined}
          onChange={(e) => {
            const next = definitions.strategies.find((s) => s.name === e.target.value);
            setTouched(new Set());
            onChange(next === undefined ? NO_BROKER_ALGO : { strategy: next.name, values: initialAlgoValues(next) });
          }}
        >
          <option value="">None (the broker works it as it is)</option>
          {definitions.strategies.map((s) => (
            <option key={s.name} value={s.name}>
              {s.label}
            </option>
          ))}
        </select>
        {strategyError && (
          <div id={`${idOf('strategy')}-error`} className="field-error">
            {strategyError}
          </div>
        )}
      </div>
      {strategy !== undefined && (
        <div className="broker-algo-parameters">
          {algoFields(strategy).map(({ parameter: p, label, input, placeholder }) => {
            const id = idOf(p.name);
            const error = errorOf(p.name);
            const value = form.values[p.name] ?? '';
            const aria = { id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${id}-error` : undefined, 'aria-required': p.required };
            return (
              <div key={p.name} className={`field${error ? ' has-error' : ''}`}>
                <label htmlFor={id}>
                  {label}
                  {p.required && (
                    <span className="required-mark" aria-hidden="true">
                      {' '}
                      *
                    </span>
                  )}
                </label>
                {input === 'select' && (
                  <select {...aria} value={value} onChange={(e) => set(p.name, e.target.value)} onBlur={() => touch(p.name)}>
                    {(!p.required || value === '') && <option value="">{p.required ? 'Choose…' : '—'}</option>}
                    {(p.choices ?? []).map((c) => (
                      <option key={c.enumId} value={c.wireValue}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                )}
                {input === 'checkbox' && (
                  <input
                    {...aria}
                    type="checkbox"
                    checked={value === (p.trueWireValue ?? 'Y')}
                    onChange={(e) => set(p.name, e.target.checked ? (p.trueWireValue ?? 'Y') : (p.falseWireValue ?? 'N'))}
                    onBlur={() => touch(p.name)}
                  />
                )}
                {input === 'text' && (
                  <input {...aria} type="text" autoComplete="off" className="num" placeholder={placeholder} value={value} onChange={(e) => set(p.name, e.target.value)} onBlur={() => touch(p.name)} />
                )}
                {error && (
                  <div id={`${id}-error`} className="field-error">
                    {error}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
