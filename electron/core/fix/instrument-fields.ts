import type { Bond, FxInstrument, Instrument } from '../../../shared/domain/instrument';
import type { FixVersion } from '../config/desk-config';
import { fxValueDate } from '../instruments/contract-terms';
import type { FixField } from './fix-wire';

/**
 * The Instrument component of an order or market-data message (NewOrderSingle, replace, cancel, status request) for
 * each asset class, as each FIX version spells it:
 *
 *   class   Symbol 55        SecurityType 167             other
 *   equity  ticker           CS                           SecurityID 48 + IDSource 22=4 (ISIN), SecurityExchange 207
 *   future  root (ES)        FUT                          MaturityMonthYear 200, 207
 *   option  underlying       OPT                          200, MaturityDay 205 (4.2) / MaturityDate 541, PutOrCall 201,
 *                                                         StrikePrice 202, ContractMultiplier 231, ExerciseStyle 1194 (5.0)
 *   fx      BASE/QUOTE       FOR (4.x), FXSPOT/FXFWD (5.0) (order terms: Currency 15 = the dealt base currency,
 *                                                         SettlType 63 0 regular / 6 future + SettlDate 64)
 *   bond    [N/A]            GOVT/CORP (4.2); TNOTE/TBOND, 48+22=4 ISIN, CouponRate 223, maturity (200+205 in 4.2,
 *                            EUSOV, CORP/EUCORP (4.4+)    541 after); order terms: PriceType 423=1 (4.4+)
 *
 * Every tag and enum value here is checked against the version's dictionary by instrument-fields.test.ts.
 */
export function instrumentFields(instrument: Instrument, fixVersion: FixVersion, tradeDate: string): FixField[] {
  const v42 = fixVersion === 'FIX.4.2';
  const v50 = fixVersion === 'FIX.5.0SP2';
  const isin = (isin: string | undefined): FixField[] => (isin === undefined ? [] : [[48, isin], [22, '4']]);
  const exchange: FixField[] = instrument.exchange !== undefined ? [[207, instrument.exchange]] : [];
  switch (instrument.assetClass) {
    case 'equity':
      return [[55, instrument.symbol], ...isin(instrument.isin), [167, 'CS'], ...exchange];
    case 'future':
      return [[55, instrument.root], [167, 'FUT'], [200, compactMonth(instrument.contractMonth)], ...exchange];
    case 'option':
      return [
        [55, instrument.symbol],
        [167, 'OPT'],
        [200, compactMonth(instrument.expiry.slice(0, 7))],
        v42 ? [205, instrument.expiry.slice(8, 10)] : [541, compactDate(instrument.expiry)],
        [201, instrument.putCall === 'put' ? '0' : '1'],
        [202, instrument.strike],
        [231, instrument.multiplier],
        ...(v50 ? ([[1194, instrument.exerciseStyle === 'european' ? '0' : '1']] as FixField[]) : []),
        ...exchange,
      ];
    case 'fx':
      return fxFields(instrument, v50);
    case 'bond': {
      const type = bondSecurityType(instrument, fixVersion, tradeDate);
      const maturity: FixField[] = v42 ? [[200, compactMonth(instrument.maturity.slice(0, 7))], [205, instrument.maturity.slice(8, 10)]] : [[541, compactDate(instrument.maturity)]];
      return [[55, '[N/A]'], ...isin(instrument.isin), ...(type !== undefined ? ([[167, type]] as FixField[]) : []), ...maturity, [223, instrument.coupon]];
    }
  }
}

/**
 * Fields that go with the order rather than the Instrument component: Currency (15: the price
 * currency; for FX the dealt currency, the base, in which OrderQty is counted), PriceType for bonds
 * (percent of par; FIX 4.2 has no PriceType on an order), settlement for FX.
 */
export function orderTermsFields(instrument: Instrument, fixVersion: FixVersion, tradeDate: string): FixField[] {
  switch (instrument.assetClass) {
    case 'bond':
      return fixVersion === 'FIX.4.2' ? [[15, instrument.currency]] : [[15, instrument.currency], [423, '1']];
    case 'fx':
      // Spot settles regular (SettlType 0); a forward is SettlType 6 with its value date (FutSettDate in 4.2: same tags).
      return instrument.tenor === 'SPOT'
        ? [[15, instrument.baseCurrency], [63, '0']]
        : [[15, instrument.baseCurrency], [63, '6'], [64, compactDate(fxValueDate(instrument, tradeDate))]];
    default:
      return [[15, instrument.currency]];
  }
}

function fxFields(instrument: FxInstrument, v50: boolean): FixField[] {
  const type = v50 ? (instrument.tenor === 'SPOT' ? 'FXSPOT' : 'FXFWD') : 'FOR';
  return [[55, instrument.symbol], [167, type]];
}

/** SecurityType of a bond: 4.2 has GOVT and CORP; 4.4 and 5.0 name US Treasuries and euro sovereigns, and leave other governments to the ISIN. */
function bondSecurityType(bond: Bond, fixVersion: FixVersion, tradeDate: string): string | undefined {
  if (bond.issuerType === 'corporate') return fixVersion !== 'FIX.4.2' && bond.currency === 'EUR' ? 'EUCORP' : 'CORP';
  if (fixVersion === 'FIX.4.2') return 'GOVT';
  if (bond.currency === 'USD') return Number(bond.maturity.slice(0, 4)) - Number(tradeDate.slice(0, 4)) > 10 ? 'TBOND' : 'TNOTE';
  if (bond.currency === 'EUR') return 'EUSOV';
  return undefined;
}

/** YYYY-MM → YYYYMM (MaturityMonthYear). */
function compactMonth(month: string): string {
  return month.replace('-', '');
}

/** YYYY-MM-DD → YYYYMMDD (LocalMktDate). */
function compactDate(date: string): string {
  return date.replaceAll('-', '');
}
