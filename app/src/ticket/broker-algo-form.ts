import type { AlgoControl, AlgoDefinitions, AlgoParameter, AlgoStrategy, BrokerAlgoChoice } from '../../../shared/domain/broker-algo';
import { brokerAlgoProblems, isNumericType, isTimeType, parameterField, strategyField } from '../../../shared/domain/broker-algo';
import { sentenceCase } from '../format/labels';

/** What the broker-algo panel holds: the chosen strategy ('' for none) and each parameter as typed. */
export interface BrokerAlgoForm {
  readonly strategy: string;
  readonly values: Readonly<Record<string, string>>;
}

export const NO_BROKER_ALGO: BrokerAlgoForm = { strategy: '', values: {} };

/** A parameter as the panel shows it: from its control in the file's layout, else by its name. */
export interface AlgoFieldView {
  readonly parameter: AlgoParameter;
  readonly label: string;
  readonly input: 'select' | 'checkbox' | 'text';
  readonly placeholder: string;
}

/** The strategy's parameters in the layout's order (those no control shows come last). */
export function algoFields(strategy: AlgoStrategy): AlgoFieldView[] {
  const shown = new Map<string, AlgoControl>();
  for (const c of strategy.controls) if (c.parameter !== undefined && !shown.has(c.parameter)) shown.set(c.parameter, c);
  const ordered = [...strategy.parameters].sort((a, b) => rank(strategy, a.name) - rank(strategy, b.name));
  return ordered.map((parameter) => {
    const control = shown.get(parameter.name);
    const input = parameter.choices !== undefined ? 'select' : parameter.type === 'Boolean_t' || control?.kind === 'CheckBox_t' ? 'checkbox' : 'text';
    return { parameter, label: control?.label ?? parameter.name, input, placeholder: placeholderOf(parameter) };
  });
}

function rank(strategy: AlgoStrategy, name: string): number {
  const i = strategy.controls.findIndex((c) => c.parameter === name);
  return i < 0 ? strategy.controls.length + strategy.parameters.findIndex((p) => p.name === name) : i;
}

function placeholderOf(p: AlgoParameter): string {
  if (isTimeType(p.type)) return { UTCTimestamp_t: 'YYYYMMDD-HH:MM:SS', UTCTimeOnly_t: 'HH:MM:SS', LocalMktDate_t: 'YYYYMMDD', MonthYear_t: 'YYYYMM' }[p.type];
  if (isNumericType(p.type) && (p.minValue !== undefined || p.maxValue !== undefined)) return `${p.minValue ?? '…'} – ${p.maxValue ?? '…'}`;
  return '';
}

/** The values the layout starts with (a list's initValue names an enumID; a check box's is true/false). */
export function initialAlgoValues(strategy: AlgoStrategy): Record<string, string> {
  const values: Record<string, string> = {};
  for (const c of strategy.controls) {
    const p = strategy.parameters.find((x) => x.name === c.parameter);
    if (p === undefined || c.initValue === undefined) continue;
    if (p.choices !== undefined) {
      const pair = p.choices.find((x) => x.enumId === c.initValue);
      if (pair !== undefined) values[p.name] = pair.wireValue;
    } else if (p.type === 'Boolean_t') values[p.name] = c.initValue === 'true' ? (p.trueWireValue ?? 'Y') : (p.falseWireValue ?? 'N');
    else values[p.name] = c.initValue;
  }
  return values;
}

/** What the order carries: the strategy and the values typed (blank ones left out), or nothing. */
export function brokerAlgoChoice(form: BrokerAlgoForm): BrokerAlgoChoice | undefined {
  if (form.strategy === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(form.values)) if (value.trim() !== '') parameters[name] = value.trim();
  return { strategy: form.strategy, parameters };
}

/** Messages by parameter name ('' for the strategy itself), checked as the desk checks them. */
export type AlgoErrors = Readonly<Record<string, string>>;

export function validateBrokerAlgo(definitions: AlgoDefinitions | undefined, form: BrokerAlgoForm): AlgoErrors {
  const choice = brokerAlgoChoice(form);
  if (choice === undefined) return {};
  return algoErrorsFromFields(Object.fromEntries(Object.entries(brokerAlgoProblems(definitions, choice)).map(([field, p]) => [field, p.message])));
}

/** The desk's per-field messages (`brokerAlgo.parameters.<name>`, `brokerAlgo.strategy`) for the panel. */
export function algoErrorsFromFields(fields: Readonly<Record<string, string>>): AlgoErrors {
  const errors: Record<string, string> = {};
  const prefix = parameterField('');
  for (const [field, message] of Object.entries(fields)) {
    if (field === strategyField) errors[''] ??= sentenceCase(message);
    else if (field.startsWith(prefix)) errors[field.slice(prefix.length)] ??= sentenceCase(message);
  }
  return errors;
}
