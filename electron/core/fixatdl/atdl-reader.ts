import type { AlgoControl, AlgoDefinitions, AlgoEdit, AlgoEnumPair, AlgoParameter, AlgoParameterType, AlgoRule, AlgoStrategy, EditOperator, LogicOperator } from '../../../shared/domain/broker-algo';
import { ALGO_PARAMETER_TYPES, compareValues, EDIT_OPERATORS, isIntegerType, isNumericType, LOGIC_OPERATORS, typeProblem } from '../../../shared/domain/broker-algo';
import type { XmlElement } from './xml-tree';

/**
 * Reads a FIXatdl 1.1 document (the tree of xml-tree.ts) into the desk's AlgoDefinitions: strategies,
 * their parameters (type, fixTag, use, range, EnumPairs), the layout's controls in order (labels,
 * list items) and the StrategyEdit rules (comparisons and AND/OR/XOR/NOT). Everything is checked;
 * each problem names its line and where in the file it is. Returns the definitions or every problem.
 *
 * What the desk does not act on is refused rather than skipped (a rule silently dropped would let
 * orders through the broker refuses): constValue, multiplyBy100, EditRef, edits on standard FIX_ fields. The GUI's
 * flow rules (StateRule) and descriptive elements are only for show and are ignored.
 */

const CORE = 'http://www.fixprotocol.org/FIXatdl-1-1/Core';
const SUPPORTED_CONTROLS = new Set(['TextField_t', 'SingleSpinner_t', 'DoubleSpinner_t', 'DropDownList_t', 'EditableDropDownList_t', 'RadioButtonList_t', 'SingleSelectList_t', 'CheckBox_t', 'Clock_t', 'Label_t', 'HiddenField_t']);
const TAG = /^[1-9]\d{0,8}$/;

export type ReadResult = { readonly ok: true; readonly definitions: AlgoDefinitions } | { readonly ok: false; readonly problems: readonly string[] };

export function readAtdl(root: XmlElement): ReadResult {
  const problems: string[] = [];
  const at = (e: XmlElement, where: string, what: string) => problems.push(`line ${e.line}: ${where}${where === '' ? '' : ': '}${what}`);
  if (root.name !== 'Strategies') return { ok: false, problems: [`line ${root.line}: the root element must be Strategies (FIXatdl 1.1), not ${root.name}`] };
  if (root.namespace !== CORE) at(root, 'Strategies', `must be in the FIXatdl 1.1 core namespace ${CORE}`);
  const strategyIdentifierTag = tagAttribute(root, 'strategyIdentifierTag', true, (what) => at(root, 'Strategies', what));
  const versionIdentifierTag = tagAttribute(root, 'versionIdentifierTag', false, (what) => at(root, 'Strategies', what));
  const tag957Support = booleanAttribute(root, 'tag957Support', (what) => at(root, 'Strategies', what));

  const strategies: AlgoStrategy[] = [];
  const names = new Set<string>();
  const wireValues = new Set<string>();
  for (const element of root.children) {
    if (element.name === 'Edit') at(element, 'Strategies', 'document-wide Edit elements are not supported (put the rule in the strategy)');
    if (element.name !== 'Strategy') continue;
    const strategy = readStrategy(element, tag957Support === true, (e, where, what) => at(e, where, what));
    if (strategy === undefined) continue;
    if (names.has(strategy.name)) at(element, `Strategy ${strategy.name}`, 'a second strategy of the same name');
    if (wireValues.has(strategy.wireValue)) at(element, `Strategy ${strategy.name}`, `wireValue ${strategy.wireValue} is another strategy's too`);
    if (strategyIdentifierTag === 847 && !/^-?\d+$/.test(strategy.wireValue)) at(element, `Strategy ${strategy.name}`, `TargetStrategy (847) is an int: wireValue '${strategy.wireValue}' is not one`);
    names.add(strategy.name);
    wireValues.add(strategy.wireValue);
    strategies.push(strategy);
  }
  if (!root.children.some((e) => e.name === 'Strategy')) at(root, 'Strategies', 'no Strategy');
  if (problems.length > 0 || strategyIdentifierTag === undefined) return { ok: false, problems };
  return {
    ok: true,
    definitions: {
      strategyIdentifierTag,
      ...(versionIdentifierTag !== undefined && { versionIdentifierTag }),
      tag957Support: tag957Support === true,
      strategies,
    },
  };
}

