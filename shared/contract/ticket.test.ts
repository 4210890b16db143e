import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';
import { orderTicketSchema } from './ticket';

const ticket = {
  instrumentId: 'AAPL.XNAS',
  side: 'buy',
  quantity: '100',
  orderType: 'limit',
  limitPrice: '150.25',
  timeInForce: 'day',
  account: 'FUND-ALPHA',
  broker: 'SIM-A',
};

function fields(params: unknown): Record<string, string> {
  const r = parseCommand('submitOrder', params);
  if (r.ok) return {};
  if (r.result.ok) throw new Error('unreachable');
  return { ...r.result.error.fields };
}

describe('order ticket validation', () => {
  it('accepts a complete limit order', () => {
    expect(orderTicketSchema.safeParse(ticket).success).toBe(true);
  });

  it.each([
    [{ quantity: '0' }, 'quantity'],
    [{ quantity: '-5' }, 'quantity'],
    [{ quantity: '1e3' }, 'quantity'],
    [{ quantity: 100 }, 'quantity'],
    [{ limitPrice: undefined }, 'limitPrice'],
    [{ orderType: 'market' }, 'limitPrice'],
    [{ orderType: 'stop' }, 'stopPrice'],
    [{ timeInForce: 'gtd' }, 'expireDate'],
    [{ expireDate: '2026-12-01' }, 'expireDate'],
    [{ side: 'sideways' }, 'side'],
    [{ instrumentId: '' }, 'instrumentId'],
    [{ instrumentId: 'A\u0001B' }, 'instrumentId'],
    [{ instrumentId: 'aapl.xnas' }, 'instrumentId'],
    [{ valueDate: '2026-1-5' }, 'valueDate'],
    [{ account: '' }, 'account'],
  ])('refuses %o, naming %s', (change, field) => {
    expect(Object.keys(fields({ ...ticket, ...change }))).toContain(field);
  });

  it('refuses unknown fields', () => {
    expect(fields({ ...ticket, price: '1' })).not.toEqual({});
  });

  it('names an instrument by its id, not by a symbol', () => {
    const { instrumentId: _id, ...rest } = ticket;
    expect(Object.keys(fields({ ...rest, symbol: 'AAPL' }))).toEqual(expect.arrayContaining(['instrumentId']));
  });

  it('takes fractional quantities such as FX amounts', () => {
    expect(orderTicketSchema.safeParse({ ...ticket, quantity: '1000000.50', limitPrice: '1.08345' }).success).toBe(true);
  });
});
