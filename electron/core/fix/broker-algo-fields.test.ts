import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BrokerAlgoOrder, NewOrderMessage } from '../broker/broker-port';
import { FIX_VERSIONS } from '../config/desk-config';
import { loadAlgoDefinitions } from '../fixatdl/algo-definitions-file';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import { brokerAlgoSessionProblems } from './broker-algo-fields';
import { dictionaryFacts } from './dictionary/jspurefix-dictionary.test-support';
import { encodeOutbound } from './outbound-messages';

const SIM = loadAlgoDefinitions(fileURLToPath(new URL('../../simulator/algos/sim-algos.xml', import.meta.url)));

const pov: BrokerAlgoOrder = {
  strategyTag: 847,
  strategy: '1002',
  parametersGroup: true,
  parameters: [
    { name: 'ParticipationRate', type: 'Percentage_t', fixTag: 7611, value: '0.15' },
    { name: 'IWouldPrice', type: 'Price_t', fixTag: 7613, value: '101.25' },
  ],
};

const order = (brokerAlgo: BrokerAlgoOrder): NewOrderMessage => ({
  type: 'newOrder',
  clOrdId: 'C1',
  account: 'FUND-ALPHA',
  instrument: shippedInstrument('AAPL.XNAS'),
  tradeDate: '2026-12-07',
  side: 'buy',
  orderType: 'limit',
  quantity: '1000',
  limitPrice: '190.5',
  timeInForce: 'day',
  transactTime: new Date('2026-12-07T10:00:00.000Z'),
  brokerAlgo,
});

function algoTail(version: (typeof FIX_VERSIONS)[number], algo: BrokerAlgoOrder = pov): string {
  const encoded = encodeOutbound(order(algo), version);
  if (!encoded.ok) throw new Error(encoded.problems.join('; '));
  const from = encoded.fields.findIndex(([tag]) => tag === algo.strategyTag);
  return encoded.fields
    .slice(from)
    .map(([t, v]) => `${t}=${v}`)
    .join('|');
}

describe('a broker algo on the wire, per FIX version', () => {
  it('FIX 5.0SP2: TargetStrategy and StrategyParametersGrp (957 count, then 958 name, 959 type, 960 value per parameter)', () => {
    expect(algoTail('FIX.5.0SP2')).toBe('847=1002|957=2|958=ParticipationRate|959=11|960=0.15|958=IWouldPrice|959=8|960=101.25');
  });

  it("FIX 4.4 and 4.2: the broker's own tags from the file (4.4 has TargetStrategy but no StrategyParametersGrp)", () => {
    expect(algoTail('FIX.4.4')).toBe('847=1002|7611=0.15|7613=101.25');
    expect(algoTail('FIX.4.2')).toBe('847=1002|7611=0.15|7613=101.25');
  });

  it('a broker without tag957Support gets its own tags in every version; the strategy version goes in its tag', () => {
    expect(algoTail('FIX.5.0SP2', { ...pov, parametersGroup: false, strategyTag: 7620, versionTag: 7621, version: '3' })).toBe('7620=1002|7621=3|7611=0.15|7613=101.25');
  });

  it('refuses a parameter with no tag where the group cannot carry it, and tags the order writes itself', () => {
    const untagged: BrokerAlgoOrder = { ...pov, parameters: [{ name: 'Rate', type: 'Percentage_t', value: '0.1' }] };
    expect(algoTail('FIX.5.0SP2', untagged)).toBe('847=1002|957=1|958=Rate|959=11|960=0.1');
    const refused = encodeOutbound(order(untagged), 'FIX.4.4');
    expect(refused.ok ? [] : refused.problems).toEqual(['broker algo Rate has no tag of its own and FIX.4.4 carries no StrategyParametersGrp (957)']);
    const clash = encodeOutbound(order({ ...pov, parameters: [{ name: 'Px', type: 'Price_t', fixTag: 44, value: '1' }] }), 'FIX.4.4');
    expect(clash.ok ? [] : clash.problems).toEqual(['broker algo Px tag 44 is a tag the order message writes itself']);
    expect(brokerAlgoSessionProblems({ ...SIM, strategies: [{ name: 'S', parameters: [{ name: 'Px', fixTag: 38 }, { name: 'N' }] }] }, 'FIX.4.2')).toEqual([
      'S, Px: fixTag 38 is a tag the order message writes itself',
      'S, N: has no fixTag, and FIX.4.2 carries no StrategyParametersGrp (957)',
    ]);
    expect(brokerAlgoSessionProblems(SIM, 'FIX.4.2')).toEqual([]);
  });

  it.each(FIX_VERSIONS)("%s: checked against jspurefix's dictionary", async (version) => {
    const dictionary = await dictionaryFacts(version);
    const tags = dictionary.messageTags('D');
    const encoded = encodeOutbound(order(pov), version);
    if (!encoded.ok) throw new Error(encoded.problems.join('; '));
    const sent = new Set(encoded.fields.map(([tag]) => tag));
    // TargetStrategy is a NewOrderSingle field from FIX 4.4 on; in 4.2 it is a user-defined tag as the broker's own are.
    expect(tags.has(847)).toBe(version !== 'FIX.4.2');
    // StrategyParametersGrp is in 5.0SP2's NewOrderSingle only: sent exactly where the dictionary has it.
    for (const tag of [957, 958, 959, 960]) expect(tags.has(tag), `${tag} in ${version}`).toBe(sent.has(tag));
    if (version === 'FIX.5.0SP2') {
      const types = dictionary.enumValues(959);
      for (const [tag, value] of encoded.fields) if (tag === 959) expect(types?.has(value), `959=${value}`).toBe(true);
    }
    // The broker's own tags are user-defined (5000 and above), never the dictionary's.
    for (const p of pov.parameters) if (sent.has(p.fixTag!)) expect(p.fixTag).toBeGreaterThanOrEqual(5000);
  }, 60_000);
});
