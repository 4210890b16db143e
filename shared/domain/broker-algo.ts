/**
 * A broker's algorithms as its FIXatdl 1.1 file describes them (loaded and checked by the core,
 * electron/core/fixatdl/), and the one check of an order's parameter values against them: the
 * desk runs it before journaling an order, the ticket as the trader types, the simulator on receipt.
 * Values are the FIX wire text throughout (decimals as strings, Boolean_t as its wire values).
 */

/** The FIXatdl parameter types the desk takes (xsi:type), by how their values are checked. */
export const ALGO_INTEGER_TYPES = ['Int_t', 'Length_t', 'NumInGroup_t', 'SeqNum_t', 'TagNum_t'] as const;
export const ALGO_DECIMAL_TYPES = ['Float_t', 'Qty_t', 'Price_t', 'PriceOffset_t', 'Amt_t', 'Percentage_t'] as const;
export const ALGO_TEXT_TYPES = ['Char_t', 'String_t', 'MultipleCharValue_t', 'MultipleStringValue_t', 'Currency_t', 'Exchange_t'] as const;
export const ALGO_TIME_TYPES = ['UTCTimestamp_t', 'UTCTimeOnly_t', 'LocalMktDate_t', 'MonthYear_t'] as const;
export const ALGO_PARAMETER_TYPES = [...ALGO_INTEGER_TYPES, ...ALGO_DECIMAL_TYPES, ...ALGO_TEXT_TYPES, ...ALGO_TIME_TYPES, 'Boolean_t'] as const;
export type AlgoParameterType = (typeof ALGO_PARAMETER_TYPES)[number];

export interface AlgoEnumPair {
  readonly enumId: string;
  readonly wireValue: string;
  /** The label of the layout's ListItem for this enumID, else the enumID. */
  readonly label: string;
}

export interface AlgoParameter {
  readonly name: string;
  readonly type: AlgoParameterType;
  /** The broker's own tag for it; absent: it travels only in StrategyParametersGrp (957). */
  readonly fixTag?: number;
  readonly required: boolean;
  /** Numbers and times, as wire text. */
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly maxLength?: number;
  /** Boolean_t: what goes on the wire (FIXatdl's defaults Y / N). */
  readonly trueWireValue?: string;
  readonly falseWireValue?: string;
  /** The only values allowed (EnumPair), in the file's order. */
  readonly choices?: readonly AlgoEnumPair[];
}

/** A control of the strategy's layout, in the file's order: what the ticket's panel shows. */
export interface AlgoControl {
  readonly id: string;
  /** FIXatdl's control type without the namespace (TextField_t, DropDownList_t, CheckBox_t, Clock_t…). */
  readonly kind: string;
  readonly label: string;
  readonly parameter?: string;
  readonly initValue?: string;
}

export const EDIT_OPERATORS = ['EX', 'NX', 'EQ', 'NE', 'LT', 'LE', 'GT', 'GE'] as const;
export type EditOperator = (typeof EDIT_OPERATORS)[number];
export const LOGIC_OPERATORS = ['AND', 'OR', 'XOR', 'NOT'] as const;
export type LogicOperator = (typeof LOGIC_OPERATORS)[number];

/** FIXatdl's Edit: a comparison of a parameter with another or with a constant, or a logic node. */
export type AlgoEdit =
  | { readonly kind: 'compare'; readonly field: string; readonly operator: EditOperator; readonly field2?: string; readonly value?: string }
  | { readonly kind: 'logic'; readonly operator: LogicOperator; readonly edits: readonly AlgoEdit[] };

/** A StrategyEdit: the condition must hold, else the order is refused with the message. */
export interface AlgoRule {
  readonly edit: AlgoEdit;
  readonly errorMessage: string;
}

export interface AlgoStrategy {
  readonly name: string;
  readonly wireValue: string;
  readonly label: string;
  readonly version?: string;
  readonly parameters: readonly AlgoParameter[];
  readonly controls: readonly AlgoControl[];
  readonly rules: readonly AlgoRule[];
}

export interface AlgoDefinitions {
  /** The tag that names the strategy on the order (FIXatdl's strategyIdentifierTag; 847 TargetStrategy or the broker's own). */
  readonly strategyIdentifierTag: number;
  readonly versionIdentifierTag?: number;
  /** The broker takes parameters in StrategyParametersGrp (957-960). */
  readonly tag957Support: boolean;
  readonly strategies: readonly AlgoStrategy[];
}

