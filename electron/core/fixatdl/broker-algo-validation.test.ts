import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlgoParameter } from '../../../shared/domain/broker-algo';
import { brokerAlgoProblems, compareValues, valueProblem } from '../../../shared/domain/broker-algo';
import { loadAlgoDefinitions } from './algo-definitions-file';

const SIM = loadAlgoDefinitions(fileURLToPath(new URL('../../simulator/algos/sim-algos.xml', import.meta.url)));
const codes = (strategy: string, parameters: Record<string, string>) =>
  Object.fromEntries(Object.entries(brokerAlgoProblems(SIM, { strategy, parameters })).map(([field, p]) => [field, p.code]));

describe('an order checked against the broker algo definitions', () => {
  it('takes a sound order', () => {
    expect(brokerAlgoProblems(SIM, { strategy: 'SIM-VWAP', parameters: { Urgency: 'H', Slices: '5', MaxPctVolume: '0.25', StartTime: '20261207-14:00:00', EndTime: '20261207-15:00:00' } })).toEqual({});
    expect(brokerAlgoProblems(SIM, { strategy: 'SIM-POV', parameters: { ParticipationRate: '0.1' } })).toEqual({});
  });

  it('refuses, per field and with a code: no algos, unknown strategy, unknown parameter, missing, type, range, choice', () => {
    expect(Object.values(brokerAlgoProblems(undefined, { strategy: 'SIM-POV', parameters: {} })).map((p) => p.code)).toEqual(['ALGO_NOT_OFFERED']);
    expect(codes('SIM-TWAP', {})).toEqual({ 'brokerAlgo.strategy': 'ALGO_UNKNOWN_STRATEGY' });
    expect(codes('SIM-POV', { ParticipationRate: '0.1', Colour: 'red' })).toEqual({ 'brokerAlgo.parameters.Colour': 'ALGO_UNKNOWN_PARAMETER' });
    expect(codes('SIM-POV', {})).toEqual({ 'brokerAlgo.parameters.ParticipationRate': 'ALGO_REQUIRED' });
    expect(codes('SIM-POV', { ParticipationRate: '10%' })).toEqual({ 'brokerAlgo.parameters.ParticipationRate': 'ALGO_TYPE' });
    expect(codes('SIM-POV', { ParticipationRate: '0.51' })).toEqual({ 'brokerAlgo.parameters.ParticipationRate': 'ALGO_RANGE' });
    expect(codes('SIM-POV', { ParticipationRate: '0.009' })).toEqual({ 'brokerAlgo.parameters.ParticipationRate': 'ALGO_RANGE' });
    expect(codes('SIM-VWAP', { Urgency: 'X' })).toEqual({ 'brokerAlgo.parameters.Urgency': 'ALGO_CHOICE' });
    expect(codes('SIM-VWAP', { Urgency: 'M', Slices: '2.5', StartTime: '2026-12-07 14:00' })).toEqual({
      'brokerAlgo.parameters.Slices': 'ALGO_TYPE',
      'brokerAlgo.parameters.StartTime': 'ALGO_TYPE',
    });
  });

  it("applies the file's rules once every value is sound, on the first field they name", () => {
    const later = brokerAlgoProblems(SIM, { strategy: 'SIM-VWAP', parameters: { Urgency: 'M', StartTime: '20261207-15:00:00', EndTime: '20261207-14:00:00' } });
    expect(later).toEqual({ 'brokerAlgo.parameters.StartTime': { code: 'ALGO_RULE', message: 'Start time must be before end time' } });
    expect(codes('SIM-POV', { ParticipationRate: '0.1', MinRate: '0.2' })).toEqual({ 'brokerAlgo.parameters.MinRate': 'ALGO_RULE' });
    expect(codes('SIM-POV', { ParticipationRate: '0.2', MinRate: '0.2' })).toEqual({});
  });

  it('compares decimals exactly (no float rounding at the bounds)', () => {
    const p: AlgoParameter = { name: 'Q', type: 'Qty_t', required: true, minValue: '0.000000000001', maxValue: '999999999999999999.999999999999' };
    expect(valueProblem(p, '0.000000000001')).toBeUndefined();
    expect(valueProblem(p, '0.0000000000009')?.code).toBe('ALGO_TYPE');
    expect(valueProblem(p, '0')?.code).toBe('ALGO_RANGE');
    expect(valueProblem(p, '999999999999999999.999999999999')).toBeUndefined();
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (a, b) => {
        const text = (v: bigint) => {
          const sign = v < 0n ? '-' : '';
          const abs = (v < 0n ? -v : v).toString().padStart(13, '0');
          return `${sign}${abs.slice(0, -12).replace(/^0+(?=\d)/, '')}.${abs.slice(-12)}`;
        };
        expect(Math.sign(compareValues('Price_t', text(a), text(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
