import { describe, expect, it } from 'vitest';
import { shippedInstrument } from './shipped-instruments.test-support';
import { instrumentDetails, isExpired, orderPreview, settlementDate, ticketProblems } from './ticket-rules';

const codes = (problems: Record<string, { code: string }>) => Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, p.code]));

describe('ticket rules per asset class', () => {
  it.each([
    // equity: shares in lots, price on the tick (London pence: 0.02; Tokyo: lots of 100)
    ['VOD.XLON', { quantity: '1000', limitPrice: '70.52' }, {}],
    ['VOD.XLON', { quantity: '1000', limitPrice: '70.51' }, { limitPrice: 'TICK_SIZE' }],
    ['7203.XTKS', { quantity: '150', limitPrice: '2700' }, { quantity: 'LOT_SIZE' }],
    // future: whole contracts, price on its tick (0.25 index points)
    ['ESZ6.XCME', { quantity: '2', limitPrice: '6000.25', stopPrice: '5990.5' }, {}],
    ['ESZ6.XCME', { quantity: '1.5', limitPrice: '6000.1' }, { quantity: 'LOT_SIZE', limitPrice: 'TICK_SIZE' }],
    ['ZNH7.XCBT', { quantity: '3', limitPrice: '110.015625' }, {}],
    // option: contracts, premium on its tick
    ['AAPL261218C200', { quantity: '10', limitPrice: '3.455' }, { limitPrice: 'TICK_SIZE' }],
    // fx: base-currency amount, rate on the pip fraction; the value date must be the tenor's today
    ['EURUSD.SPOT', { quantity: '1000000', limitPrice: '1.08512', valueDate: '2026-11-04' }, {}],
    ['EURUSD.3M', { quantity: '1000000', limitPrice: '1.085125', valueDate: '2027-02-05' }, { limitPrice: 'TICK_SIZE', valueDate: 'VALUE_DATE' }],
    // bond: face value in lots of 1,000, price in % of par on 1/256
    ['UST.4.25.2034', { quantity: '1000000', limitPrice: '98.50390625' }, {}],
    ['UST.4.25.2034', { quantity: '1500.5', limitPrice: '98.501' }, { quantity: 'LOT_SIZE', limitPrice: 'TICK_SIZE' }],
    // a value date only on FX; a GTD date within the contract's life
    ['AAPL.XNAS', { quantity: '100', valueDate: '2026-11-04' }, { valueDate: 'VALUE_DATE' }],
    ['ESZ6.XCME', { quantity: '1', expireDate: '2026-12-31' }, { expireDate: 'EXPIRE_DATE' }],
    ['AAPL.XNAS', { quantity: '1', expireDate: '2026-11-01' }, { expireDate: 'EXPIRE_DATE' }],
    ['AAPL.XNAS', { quantity: '1', expireDate: '2026-11-20' }, {}],
  ] as const)('%s %o: %o', (id, terms, expected) => {
    expect(codes(ticketProblems(shippedInstrument(id), terms, '2026-11-02'))).toEqual(expected);
  });

  it('refuses a future or an option past its expiry and a bond that matures before it settles, on the trade date given', () => {
    expect(isExpired(shippedInstrument('ESZ6.XCME'), '2026-12-18')).toBe(false); // its last trading day
    expect(codes(ticketProblems(shippedInstrument('ESZ6.XCME'), {}, '2026-12-21'))).toEqual({ instrumentId: 'INSTRUMENT_EXPIRED' });
    expect(ticketProblems(shippedInstrument('AAPL261218C200'), {}, '2026-12-19').instrumentId?.message).toMatch(/expired 2026-12-18/);
    expect(isExpired(shippedInstrument('MSFT.3.3.2027'), '2027-02-05')).toBe(true);
    expect(isExpired(shippedInstrument('AAPL.XNAS'), '2099-01-01')).toBe(false);
  });

  it('names the settlement: an FX tenor from the spot date, a bond by its market convention, none for listed products', () => {
    expect(settlementDate(shippedInstrument('EURUSD.SPOT'), '2026-11-02')).toBe('2026-11-04');
    expect(settlementDate(shippedInstrument('EURUSD.3M'), '2026-11-02')).toBe('2027-02-04');
    expect(settlementDate(shippedInstrument('UST.4.25.2034'), '2026-11-02')).toBe('2026-11-03'); // T+1
    expect(settlementDate(shippedInstrument('DBR.2.6.2034'), '2026-11-02')).toBe('2026-11-04'); // T+2
    expect(settlementDate(shippedInstrument('ESZ6.XCME'), '2026-11-02')).toBeUndefined();
  });

  it('describes the units and price meaning of each class', () => {
    const units = ['AAPL.XNAS', 'ESZ6.XCME', 'AAPL261218C200', 'EURUSD.3M', 'UST.4.25.2034'].map((id) => {
      const d = instrumentDetails(shippedInstrument(id), '2026-11-02');
      return [d.quantityUnit, d.priceMeaning];
    });
    expect(units).toEqual([
      ['shares', 'price'],
      ['contracts', 'price'],
      ['contracts', 'premium'],
      ['EUR', 'rate'],
      ['USD face', '% of par'],
    ]);
  });
});

describe('order preview', () => {
  it('values a future with its multiplier and an option with its contract size, in the instrument currency', () => {
    expect(orderPreview(shippedInstrument('ESZ6.XCME'), { instrumentId: 'ESZ6.XCME', quantity: '2', limitPrice: '6000.25' }, '2026-11-02')).toMatchObject({ notional: '600025', valuedAt: '6000.25', problems: {} });
    expect(orderPreview(shippedInstrument('AAPL261218C200'), { instrumentId: 'AAPL261218C200', quantity: '10', marketPrice: '3.45' }, '2026-11-02').notional).toBe('3450');
  });

  it('prices London shares in pence and shows the pounds', () => {
    expect(orderPreview(shippedInstrument('VOD.XLON'), { instrumentId: 'VOD.XLON', quantity: '10000', limitPrice: '70.52' }, '2026-11-02')).toMatchObject({
      notional: '705200',
      notionalMajor: { amount: '7052', currency: 'GBP' },
    });
  });

  it('adds a bond’s accrued interest at its settlement date (ACT/ACT, semi-annual)', () => {
    // UST 4.25 % 15 Nov 2034, settling 3 Nov 2026: 172 of 184 days of the half-year coupon since 15 May: 21,250 × 172 / 184.
    const preview = orderPreview(shippedInstrument('UST.4.25.2034'), { instrumentId: 'UST.4.25.2034', quantity: '1000000', limitPrice: '98.5' }, '2026-11-02');
    expect(preview).toMatchObject({ notional: '985000', accruedInterest: '19864.13', settlementAmount: '1004864.13', details: { settlementDate: '2026-11-03' } });
  });

  it('values an FX order in the quote currency and names its value date', () => {
    const preview = orderPreview(shippedInstrument('EURUSD.3M'), { instrumentId: 'EURUSD.3M', quantity: '1000000', limitPrice: '1.09' }, '2026-11-02');
    expect(preview).toMatchObject({ notional: '1090000', details: { settlementDate: '2027-02-04', quantityUnit: 'EUR' } });
  });

  it('reports what it can without a quantity or a price, and the problems of what is given', () => {
    const preview = orderPreview(shippedInstrument('ESZ6.XCME'), { instrumentId: 'ESZ6.XCME', limitPrice: '6000.1' }, '2026-11-02');
    expect(preview.notional).toBeUndefined();
    expect(codes(preview.problems)).toEqual({ limitPrice: 'TICK_SIZE' });
  });
});