/** What an order carries: the strategy's name and the values typed, by parameter name (wire text). */
export interface BrokerAlgoChoice {
  readonly strategy: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export const ALGO_PROBLEM_CODES = [
  'ALGO_NOT_OFFERED', // the broker publishes no algorithms
  'ALGO_UNKNOWN_STRATEGY',
  'ALGO_UNKNOWN_PARAMETER',
  'ALGO_REQUIRED',
  'ALGO_TYPE', // not a value of the parameter's type
  'ALGO_RANGE', // below minValue, above maxValue, longer than maxLength
  'ALGO_CHOICE', // not one of the EnumPairs
  'ALGO_RULE', // a StrategyEdit of the file does not hold
] as const;
export type AlgoProblemCode = (typeof ALGO_PROBLEM_CODES)[number];
export interface AlgoProblem {
  readonly code: AlgoProblemCode;
  readonly message: string;
}

/** Problems keyed by field: `brokerAlgo.strategy`, `brokerAlgo.parameters.<name>`. */
export type AlgoProblems = Record<string, AlgoProblem>;

export const strategyField = 'brokerAlgo.strategy';
export const parameterField = (name: string): string => `brokerAlgo.parameters.${name}`;

const INTEGER = /^-?(0|[1-9]\d{0,17})$/;
const DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,12})?$/;
const TIME_FORMATS: Record<(typeof ALGO_TIME_TYPES)[number], { readonly pattern: RegExp; readonly shape: string }> = {
  UTCTimestamp_t: { pattern: /^\d{8}-([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?$/, shape: 'YYYYMMDD-HH:MM:SS' },
  UTCTimeOnly_t: { pattern: /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?$/, shape: 'HH:MM:SS' },
  LocalMktDate_t: { pattern: /^\d{8}$/, shape: 'YYYYMMDD' },
  MonthYear_t: { pattern: /^\d{6}(\d{2}|w[1-5])?$/, shape: 'YYYYMM' },
};
const PRINTABLE = /^[\x20-\x7e]*$/;

export function isIntegerType(type: AlgoParameterType): boolean {
  return (ALGO_INTEGER_TYPES as readonly string[]).includes(type);
}
export function isNumericType(type: AlgoParameterType): boolean {
  return isIntegerType(type) || (ALGO_DECIMAL_TYPES as readonly string[]).includes(type);
}
export function isTimeType(type: AlgoParameterType): type is (typeof ALGO_TIME_TYPES)[number] {
  return (ALGO_TIME_TYPES as readonly string[]).includes(type);
}

/** Why a text is not a value of the type (before ranges and choices), or undefined. */
export function typeProblem(p: AlgoParameter, value: string): string | undefined {
  if (value.length === 0) return `${p.name} is empty`;
  if (!PRINTABLE.test(value) || value !== value.trim()) return `${p.name} may only contain printable ASCII, without spaces at the ends`;
  if (isIntegerType(p.type)) return INTEGER.test(value) ? undefined : `${p.name} must be a whole number`;
  if (isNumericType(p.type)) return DECIMAL.test(value) ? undefined : `${p.name} must be a decimal number (at most 12 decimal places)`;
  if (isTimeType(p.type)) {
    const { pattern, shape } = TIME_FORMATS[p.type];
    return pattern.test(value) ? undefined : `${p.name} must be a time written ${shape}`;
  }
  if (p.type === 'Boolean_t') {
    const yes = p.trueWireValue ?? 'Y';
    const no = p.falseWireValue ?? 'N';
    return value === yes || value === no ? undefined : `${p.name} must be ${yes} or ${no}`;
  }
  if (p.type === 'Char_t' && value.length !== 1) return `${p.name} must be one character`;
  return undefined;
}

/**
 * Compares two values of a type: numbers exactly (fixed point, no floats), times and text by their
 * wire text (the time formats above sort as text). Negative, zero or positive.
 */
export function compareValues(type: AlgoParameterType, a: string, b: string): number {
  if (isNumericType(type)) {
    const x = fixedPoint(a);
    const y = fixedPoint(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function fixedPoint(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(whole + fraction.padEnd(12, '0').slice(0, 12));
  return negative ? -value : value;
}

/** Is the text a value of the parameter within its range, choices and length? (For the file's own constants too.) */
export function valueProblem(p: AlgoParameter, value: string): AlgoProblem | undefined {
  const wrongType = typeProblem(p, value);
  if (wrongType !== undefined) return { code: 'ALGO_TYPE', message: wrongType };
  if (p.choices !== undefined && !p.choices.some((c) => c.wireValue === value)) {
    return { code: 'ALGO_CHOICE', message: `${p.name} must be one of ${p.choices.map((c) => c.label).join(', ')}` };
  }
  if (p.minValue !== undefined && compareValues(p.type, value, p.minValue) < 0) return { code: 'ALGO_RANGE', message: `${p.name} must be at least ${p.minValue}` };
  if (p.maxValue !== undefined && compareValues(p.type, value, p.maxValue) > 0) return { code: 'ALGO_RANGE', message: `${p.name} must be at most ${p.maxValue}` };
  if (p.maxLength !== undefined && value.length > p.maxLength) return { code: 'ALGO_RANGE', message: `${p.name} is at most ${p.maxLength} characters` };
  return undefined;
}

/**
 * Checks an order's algo against the broker's definitions: the strategy, every value (type, range,
 * choices), the required ones, then the file's rules (StrategyEdit) once every value is sound. A
 * failed rule is reported on the first parameter it names. Empty: the order may go.
 */
export function brokerAlgoProblems(definitions: AlgoDefinitions | undefined, choice: BrokerAlgoChoice): AlgoProblems {
  const problems: AlgoProblems = {};
  if (definitions === undefined) return { [strategyField]: { code: 'ALGO_NOT_OFFERED', message: 'this broker publishes no algorithms' } };
  const strategy = definitions.strategies.find((s) => s.name === choice.strategy);
  if (strategy === undefined) {
    return { [strategyField]: { code: 'ALGO_UNKNOWN_STRATEGY', message: `the broker offers no strategy ${choice.strategy} (it offers ${definitions.strategies.map((s) => s.name).join(', ')})` } };
  }
  for (const name of Object.keys(choice.parameters)) {
    if (!strategy.parameters.some((p) => p.name === name)) problems[parameterField(name)] = { code: 'ALGO_UNKNOWN_PARAMETER', message: `${strategy.name} takes no parameter ${name}` };
  }
  for (const p of strategy.parameters) {
    const value = ownValue(choice.parameters, p.name);
    if (value === undefined) {
      if (p.required) problems[parameterField(p.name)] = { code: 'ALGO_REQUIRED', message: `${p.name} is required` };
      continue;
    }
    const problem = valueProblem(p, value);
    if (problem !== undefined) problems[parameterField(p.name)] = problem;
  }
  if (Object.keys(problems).length > 0) return problems;
  for (const rule of strategy.rules) {
    if (holds(rule.edit, strategy, choice.parameters)) continue;
    const field = firstField(rule.edit);
    problems[field !== undefined ? parameterField(field) : strategyField] ??= { code: 'ALGO_RULE', message: rule.errorMessage };
  }
  return problems;
}

/** The strategy's parameters with a value, in the file's order (what goes on the wire). */
export function chosenParameters(strategy: AlgoStrategy, values: Readonly<Record<string, string>>): ReadonlyArray<{ readonly parameter: AlgoParameter; readonly value: string }> {
  return strategy.parameters.flatMap((parameter) => {
    const value = ownValue(values, parameter.name);
    return value === undefined ? [] : [{ parameter, value }];
  });
}

function ownValue(values: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

/** Evaluates an Edit over the values (a missing parameter makes every comparison but NX false). */
export function holds(edit: AlgoEdit, strategy: AlgoStrategy, values: Readonly<Record<string, string>>): boolean {
  if (edit.kind === 'logic') {
    const results = edit.edits.map((e) => holds(e, strategy, values));
    switch (edit.operator) {
      case 'AND':
        return results.every(Boolean);
      case 'OR':
        return results.some(Boolean);
      case 'XOR':
        return results.filter(Boolean).length === 1;
      case 'NOT':
        return !results[0];
    }
  }
  const left = ownValue(values, edit.field);
  if (edit.operator === 'EX') return left !== undefined;
  if (edit.operator === 'NX') return left === undefined;
  const right = edit.field2 !== undefined ? ownValue(values, edit.field2) : edit.value;
  if (left === undefined || right === undefined) return false;
  const type = strategy.parameters.find((p) => p.name === edit.field)?.type ?? 'String_t';
  const order = compareValues(type, left, right);
  switch (edit.operator) {
    case 'EQ':
      return order === 0;
    case 'NE':
      return order !== 0;
    case 'LT':
      return order < 0;
    case 'LE':
      return order <= 0;
    case 'GT':
      return order > 0;
    case 'GE':
      return order >= 0;
  }
}

function firstField(edit: AlgoEdit): string | undefined {
  if (edit.kind === 'compare') return edit.field;
  for (const e of edit.edits) {
    const field = firstField(e);
    if (field !== undefined) return field;
  }
  return undefined;
}
