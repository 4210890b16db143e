import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDeskConfig } from '../core/config/desk-config';
import { loadBrokerAlgos } from '../core/desk/broker-algos';
import type { BrokerAlgoOrder, NewOrderMessage } from '../core/broker/broker-port';
import { FIX_VERSIONS } from '../core/config/desk-config';
import type { FixVersion } from '../core/config/desk-config';
import { encodeOutbound } from '../core/fix/outbound-messages';
import { shippedInstrument } from '../core/instruments/shipped-instruments.test-support';
import { loadSimAlgos, readAlgoRequest, SIM_ALGO_FILE } from './sim-broker-algos';

const algos = loadSimAlgos();

/** The fields of a NewOrderSingle the desk would send with this algo. */
function sent(algo: BrokerAlgoOrder, version: FixVersion) {
  const message: NewOrderMessage = {
    type: 'newOrder',
    clOrdId: 'C1',
    account: 'FUND-ALPHA',
    instrument: shippedInstrument('AAPL.XNAS'),
    tradeDate: '2026-12-07',
    side: 'buy',
    orderType: 'market',
    quantity: '1000',
    timeInForce: 'day',
    transactTime: new Date('2026-12-07T10:00:00.000Z'),
    brokerAlgo: algo,
  };
  const encoded = encodeOutbound(message, version);
  if (!encoded.ok) throw new Error(encoded.problems.join('; '));
  return encoded.fields;
}

const pov = (rate: string): BrokerAlgoOrder => ({ strategyTag: 847, strategy: '1002', parametersGroup: true, parameters: [{ name: 'ParticipationRate', type: 'Percentage_t', fixTag: 7611, value: rate }] });

describe("the simulator reads a broker algo as its file says it travels, and checks it", () => {
  it.each(FIX_VERSIONS)('%s: what the desk sends is read back and worked', (version) => {
    expect(readAlgoRequest(sent(pov('0.25'), version), algos, version)).toEqual({ kind: 'algo', strategy: 'SIM-POV', sliceFraction: 0.25 });
  });

  it("reads the window of a strategy that has one: StartTime and EndTime (UTCTimestamp_t) in ms", () => {
    const fields: Array<[number, string]> = [[847, '1001'], [7603, 'M'], [7601, '20261207-14:30:00'], [7602, '20261207-15:00:00.500']];
    expect(readAlgoRequest(fields, algos, 'FIX.4.4')).toEqual({
      kind: 'algo',
      strategy: 'SIM-VWAP',
      sliceFraction: 0.25,
      startMs: Date.parse('2026-12-07T14:30:00Z'),
      endMs: Date.parse('2026-12-07T15:00:00.500Z'),
    });
  });

  it('an order without a strategy is a plain order', () => {
    expect(readAlgoRequest([[55, 'AAPL']], algos, 'FIX.4.4')).toEqual({ kind: 'none' });
  });

  it.each([
    ['an unknown strategy', [[847, '9999']], 'Unknown strategy 847=9999'],
    ['a missing required parameter', [[847, '1002']], 'Invalid SIM-POV parameters: ParticipationRate is required'],
    ['a value out of range', [[847, '1002'], [7611, '0.9']], 'Invalid SIM-POV parameters: ParticipationRate must be at most 0.5'],
    ['a rule broken', [[847, '1001'], [7603, 'M'], [7601, '20261207-15:00:00'], [7602, '20261207-14:00:00']], 'Invalid SIM-VWAP parameters: Start time must be before end time'],
    ['a group on a 4.4 session', [[847, '1002'], [957, '1'], [958, 'ParticipationRate'], [959, '11'], [960, '0.1']], 'StrategyParametersGrp (957) is not taken on FIX.4.4: send the parameters in their own tags'],
    ['parameters without a strategy', [[957, '1'], [958, 'X'], [960, '1']], 'strategy parameters (957) without a strategy (847)'],
  ] as const)('refuses %s with the reason a broker gives', (_what, fields, text) => {
    expect(readAlgoRequest(fields as unknown as Array<[number, string]>, algos, 'FIX.4.4')).toEqual({ kind: 'refused', text });
  });

  it('reads an unknown parameter in the group as one, and refuses it', () => {
    const fields = sent({ ...pov('0.2'), parameters: [...pov('0.2').parameters, { name: 'Colour', type: 'String_t', value: 'red' }] }, 'FIX.5.0SP2');
    expect(readAlgoRequest(fields, algos, 'FIX.5.0SP2')).toEqual({ kind: 'refused', text: 'Invalid SIM-POV parameters: SIM-POV takes no parameter Colour' });
  });
});

describe("the desk's copy of SIM-A's file (config/)", () => {
  it("is the simulator's own, and config/desk.json offers it for SIM-A", () => {
    const copy = fileURLToPath(new URL('../../config/sim-a-algos.xml', import.meta.url));
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(SIM_ALGO_FILE, 'utf8'));
    const config = loadDeskConfig(fileURLToPath(new URL('../../config/desk.json', import.meta.url)));
    expect(config.brokers.find((b) => b.name === 'SIM-A')?.algoDefinitions).toBe(copy);
    expect([...loadBrokerAlgos(config).keys()]).toEqual(['SIM-A']);
  });
});