type At = (e: XmlElement, where: string, what: string) => void;

function readStrategy(element: XmlElement, tag957Support: boolean, at: At): AlgoStrategy | undefined {
  const name = element.attributes.name;
  const wireValue = element.attributes.wireValue;
  if (name === undefined || name.trim() === '') {
    at(element, 'Strategy', 'has no name');
    return undefined;
  }
  const where = `Strategy ${name}`;
  if (wireValue === undefined || wireValue === '') at(element, where, 'has no wireValue');
  const fixMsgType = element.attributes.fixMsgType;
  if (fixMsgType !== undefined && fixMsgType !== 'D') at(element, where, `fixMsgType ${fixMsgType}: the desk sends algos on NewOrderSingle (D) only`);

  const parameters: AlgoParameter[] = [];
  const fixTags = new Set<number>();
  for (const child of element.children.filter((c) => c.name === 'Parameter')) {
    const parameter = readParameter(child, where, tag957Support, at);
    if (parameter === undefined) continue;
    if (parameters.some((p) => p.name === parameter.name)) at(child, `${where}, Parameter ${parameter.name}`, 'a second parameter of the same name');
    if (parameter.fixTag !== undefined) {
      if (fixTags.has(parameter.fixTag)) at(child, `${where}, Parameter ${parameter.name}`, `fixTag ${parameter.fixTag} is another parameter's too`);
      fixTags.add(parameter.fixTag);
    }
    parameters.push(parameter);
  }
  const layouts = element.children.filter((c) => c.name === 'StrategyLayout');
  if (layouts.length > 1) at(element, where, 'more than one StrategyLayout');
  const controls = layouts.length > 0 ? readLayout(layouts[0] as XmlElement, where, parameters, at) : [];
  const rules: AlgoRule[] = [];
  for (const child of element.children.filter((c) => c.name === 'StrategyEdit')) {
    const rule = readRule(child, where, parameters, at);
    if (rule !== undefined) rules.push(rule);
  }
  const label = element.attributes.uiRep ?? name;
  const version = element.attributes.version;
  return { name, wireValue: wireValue ?? '', label, ...(version !== undefined && { version }), parameters, controls, rules };
}

function readParameter(element: XmlElement, strategy: string, tag957Support: boolean, at: At): AlgoParameter | undefined {
  const a = element.attributes;
  if (a.name === undefined || !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(a.name)) {
    at(element, `${strategy}, Parameter`, `name '${a.name ?? ''}' is missing or not a name (a letter or _, then letters, digits, _ . -)`);
    return undefined;
  }
  const where = `${strategy}, Parameter ${a.name}`;
  const problem = (what: string) => at(element, where, what);
  const rawType = (a['xsi:type'] ?? '').replace(/^[A-Za-z0-9_]+:/, '');
  if (!(ALGO_PARAMETER_TYPES as readonly string[]).includes(rawType)) {
    problem(rawType === '' ? 'has no xsi:type' : `type ${rawType} is not one the desk takes (${ALGO_PARAMETER_TYPES.join(', ')})`);
    return undefined;
  }
  const type = rawType as AlgoParameterType;
  const fixTag = tagAttribute(element, 'fixTag', false, problem);
  if (a.fixTag === undefined && !tag957Support) problem('has no fixTag and the file does not set tag957Support: it could not be sent');
  const use = a.use ?? 'optional';
  if (use !== 'optional' && use !== 'required') problem(`use must be optional or required, not ${use}`);
  if (a.constValue !== undefined) problem('constValue is not supported (the desk sends what the trader chose)');
  if (a.multiplyBy100 === 'true') problem('multiplyBy100 is not supported (percentages go on the wire as entered, 0.25 for 25%)');
  const maxLength = a.maxLength !== undefined ? Number(a.maxLength) : undefined;
  if (a.maxLength !== undefined && !/^[1-9]\d{0,3}$/.test(a.maxLength)) problem(`maxLength ${a.maxLength} is not a positive whole number`);
  const base: AlgoParameter = {
    name: a.name,
    type,
    ...(fixTag !== undefined && { fixTag }),
    required: use === 'required',
    ...(type === 'Boolean_t' && a.trueWireValue !== undefined && { trueWireValue: a.trueWireValue }),
    ...(type === 'Boolean_t' && a.falseWireValue !== undefined && { falseWireValue: a.falseWireValue }),
    ...(maxLength !== undefined && Number.isInteger(maxLength) && { maxLength }),
  };
  const bounds: { minValue?: string; maxValue?: string } = {};
  for (const bound of ['minValue', 'maxValue'] as const) {
    const value = a[bound];
    if (value === undefined) continue;
    if (!isNumericType(type) && type !== 'UTCTimestamp_t' && type !== 'UTCTimeOnly_t' && type !== 'LocalMktDate_t') problem(`${bound} does not apply to ${type}`);
    else {
      const wrong = typeProblem(base, value);
      if (wrong !== undefined) problem(`${bound} '${value}': ${wrong}`);
      else bounds[bound] = value;
    }
  }
  if (bounds.minValue !== undefined && bounds.maxValue !== undefined && compareValues(type, bounds.minValue, bounds.maxValue) > 0) problem(`minValue ${bounds.minValue} is above maxValue ${bounds.maxValue}`);
  const pairs = element.children.filter((c) => c.name === 'EnumPair');
  const choices: AlgoEnumPair[] = [];
  for (const pair of pairs) {
    const enumId = pair.attributes.enumID;
    const wireValue = pair.attributes.wireValue;
    if (enumId === undefined || wireValue === undefined) {
      at(pair, where, 'an EnumPair needs enumID and wireValue');
      continue;
    }
    if (choices.some((c) => c.enumId === enumId)) at(pair, where, `EnumPair ${enumId} twice`);
    const wrong = typeProblem(base, wireValue);
    if (wrong !== undefined) at(pair, where, `EnumPair ${enumId}: wireValue '${wireValue}': ${wrong}`);
    choices.push({ enumId, wireValue, label: enumId });
  }
  if (isIntegerType(type) && a.precision !== undefined) problem('precision does not apply to a whole-number type');
  return { ...base, ...bounds, ...(choices.length > 0 && { choices }) };
}

