import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/json-config';
import { loadAlgoDefinitions, parseAlgoDefinitions } from './algo-definitions-file';

const SHIPPED = fileURLToPath(new URL('../../simulator/algos/sim-algos.xml', import.meta.url));

const HEAD = `<?xml version="1.0"?>
<Strategies xmlns="http://www.fixprotocol.org/FIXatdl-1-1/Core" xmlns:val="http://www.fixprotocol.org/FIXatdl-1-1/Validation"
  xmlns:lay="http://www.fixprotocol.org/FIXatdl-1-1/Layout" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" strategyIdentifierTag="7620" tag957Support="false">`;

/** A small valid file; `strategy` replaces the strategy's body. */
const file = (strategy: string, head = HEAD) => `${head}
  <Strategy name="TWAPX" uiRep="Broker TWAP" wireValue="T" version="2">
${strategy}
  </Strategy>
</Strategies>`;

const GOOD_BODY = `
    <Parameter name="Rate" xsi:type="Percentage_t" fixTag="7001" use="required" minValue="0.05" maxValue="0.3"/>
    <Parameter name="Style" xsi:type="Char_t" fixTag="7002">
      <EnumPair enumID="p" wireValue="P"/>
      <EnumPair enumID="a" wireValue="A"/>
    </Parameter>
    <lay:StrategyLayout><lay:StrategyPanel>
      <lay:Control xsi:type="lay:DropDownList_t" ID="StyleList" label="Style" parameterRef="Style">
        <lay:ListItem enumID="p" uiRep="Passive"/><lay:ListItem enumID="a" uiRep="Aggressive"/>
      </lay:Control>
      <lay:StrategyPanel><lay:Control xsi:type="lay:TextField_t" ID="RateField" label="Rate" parameterRef="Rate"/></lay:StrategyPanel>
    </lay:StrategyPanel></lay:StrategyLayout>
    <val:StrategyEdit errorMessage="Aggressive needs a rate of at least 0.1">
      <val:Edit logicOperator="OR"><val:Edit field="Style" operator="NE" value="A"/><val:Edit field="Rate" operator="GE" value="0.1"/></val:Edit>
    </val:StrategyEdit>`;

