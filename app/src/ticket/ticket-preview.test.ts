import { describe, expect, it } from 'vitest';
import type { OrderPreview } from '../../../shared/contract/instruments';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { Future } from '../../../shared/domain/instrument';
import { emptyTicket } from './ticket-form';
import { previewErrors, previewRequest } from './ticket-preview';

const es: Future = {
  id: 'ESZ6.XCME', assetClass: 'future', symbol: 'ESZ6', name: 'E-mini S&P 500 Dec 2026', currency: 'USD', exchange: 'XCME', tickSize: '0.25', lotSize: '1',
  root: 'ES', contractMonth: '2026-12', expiry: '2026-12-18', multiplier: '50', tickValue: '12.50',
};
const form = { ...emptyTicket(['FUND1'], ['SIM-A']), instrumentId: 'ESZ6.XCME' };
const quote: QuoteView = { instrumentId: 'ESZ6.XCME', bid: '5999.75', ask: '6000.00', last: '6000.25', updatedAt: 'x', source: 'MD', stale: false };

describe('previewRequest', () => {
  it('asks for what is typed that is a number, for the picked instrument only', () => {
    const order = { side: 'buy', account: 'FUND1', broker: 'SIM-A' };
    expect(previewRequest({ ...form, quantity: '2', limitPrice: '6000.25' }, es, quote)).toEqual({ instrumentId: 'ESZ6.XCME', quantity: '2', limitPrice: '6000.25', ...order });
    expect(previewRequest({ ...form, quantity: 'abc', limitPrice: '' }, es, quote)).toEqual({ instrumentId: 'ESZ6.XCME', marketPrice: '6000.00', ...order });
    expect(previewRequest({ ...form, instrumentId: 'AAPL.XNAS' }, es, quote)).toBeUndefined();
    expect(previewRequest(form, undefined)).toBeUndefined();
  });

  it('values a market order at the touch of its side (the ask to buy, the bid to sell), else the last', () => {
    const market = { ...form, orderType: 'market' as const, quantity: '1' };
    expect(previewRequest(market, es, quote)?.marketPrice).toBe('6000.00');
    expect(previewRequest({ ...market, side: 'sell' }, es, quote)?.marketPrice).toBe('5999.75');
    expect(previewRequest(market, es, { ...quote, ask: undefined })?.marketPrice).toBe('6000.25');
    expect(previewRequest(market, es, undefined)?.marketPrice).toBeUndefined();
  });

  it('sends the stop price for a stop order and the expire date for GTD', () => {
    expect(previewRequest({ ...form, orderType: 'stop', stopPrice: '6100', timeInForce: 'gtd', expireDate: '2026-12-11' }, es, quote)).toEqual({
      instrumentId: 'ESZ6.XCME',
      stopPrice: '6100',
      expireDate: '2026-12-11',
      side: 'buy',
      account: 'FUND1',
      broker: 'SIM-A',
    });
  });

  it('asks for the pre-trade checks with side, account and broker; a short sale says whether its locate was arranged', () => {
    expect(previewRequest({ ...form, side: 'sellShort', quantity: '1', limitPrice: '6000' }, es, quote, true)).toMatchObject({ side: 'sellShort', account: 'FUND1', broker: 'SIM-A', locate: true });
    expect(previewRequest({ ...form, quantity: '1', limitPrice: '6000' }, es, quote, true)?.locate).toBeUndefined();
  });
});

describe('previewErrors', () => {
  const preview = (problems: OrderPreview['problems'], id = 'ESZ6.XCME'): OrderPreview =>
    ({ details: { instrument: { ...es, id }, quantityUnit: 'contracts', priceMeaning: 'price', tradeDate: '2026-12-07', expired: false }, problems }) as OrderPreview;

  it('puts the desk\'s problems under their fields; a problem of no field above the button', () => {
    expect(previewErrors(preview({ limitPrice: { code: 'TICK_SIZE', message: 'price must be a multiple of the tick size 0.25' }, valueDate: { code: 'VALUE_DATE', message: 'value date changed' } }), 'ESZ6.XCME')).toEqual({
      limitPrice: 'Price must be a multiple of the tick size 0.25',
      form: 'Value date changed',
    });
  });

  it('ignores a preview of another instrument (an answer that arrived late)', () => {
    expect(previewErrors(preview({ quantity: { code: 'LOT_SIZE', message: 'x' } }, 'AAPL.XNAS'), 'ESZ6.XCME')).toEqual({});
    expect(previewErrors(undefined, 'ESZ6.XCME')).toEqual({});
  });
});