/** Controls in document order (panels flattened); list items label the parameter's EnumPairs. */
function readLayout(layout: XmlElement, strategy: string, parameters: AlgoParameter[], at: At): AlgoControl[] {
  const controls: AlgoControl[] = [];
  const walk = (element: XmlElement) => {
    for (const child of element.children) {
      if (child.name === 'StrategyPanel') walk(child);
      else if (child.name === 'Control') {
        const control = readControl(child, strategy, parameters, at);
        if (control === undefined) continue;
        if (controls.some((c) => c.id === control.id)) at(child, `${strategy}, Control ${control.id}`, 'a second control of the same ID');
        controls.push(control);
      }
    }
  };
  walk(layout);
  return controls;
}

function readControl(element: XmlElement, strategy: string, parameters: AlgoParameter[], at: At): AlgoControl | undefined {
  const a = element.attributes;
  const id = a.ID;
  if (id === undefined || id === '') {
    at(element, `${strategy}, Control`, 'has no ID');
    return undefined;
  }
  const where = `${strategy}, Control ${id}`;
  const kind = (a['xsi:type'] ?? '').replace(/^[A-Za-z0-9_]+:/, '');
  if (!SUPPORTED_CONTROLS.has(kind)) at(element, where, `control type '${kind}' is not one the ticket can show (${[...SUPPORTED_CONTROLS].join(', ')})`);
  const parameterIndex = a.parameterRef !== undefined ? parameters.findIndex((p) => p.name === a.parameterRef) : -1;
  if (a.parameterRef !== undefined && parameterIndex < 0) at(element, where, `parameterRef ${a.parameterRef} names no parameter of the strategy`);
  const parameter = parameters[parameterIndex];
  for (const item of element.children.filter((c) => c.name === 'ListItem')) {
    const enumId = item.attributes.enumID;
    const pair = parameter?.choices?.find((c) => c.enumId === enumId);
    if (parameter !== undefined && pair === undefined) at(item, where, `ListItem ${enumId ?? '(no enumID)'} is no EnumPair of ${parameter.name}`);
    else if (parameter !== undefined && pair !== undefined && item.attributes.uiRep !== undefined) {
      const label = item.attributes.uiRep;
      parameters[parameterIndex] = { ...parameter, choices: (parameters[parameterIndex]?.choices ?? []).map((c) => (c.enumId === enumId ? { ...c, label } : c)) };
    }
  }
  return {
    id,
    kind,
    label: a.label ?? a.parameterRef ?? id,
    ...(a.parameterRef !== undefined && { parameter: a.parameterRef }),
    ...(a.initValue !== undefined && { initValue: a.initValue }),
  };
}

