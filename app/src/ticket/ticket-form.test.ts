import { describe, expect, it } from 'vitest';
import { emptyTicket, errorsFromDeskError, ticketRequest, validateTicket } from './ticket-form';
import type { TicketForm } from './ticket-form';
import type { Future, Instrument } from '../../../shared/domain/instrument';

const es: Future = {
  id: 'ESZ6.XCME', assetClass: 'future', symbol: 'ESZ6', name: 'E-mini S&P 500 Dec 2026', currency: 'USD', exchange: 'XCME', tickSize: '0.25', lotSize: '1',
  root: 'ES', contractMonth: '2026-12', expiry: '2026-12-18', multiplier: '50', tickValue: '12.50',
};

const base: TicketForm = { ...emptyTicket(['FUND1'], ['SIM-A']), instrumentId: 'VOD.XLON', quantity: '1000', limitPrice: '101.25' };

describe('ticketRequest', () => {
  it('leaves out fields that do not apply and empty ones', () => {
    expect(ticketRequest({ ...base, orderType: 'market', stopPrice: '99', expireDate: '2026-12-01' })).toEqual({
      instrumentId: 'VOD.XLON',
      side: 'buy',
      quantity: '1000',
      orderType: 'market',
      timeInForce: 'day',
      account: 'FUND1',
      broker: 'SIM-A',
    });
    expect(ticketRequest({ ...base, orderType: 'stopLimit', stopPrice: ' 100 ', timeInForce: 'gtd', expireDate: '2026-12-01' })).toMatchObject({
      limitPrice: '101.25',
      stopPrice: '100',
      expireDate: '2026-12-01',
    });
  });
});

describe('validateTicket', () => {
  it('accepts a complete limit order', () => {
    const result = validateTicket(base);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.ticket).toMatchObject({ instrumentId: 'VOD.XLON', quantity: '1000', limitPrice: '101.25' });
  });

  it('puts each problem under its field, in sentence case', () => {
    const result = validateTicket({ ...base, instrumentId: '', quantity: '-5', limitPrice: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.instrumentId).toBe('Pick an instrument (type part of its symbol, name or ISIN)');
      expect(result.errors.quantity).toMatch(/^Quantity must be a positive decimal/);
      expect(result.errors.limitPrice).toBe('Limit price is required for a limit order');
    }
  });

  it('asks for the stop price and the expire date when they apply', () => {
    const result = validateTicket({ ...base, orderType: 'stop', timeInForce: 'gtd' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.stopPrice).toBe('Stop price is required for a stop order');
      expect(result.errors.expireDate).toBe('Expire date is required for a GTD order');
      expect(result.errors.limitPrice).toBeUndefined();
    }
  });

  it('checks the picked instrument\'s lot and tick sizes before anything is sent', () => {
    const result = validateTicket({ ...base, instrumentId: 'ESZ6.XCME', quantity: '2', limitPrice: '6000.10', orderType: 'stopLimit', stopPrice: '6001.25' }, es);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual({ limitPrice: 'Price must be a multiple of the tick size 0.25' });
    const toyota = validateTicket({ ...base, instrumentId: '7203.XTKS', quantity: '150', limitPrice: '2500.5' }, { ...es, id: '7203.XTKS', assetClass: 'equity', isin: 'JP3633400001', lotSize: '100', tickSize: '0.5' } as Instrument);
    expect(toyota.ok).toBe(false);
    if (!toyota.ok) expect(toyota.errors).toEqual({ quantity: 'Shares must be a multiple of the lot size 100' });
    // An instrument other than the one named (a pick still loading) checks nothing.
    expect(validateTicket({ ...base, quantity: '3', limitPrice: '101.10' }, es).ok).toBe(true);
  });

  it('sends the value date the ticket shows', () => {
    const result = validateTicket({ ...base, instrumentId: 'EURUSD.3M', limitPrice: '1.08512' }, undefined, '2027-03-10');
    expect(result.ok && result.ticket.valueDate).toBe('2027-03-10');
  });

  it('refuses more than 12 decimal places without rounding', () => {
    const result = validateTicket({ ...base, limitPrice: '1.0000000000001' });
    expect(result.ok).toBe(false);
  });
});

describe('errorsFromDeskError', () => {
  it('maps the desk’s per-field messages to fields', () => {
    expect(
      errorsFromDeskError({ code: 'INVALID_REQUEST', message: 'bad', fields: { quantity: 'quantity exceeds the maximum', _: 'x' } }),
    ).toEqual({ quantity: 'Quantity exceeds the maximum', form: 'X' });
  });
  it('shows a refusal without fields above the button', () => {
    expect(errorsFromDeskError({ code: 'BROKER_UNAVAILABLE', message: 'SIM-A is not logged on' })).toEqual({
      form: 'SIM-A is not logged on',
    });
  });
});
