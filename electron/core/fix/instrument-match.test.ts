import { describe, expect, it } from 'vitest';
import { shippedInstrument, shippedMaster } from '../instruments/shipped-instruments.test-support';
import { identifyInstrument } from './instrument-identity';
import { instrumentConflict, reportedInstrumentFields } from './instrument-match';

const order = (id: string) => ({ instrument: shippedInstrument(id), tradeDate: '2026-11-02' });

describe('a report against the order’s instrument', () => {
  it('takes a report that leaves fields out, or states them as sent (strikes as numbers, a month with its day)', () => {
    expect(instrumentConflict(order('AAPL.XNAS'), 'FIX.4.4', 'AAPL', undefined)).toBeUndefined();
    expect(instrumentConflict(order('AAPL261218C200'), 'FIX.4.4', 'AAPL', { securityType: 'OPT', strikePrice: '200.00', putOrCall: '1', maturityMonthYear: '20261218' })).toBeUndefined();
    expect(instrumentConflict(order('EURUSD.3M'), 'FIX.5.0SP2', 'EUR/USD', { securityType: 'FXFWD', settlDate: '20270204' })).toBeUndefined();
  });

  it('names what differs: another symbol, strike, put/call, contract month or value date', () => {
    expect(instrumentConflict(order('AAPL.XNAS'), 'FIX.4.4', 'MSFT', undefined)).toMatch(/symbol MSFT \(sent AAPL\)/);
    expect(instrumentConflict(order('AAPL261218C200'), 'FIX.4.2', 'AAPL', { strikePrice: '210', putOrCall: '0' })).toMatch(/putOrCall 0 \(sent 1\), strikePrice 210 \(sent 200\)/);
    expect(instrumentConflict(order('ESZ6.XCME'), 'FIX.4.4', 'ES', { securityType: 'FUT', maturityMonthYear: '202703' })).toMatch(/maturityMonthYear 202703/);
    expect(instrumentConflict(order('EURUSD.3M'), 'FIX.4.4', 'EUR/USD', { settlDate: '20270205' })).toMatch(/settlDate 20270205 \(sent 20270204\)/);
  });

  it('names a bond by its ISIN alone (its Symbol is free text), and refuses another ISIN', () => {
    expect(instrumentConflict(order('UST.4.25.2034'), 'FIX.4.4', 'T 4.25 11/15/34', { securityId: 'US91282CLW90', securityIdSource: '4' })).toBeUndefined();
    expect(instrumentConflict(order('UST.4.25.2034'), 'FIX.4.4', '[N/A]', { securityId: 'DE0001102580', securityIdSource: '4' })).toMatch(/ISIN DE0001102580/);
  });

  it('gives identifyInstrument back the fields a report carried (an adopted order names its instrument)', () => {
    const fields = reportedInstrumentFields('EUR/USD', { securityType: 'FOR', settlDate: '20270204' });
    expect(identifyInstrument(fields, shippedMaster())).toMatchObject({ instrument: { id: 'EURUSD.SPOT' }, valueDate: '2027-02-04' });
  });
});
