import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX_VERSIONS } from '../config/desk-config';
import { fxValueDate } from '../instruments/contract-terms';
import { loadInstrumentFile } from '../instruments/instrument-file';
import { InstrumentMaster } from '../instruments/instrument-master';
import { marketDataRequest } from '../marketdata/fix-market-data';
import { identifyInstrument } from './instrument-identity';
import { instrumentFields, orderTermsFields } from './instrument-fields';

const master = new InstrumentMaster(loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv')));
const TRADE_DATE = '2026-12-07';

describe('naming an instrument in FIX and reading it back', () => {
  it.each(FIX_VERSIONS)('%s: every instrument of an order names itself (FX: the pair and the value date)', (version) => {
    for (const instrument of master.all()) {
      const fields = new Map([...instrumentFields(instrument, version, TRADE_DATE), ...orderTermsFields(instrument, version, TRADE_DATE)]);
      const identified = identifyInstrument(fields, master);
      if (instrument.assetClass === 'fx') {
        expect(identified).toMatchObject({ instrument: { symbol: instrument.symbol, tenor: 'SPOT' } });
        if (instrument.tenor !== 'SPOT') expect(identified).toMatchObject({ valueDate: fxValueDate(instrument, TRADE_DATE) });
      } else {
        expect(identified, instrument.id).toEqual({ instrument });
      }
    }
  });

  it.each(FIX_VERSIONS)('%s: every market-data request names its instrument, a forward its value date', (version) => {
    for (const instrument of master.all()) {
      const request = marketDataRequest('R1', instrument, version, 'subscribe', TRADE_DATE).fields;
      const entry = new Map(request.slice(request.findIndex(([tag]) => tag === 146) + 1)); // the one NoRelatedSym entry
      const identified = identifyInstrument(entry, master);
      if (instrument.assetClass === 'fx' && instrument.tenor !== 'SPOT') expect(identified).toMatchObject({ valueDate: fxValueDate(instrument, TRADE_DATE) });
      else if (instrument.assetClass !== 'fx') expect(identified, instrument.id).toEqual({ instrument });
    }
  });

  it.each([
    ['an unknown ISIN', [[48, 'US0000000000'], [22, '4'], [55, 'X']], /no instrument with ISIN/],
    ['an unknown ticker', [[55, 'NOPE'], [167, 'CS']], /no instrument NOPE/],
    ['a future month not listed', [[55, 'ES'], [167, 'FUT'], [200, '203012']], /no instrument ES \(FUT\) 203012/],
    ['a strike not listed', [[55, 'AAPL'], [167, 'OPT'], [200, '202612'], [541, '20261218'], [201, '1'], [202, '201']], /no instrument AAPL/],
    ['a bond by name', [[55, '[N/A]'], [167, 'TNOTE']], /bonds are named by ISIN/],
    ['no symbol at all', [[167, 'CS']], /no Symbol/],
  ] as const)('refuses %s with a reason', (_what, fields, reason) => {
    const identified = identifyInstrument(new Map(fields.map(([t, v]) => [t, v])), master);
    expect('problem' in identified && identified.problem).toMatch(reason);
  });
});
