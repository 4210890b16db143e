import { describe, expect, it } from 'vitest';
import { algoRequest, emptyAlgoForm } from './algo-form';

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
