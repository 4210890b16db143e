import { describe, expect, it } from 'vitest';
import type { AlgoDefinitions } from '../../../shared/domain/broker-algo';
import { algoErrorsFromFields, algoFields, brokerAlgoChoice, initialAlgoValues, validateBrokerAlgo } from './broker-algo-form';

const definitions: AlgoDefinitions = {
  strategyIdentifierTag: 847,
  tag957Support: true,
  strategies: [
    {
      name: 'POV',
      wireValue: '2',
      label: 'Percent of volume',
      parameters: [
        { name: 'Hidden', type: 'String_t', fixTag: 7009, required: false },
        { name: 'Rate', type: 'Percentage_t', fixTag: 7001, required: true, minValue: '0.01', maxValue: '0.5' },
        { name: 'Style', type: 'Char_t', fixTag: 7002, required: false, choices: [{ enumId: 'p', wireValue: 'P', label: 'Passive' }, { enumId: 'a', wireValue: 'A', label: 'Aggressive' }] },
        { name: 'Dark', type: 'Boolean_t', fixTag: 7003, required: false },
      ],
      controls: [
        { id: 'c1', kind: 'DropDownList_t', label: 'Style', parameter: 'Style', initValue: 'a' },
        { id: 'c2', kind: 'TextField_t', label: 'Participation', parameter: 'Rate' },
        { id: 'c3', kind: 'CheckBox_t', label: 'Dark pools', parameter: 'Dark', initValue: 'true' },
      ],
      rules: [{ errorMessage: 'Aggressive needs a rate of at least 0.1', edit: { kind: 'logic', operator: 'OR', edits: [{ kind: 'compare', field: 'Style', operator: 'NE', value: 'A' }, { kind: 'compare', field: 'Rate', operator: 'GE', value: '0.1' }] } }],
    },
  ],
};
const pov = definitions.strategies[0]!;

describe('the broker-algo panel', () => {
  it("shows the parameters in the layout's order with its labels, inputs by type, ranges as placeholders", () => {
    expect(algoFields(pov).map((f) => [f.parameter.name, f.label, f.input, f.placeholder])).toEqual([
      ['Style', 'Style', 'select', ''],
      ['Rate', 'Participation', 'text', '0.01 – 0.5'],
      ['Dark', 'Dark pools', 'checkbox', ''],
      ['Hidden', 'Hidden', 'text', ''],
    ]);
  });

  it("starts from the layout's initial values (a list's enumID, a check box's true)", () => {
    expect(initialAlgoValues(pov)).toEqual({ Style: 'A', Dark: 'Y' });
  });

  it('validates inline as the desk does, per parameter, and leaves blanks out of the order', () => {
    expect(validateBrokerAlgo(definitions, { strategy: 'POV', values: { Rate: '' } })).toEqual({ Rate: 'Rate is required' });
    expect(validateBrokerAlgo(definitions, { strategy: 'POV', values: { Rate: '0.75' } })).toEqual({ Rate: 'Rate must be at most 0.5' });
    expect(validateBrokerAlgo(definitions, { strategy: 'POV', values: { Rate: '0.05', Style: 'A' } })).toEqual({ Style: 'Aggressive needs a rate of at least 0.1' });
    expect(validateBrokerAlgo(definitions, { strategy: '', values: { Rate: 'x' } })).toEqual({});
    expect(brokerAlgoChoice({ strategy: 'POV', values: { Rate: ' 0.2 ', Hidden: '' } })).toEqual({ strategy: 'POV', parameters: { Rate: '0.2' } });
    expect(brokerAlgoChoice({ strategy: '', values: {} })).toBeUndefined();
  });

  it("puts the desk's refusal under its fields", () => {
    expect(algoErrorsFromFields({ 'brokerAlgo.parameters.Rate': 'rate must be at most 0.5', 'brokerAlgo.strategy': 'no such strategy', quantity: 'x' })).toEqual({ Rate: 'Rate must be at most 0.5', '': 'No such strategy' });
  });
});
