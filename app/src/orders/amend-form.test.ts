import { describe, expect, it } from 'vitest';
import { orderRow } from '../store/fixtures.test-util';
import { amendErrorsFromFields, amendFormFromOrder, validateAmend } from './amend-form';

describe('amend form', () => {
  const order = orderRow({ quantity: '100', limitPrice: '101.5' });

  it('prefills the current values', () => {
    expect(amendFormFromOrder(order)).toEqual({ quantity: '100', limitPrice: '101.5', stopPrice: '' });
  });

  it('sends only what changed', () => {
    expect(validateAmend(order, { quantity: '200', limitPrice: '101.5', stopPrice: '' })).toEqual({
      ok: true,
      request: { orderId: 'O-1', quantity: '200' },
    });
    expect(validateAmend(order, { quantity: '100', limitPrice: '102', stopPrice: '' })).toEqual({
      ok: true,
      request: { orderId: 'O-1', limitPrice: '102' },
    });
  });

  it('says so when nothing changed', () => {
    const result = validateAmend(order, amendFormFromOrder(order));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.form).toMatch(/^An amend changes/);
  });

  it('validates the new values with the shared schema', () => {
    const result = validateAmend(order, { quantity: 'abc', limitPrice: '0', stopPrice: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.quantity).toMatch(/^Quantity must be/);
      expect(result.errors.limitPrice).toMatch(/^Limit price must be/);
    }
  });

  it('ignores a stop price on an order type without one', () => {
    expect(validateAmend(order, { quantity: '150', limitPrice: '101.5', stopPrice: '99' })).toEqual({
      ok: true,
      request: { orderId: 'O-1', quantity: '150' },
    });
  });

  it('maps desk refusals', () => {
    expect(amendErrorsFromFields({ quantity: 'below the executed quantity' }, 'x')).toEqual({ quantity: 'Below the executed quantity' });
    expect(amendErrorsFromFields(undefined, 'order is done')).toEqual({ form: 'Order is done' });
  });
});