function readRule(element: XmlElement, strategy: string, parameters: readonly AlgoParameter[], at: At): AlgoRule | undefined {
  const errorMessage = element.attributes.errorMessage;
  const where = `${strategy}, StrategyEdit`;
  if (errorMessage === undefined || errorMessage.trim() === '') at(element, where, 'has no errorMessage');
  const edits = element.children.filter((c) => c.name === 'Edit' || c.name === 'EditRef');
  if (edits.length !== 1) {
    at(element, where, 'must hold exactly one Edit');
    return undefined;
  }
  const edit = readEdit(edits[0] as XmlElement, where, parameters, at);
  return edit === undefined || errorMessage === undefined ? undefined : { edit, errorMessage };
}

function readEdit(element: XmlElement, where: string, parameters: readonly AlgoParameter[], at: At): AlgoEdit | undefined {
  if (element.name === 'EditRef') {
    at(element, where, 'EditRef is not supported (write the Edit in place)');
    return undefined;
  }
  const a = element.attributes;
  if (a.logicOperator !== undefined) {
    if (!(LOGIC_OPERATORS as readonly string[]).includes(a.logicOperator)) {
      at(element, where, `logicOperator ${a.logicOperator} is not one of ${LOGIC_OPERATORS.join(', ')}`);
      return undefined;
    }
    const children = element.children.filter((c) => c.name === 'Edit' || c.name === 'EditRef');
    const edits = children.map((c) => readEdit(c, where, parameters, at));
    if (a.logicOperator === 'NOT' ? children.length !== 1 : children.length < 2) at(element, where, `${a.logicOperator} takes ${a.logicOperator === 'NOT' ? 'exactly one Edit' : 'at least two Edits'}`);
    if (edits.some((e) => e === undefined)) return undefined;
    return { kind: 'logic', operator: a.logicOperator as LogicOperator, edits: edits as AlgoEdit[] };
  }
  const operator = a.operator;
  if (operator === undefined || !(EDIT_OPERATORS as readonly string[]).includes(operator)) {
    at(element, where, `operator '${operator ?? ''}' is not one of ${EDIT_OPERATORS.join(', ')}`);
    return undefined;
  }
  const field = a.field;
  const parameter = parameters.find((p) => p.name === field);
  if (field === undefined || parameter === undefined) {
    at(element, where, field?.startsWith('FIX_') ? `field ${field}: rules on the order's standard fields are not supported` : `field '${field ?? ''}' names no parameter of the strategy`);
    return undefined;
  }
  const needsOperand = operator !== 'EX' && operator !== 'NX';
  if (needsOperand && (a.field2 === undefined) === (a.value === undefined)) {
    at(element, where, `${field} ${operator} needs field2 or value (one of them)`);
    return undefined;
  }
  if (a.field2 !== undefined && !parameters.some((p) => p.name === a.field2)) {
    at(element, where, `field2 '${a.field2}' names no parameter of the strategy`);
    return undefined;
  }
  if (a.value !== undefined) {
    const wrong = typeProblem(parameter, a.value);
    if (wrong !== undefined) {
      at(element, where, `value '${a.value}' for ${field}: ${wrong}`);
      return undefined;
    }
  }
  return { kind: 'compare', field, operator: operator as EditOperator, ...(a.field2 !== undefined && { field2: a.field2 }), ...(a.value !== undefined && { value: a.value }) };
}

function tagAttribute(element: XmlElement, name: string, required: boolean, problem: (what: string) => void): number | undefined {
  const value = element.attributes[name];
  if (value === undefined) {
    if (required) problem(`${name} is required`);
    return undefined;
  }
  if (!TAG.test(value)) {
    problem(`${name} '${value}' is not a tag number`);
    return undefined;
  }
  return Number(value);
}

function booleanAttribute(element: XmlElement, name: string, problem: (what: string) => void): boolean | undefined {
  const value = element.attributes[name];
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') problem(`${name} must be true or false, not ${value}`);
  return value === 'true';
}