function refusal(text: string): string {
  try {
    parseAlgoDefinitions(text, 'broker.xml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('FIXatdl loader: a good file', () => {
  it('reads strategies, parameters, choices labelled by the layout, controls in layout order and rules', () => {
    const d = parseAlgoDefinitions(file(GOOD_BODY), 'broker.xml');
    expect(d.strategyIdentifierTag).toBe(7620);
    expect(d.tag957Support).toBe(false);
    expect(d.strategies).toHaveLength(1);
    const s = d.strategies[0]!;
    expect({ name: s.name, wireValue: s.wireValue, label: s.label, version: s.version }).toEqual({ name: 'TWAPX', wireValue: 'T', label: 'Broker TWAP', version: '2' });
    expect(s.parameters).toEqual([
      { name: 'Rate', type: 'Percentage_t', fixTag: 7001, required: true, minValue: '0.05', maxValue: '0.3' },
      { name: 'Style', type: 'Char_t', fixTag: 7002, required: false, choices: [{ enumId: 'p', wireValue: 'P', label: 'Passive' }, { enumId: 'a', wireValue: 'A', label: 'Aggressive' }] },
    ]);
    expect(s.controls.map((c) => [c.id, c.kind, c.label, c.parameter])).toEqual([
      ['StyleList', 'DropDownList_t', 'Style', 'Style'],
      ['RateField', 'TextField_t', 'Rate', 'Rate'],
    ]);
    expect(s.rules).toEqual([
      {
        errorMessage: 'Aggressive needs a rate of at least 0.1',
        edit: { kind: 'logic', operator: 'OR', edits: [{ kind: 'compare', field: 'Style', operator: 'NE', value: 'A' }, { kind: 'compare', field: 'Rate', operator: 'GE', value: '0.1' }] },
      },
    ]);
  });

  it("loads the simulator's shipped file", () => {
    const d = loadAlgoDefinitions(SHIPPED);
    expect(d.strategyIdentifierTag).toBe(847);
    expect(d.tag957Support).toBe(true);
    expect(d.strategies.map((s) => [s.name, s.wireValue])).toEqual([
      ['SIM-VWAP', '1001'],
      ['SIM-POV', '1002'],
    ]);
  });
});

describe('FIXatdl loader: a bad file is refused whole, with what and where', () => {
  it('an unreadable file', () => {
    expect(() => loadAlgoDefinitions(join(tmpdir(), 'no-such-dir-m15b', 'x.xml'))).toThrow(/cannot read the FIXatdl file/);
  });

  it('malformed XML names its line', () => {
    expect(refusal(`${HEAD}\n<Strategy name="A" wireValue="1">\n</Strategies>`)).toMatch(/not well-formed XML: line 5: Unexpected close tag/);
  });

  it('an entity is not expanded (no XXE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atdl-'));
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    try {
      const text = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://${join(dir, 'secret.txt')}">]>\n${file(`<Parameter name="P" xsi:type="String_t" fixTag="7001" use="optional" maxLength="3"/>`).replace('uiRep="Broker TWAP"', 'uiRep="&s;"').replace('<?xml version="1.0"?>', '')}`;
      expect(refusal(text)).toMatch(/not well-formed XML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('another root, or no strategyIdentifierTag', () => {
    expect(refusal('<Algos/>')).toMatch(/line 1: the root element must be Strategies/);
    expect(refusal(file(GOOD_BODY, HEAD.replace(' strategyIdentifierTag="7620"', '')))).toMatch(/Strategies: strategyIdentifierTag is required/);
  });

  it.each([
    ['an unknown type', '<Parameter name="X" xsi:type="Widget_t" fixTag="7001"/>', /line 5: Strategy TWAPX, Parameter X: type Widget_t is not one the desk takes/],
    ['a parameter without a tag where the file has no StrategyParametersGrp', '<Parameter name="X" xsi:type="Int_t"/>', /Parameter X: has no fixTag and the file does not set tag957Support/],
    ['a bad fixTag', '<Parameter name="X" xsi:type="Int_t" fixTag="12a"/>', /Parameter X: fixTag '12a' is not a tag number/],
    ['a minValue of the wrong type', '<Parameter name="X" xsi:type="Int_t" fixTag="7001" minValue="1.5"/>', /Parameter X: minValue '1.5': X must be a whole number/],
    ['min above max', '<Parameter name="X" xsi:type="Qty_t" fixTag="7001" minValue="10" maxValue="9.5"/>', /minValue 10 is above maxValue 9.5/],
    ['use neither optional nor required', '<Parameter name="X" xsi:type="Int_t" fixTag="7001" use="sometimes"/>', /use must be optional or required/],
    ['an EnumPair wire value of the wrong type', '<Parameter name="X" xsi:type="Char_t" fixTag="7001"><EnumPair enumID="a" wireValue="AB"/></Parameter>', /EnumPair a: wireValue 'AB': X must be one character/],
    ['two parameters of one name', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><Parameter name="X" xsi:type="Int_t" fixTag="7002"/>', /Parameter X: a second parameter of the same name/],
    ['two parameters on one tag', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><Parameter name="Y" xsi:type="Int_t" fixTag="7001"/>', /fixTag 7001 is another parameter's too/],
    ['a percentage multiplied by 100 on the wire (not acted on)', '<Parameter name="X" xsi:type="Percentage_t" fixTag="7001" multiplyBy100="true"/>', /multiplyBy100 is not supported/],
    ['a constValue (not acted on)', '<Parameter name="X" xsi:type="Int_t" fixTag="7001" constValue="3"/>', /constValue is not supported/],
    ['a control bound to no parameter', '<lay:StrategyLayout><lay:StrategyPanel><lay:Control xsi:type="lay:TextField_t" ID="c" parameterRef="Nope"/></lay:StrategyPanel></lay:StrategyLayout>', /Control c: parameterRef Nope names no parameter/],
    ['a control type the ticket cannot show', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><lay:StrategyLayout><lay:StrategyPanel><lay:Control xsi:type="lay:Slider_t" ID="c" parameterRef="X"/></lay:StrategyPanel></lay:StrategyLayout>', /control type 'Slider_t' is not one the ticket can show/],
    ['a list item that is no EnumPair', '<Parameter name="X" xsi:type="Char_t" fixTag="7001"><EnumPair enumID="a" wireValue="A"/></Parameter><lay:StrategyLayout><lay:StrategyPanel><lay:Control xsi:type="lay:DropDownList_t" ID="c" parameterRef="X"><lay:ListItem enumID="b" uiRep="B"/></lay:Control></lay:StrategyPanel></lay:StrategyLayout>', /ListItem b is no EnumPair of X/],
    ['a rule on an unknown field', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit errorMessage="m"><val:Edit field="Y" operator="EX"/></val:StrategyEdit>', /StrategyEdit: field 'Y' names no parameter/],
    ['a rule with a bad operator', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit errorMessage="m"><val:Edit field="X" operator="LIKE" value="1"/></val:StrategyEdit>', /operator 'LIKE' is not one of EX, NX, EQ/],
    ['a rule whose constant is not of the type', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit errorMessage="m"><val:Edit field="X" operator="GT" value="ten"/></val:StrategyEdit>', /value 'ten' for X: X must be a whole number/],
    ['a rule without a message', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit><val:Edit field="X" operator="EX"/></val:StrategyEdit>', /StrategyEdit: has no errorMessage/],
    ['NOT over two edits', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit errorMessage="m"><val:Edit logicOperator="NOT"><val:Edit field="X" operator="EX"/><val:Edit field="X" operator="NX"/></val:Edit></val:StrategyEdit>', /NOT takes exactly one Edit/],
    ['a rule on a standard field', '<Parameter name="X" xsi:type="Int_t" fixTag="7001"/><val:StrategyEdit errorMessage="m"><val:Edit field="FIX_OrderQty" operator="GT" value="1"/></val:StrategyEdit>', /rules on the order's standard fields are not supported/],
  ])('%s', (_what, body, expected) => {
    expect(refusal(file(body))).toMatch(expected);
  });

  it('every problem is listed at once', () => {
    const message = refusal(file('<Parameter name="X" xsi:type="Widget_t" fixTag="7001"/><Parameter name="Y" xsi:type="Int_t" fixTag="zz"/>'));
    expect(message).toMatch(/Parameter X: type Widget_t/);
    expect(message).toMatch(/Parameter Y: fixTag 'zz'/);
  });

  it('two strategies of one name or wire value; TargetStrategy (847) takes whole numbers', () => {
    const two = `${HEAD.replace('7620', '847')}<Strategy name="A" wireValue="1"/><Strategy name="A" wireValue="1"/><Strategy name="B" wireValue="x"/></Strategies>`;
    const message = refusal(two);
    expect(message).toMatch(/Strategy A: a second strategy of the same name/);
    expect(message).toMatch(/Strategy A: wireValue 1 is another strategy's too/);
    expect(message).toMatch(/Strategy B: TargetStrategy \(847\) is an int: wireValue 'x' is not one/);
  });
});
