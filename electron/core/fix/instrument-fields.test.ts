import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../shared/domain/instrument';
import { FIX_VERSIONS } from '../config/desk-config';
import { loadInstrumentFile } from '../instruments/instrument-file';
import { dictionaryFacts } from './dictionary/jspurefix-dictionary.test-support';
import { instrumentFields, orderTermsFields } from './instrument-fields';

const instruments = loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv'));
const byId = (id: string) => instruments.find((i) => i.id === id) as Instrument;
const TRADE_DATE = '2026-12-07';
const asText = (fields: ReadonlyArray<readonly [number, string]>) => fields.map(([t, v]) => `${t}=${v}`).join('|');

describe('the instrument block of an order, per class and FIX version', () => {
  it.each(FIX_VERSIONS)('%s: every tag is one NewOrderSingle carries, every coded value one the dictionary defines', async (version) => {
    const dictionary = await dictionaryFacts(version);
    const allowed = dictionary.messageTags('D');
    for (const instrument of instruments) {
      for (const [tag, value] of [...instrumentFields(instrument, version, TRADE_DATE), ...orderTermsFields(instrument, version, TRADE_DATE)]) {
        expect(allowed.has(tag), `${instrument.id}: tag ${tag} in ${version} NewOrderSingle`).toBe(true);
        const values = dictionary.enumValues(tag);
        if (values !== undefined && tag !== 15) expect(values.has(value), `${instrument.id}: ${tag}=${value} in ${version}`).toBe(true);
      }
    }
  }, 60_000);

  it.each([
    ['AAPL.XNAS', 'FIX.4.4', '55=AAPL|48=US0378331005|22=4|167=CS|207=XNAS'],
    ['ESZ6.XCME', 'FIX.4.2', '55=ES|167=FUT|200=202612|207=XCME'],
    ['AAPL261218C200', 'FIX.4.2', '55=AAPL|167=OPT|200=202612|205=18|201=1|202=200|231=100|207=XCBO'],
    ['AAPL261218P180', 'FIX.5.0SP2', '55=AAPL|167=OPT|200=202612|541=20261218|201=0|202=180|231=100|1194=1|207=XCBO'],
    ['EURUSD.SPOT', 'FIX.4.4', '55=EUR/USD|167=FOR'],
    ['EURUSD.3M', 'FIX.5.0SP2', '55=EUR/USD|167=FXFWD'],
    ['UST.4.625.2054', 'FIX.4.4', '55=[N/A]|48=US912810UA59|22=4|167=TBOND|541=20541115|223=4.625'],
    ['UST.4.125.2029', 'FIX.4.4', '55=[N/A]|48=US91282CMB45|22=4|167=TNOTE|541=20291130|223=4.125'],
    ['DBR.2.6.2034', 'FIX.4.2', '55=[N/A]|48=DE0001102580|22=4|167=GOVT|200=203408|205=15|223=2.6'],
    ['VOD.XLON', 'FIX.4.4', '55=VOD.L|48=GB00BH4HKS39|22=4|167=CS|207=XLON'],
  ] as const)('%s in %s', (id, version, expected) => {
    expect(asText(instrumentFields(byId(id), version, TRADE_DATE))).toBe(expected);
  });

  it('prices in the price currency (FX: counts in the base), settles FX spot regular and forwards on their value date; bonds are priced in percent of par', () => {
    expect(asText(orderTermsFields(byId('EURUSD.SPOT'), 'FIX.4.4', TRADE_DATE))).toBe('15=EUR|63=0');
    expect(asText(orderTermsFields(byId('EURUSD.3M'), 'FIX.4.2', TRADE_DATE))).toBe('15=EUR|63=6|64=20270309');
    expect(asText(orderTermsFields(byId('UST.4.25.2034'), 'FIX.4.4', TRADE_DATE))).toBe('15=USD|423=1');
    expect(asText(orderTermsFields(byId('UST.4.25.2034'), 'FIX.4.2', TRADE_DATE))).toBe('15=USD');
    expect(asText(orderTermsFields(byId('VOD.XLON'), 'FIX.5.0SP2', TRADE_DATE))).toBe('15=GBX');
  });
});
