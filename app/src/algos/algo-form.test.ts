import { describe, expect, it } from 'vitest';
import { algoRequest, brokerAlgoOrder, emptyAlgoForm, fieldsOf } from './algo-form';

const NOW = Date.parse('2026-12-07T14:30:00.000Z');
const form = { ...emptyAlgoForm({ accounts: ['FUND-ALPHA'], brokers: ['SIM-A'] }), quantity: '1000' };

describe('algo ticket form', () => {
  it('makes a TWAP request ending `minutes` after the desk clock', () => {
    const r = algoRequest(form, NOW);
    expect(r).toMatchObject({ ok: true, request: { strategy: 'twap', quantity: '1000', slices: 10, endTime: '2026-12-07T14:40:00.000Z', childStyle: 'atTouch' } });
  });

  it('names the field that is wrong, per strategy', () => {
    expect(algoRequest({ ...form, quantity: 'abc' }, NOW)).toMatchObject({ ok: false, errors: { quantity: expect.stringContaining('positive decimal') } });
    expect(algoRequest({ ...form, minutes: '0' }, NOW)).toMatchObject({ ok: false, errors: { minutes: expect.any(String) } });
    expect(algoRequest({ ...form, strategy: 'iceberg' }, NOW)).toMatchObject({ ok: false, errors: { displayQty: expect.any(String), limitPrice: expect.any(String) } });
    expect(algoRequest({ ...form, strategy: 'pov', targetRatePct: '90' }, NOW)).toMatchObject({ ok: false, errors: { targetRatePct: expect.stringContaining('at most 50') } });
  });

  it('sends only the parameters of the chosen strategy', () => {
    const r = algoRequest({ ...form, strategy: 'pov', targetRatePct: '12.5' }, NOW);
    expect(r.ok && r.request).toMatchObject({ strategy: 'pov', targetRatePct: 12.5 });
    expect(r.ok && 'slices' in r.request && r.request.slices).toBeFalsy();
  });
});

describe("the algo ticket routing the parent to the broker's own algo", () => {
  const vwap = { strategy: 'SIM-VWAP', parameters: { Urgency: 'M' } };
  const broker = { ...form, strategy: 'broker' as const, limitPrice: '191' };

  it('makes one order carrying the strategy: limit with a limit price, market without, a day order', () => {
    expect(brokerAlgoOrder(broker, vwap)).toEqual({
      ok: true,
      ticket: { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '1000', orderType: 'limit', limitPrice: '191', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A', brokerAlgo: vwap },
    });
    expect(brokerAlgoOrder({ ...broker, limitPrice: ' ' }, vwap)).toMatchObject({ ok: true, ticket: { orderType: 'market' } });
    expect(fieldsOf('broker').has('slices') || fieldsOf('broker').has('minutes') || fieldsOf('broker').has('childStyle')).toBe(false);
  });

  it('asks for the strategy, names a bad field, and is never sent to the desk scheduler', () => {
    expect(brokerAlgoOrder(broker, undefined)).toEqual({ ok: false, errors: { strategy: "choose the broker's algo" } });
    expect(brokerAlgoOrder({ ...broker, quantity: '-5' }, vwap)).toMatchObject({ ok: false, errors: { quantity: expect.stringContaining('positive decimal') } });
    expect(algoRequest(broker, NOW)).toMatchObject({ ok: false });
  });
});
