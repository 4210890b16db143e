import type { FxInstrument, Instrument } from '../../../shared/domain/instrument';
import { Dec } from '../decimal/decimal';
import type { InstrumentMaster } from '../instruments/instrument-master';

/** An instrument named by a message's Instrument component; for FX, also the value date it names, if any. */
export interface Identified {
  readonly instrument: Instrument;
  /** YYYY-MM-DD: a forward's value date (SettlDate 64, or the maturity fields older versions use). */
  readonly valueDate?: string;
}

/**
 * Which instrument a message's Instrument fields name (instrument-fields.ts writes them): by ISIN
 * (48 with 22=4) where there is one; else by SecurityType (167) and Symbol (55) with the class's
 * own fields — a future's root and MaturityMonthYear, an option's expiry, put/call and strike, an FX
 * pair (the value date read as instrument-fields and fix-market-data write it).
 */
export function identifyInstrument(fields: ReadonlyMap<number, string>, master: InstrumentMaster): Identified | { readonly problem: string } {
  const isin = fields.get(22) === '4' ? fields.get(48) : undefined;
  if (isin !== undefined) {
    const instrument = master.withIsin(isin);
    return instrument !== undefined ? { instrument } : { problem: `no instrument with ISIN ${isin}` };
  }
  const symbol = fields.get(55);
  if (symbol === undefined) return { problem: 'no Symbol (55) and no ISIN' };
  const type = fields.get(167);
  const candidates = byFixSymbol(master).get(symbol) ?? [];
  const named = `${symbol}${type !== undefined ? ` (${type})` : ''}`;
  switch (type) {
    case undefined:
    case 'CS': {
      const exchange = fields.get(207);
      const matches = candidates.filter((i) => i.assetClass === 'equity' && (exchange === undefined || i.exchange === exchange));
      return one(matches, named);
    }
    case 'FUT': {
      const month = fields.get(200);
      return one(
        candidates.filter((i) => i.assetClass === 'future' && i.contractMonth.replace('-', '') === month),
        `${named} ${month ?? '(no MaturityMonthYear)'}`,
      );
    }
    case 'OPT': {
      const expiry = maturityDate(fields);
      const putCall = fields.get(201) === '0' ? 'put' : fields.get(201) === '1' ? 'call' : undefined;
      const strike = fields.get(202);
      const matches = candidates.filter(
        (i) =>
          i.assetClass === 'option' &&
          i.putCall === putCall &&
          strike !== undefined &&
          isNumber(strike) &&
          new Dec(i.strike).equals(strike) &&
          (expiry !== undefined ? i.expiry === expiry : i.expiry.slice(0, 7).replace('-', '') === fields.get(200)),
      );
      return one(matches, `${named} ${fields.get(200) ?? ''} ${putCall ?? '?'} ${strike ?? '?'}`);
    }
    case 'FOR':
    case 'FXSPOT':
    case 'FXFWD': {
      const spot = candidates.find((i): i is FxInstrument => i.assetClass === 'fx' && i.tenor === 'SPOT');
      if (spot === undefined) return { problem: `no FX pair ${symbol}` };
      const valueDate = fields.get(63) === '6' ? isoDate(fields.get(64)) : maturityDate(fields);
      return valueDate !== undefined ? { instrument: spot, valueDate } : { instrument: spot };
    }
    default:
      return { problem: `no instrument ${named}: bonds are named by ISIN` };
  }
}

function one(matches: readonly Instrument[], named: string): Identified | { problem: string } {
  if (matches.length === 1) return { instrument: matches[0] as Instrument };
  return { problem: matches.length === 0 ? `no instrument ${named}` : `${named} names ${matches.length} instruments` };
}

/** MaturityDate (541), or MaturityMonthYear + MaturityDay (200, 205) in FIX 4.2, as YYYY-MM-DD. */
function maturityDate(fields: ReadonlyMap<number, string>): string | undefined {
  const date = fields.get(541);
  if (date !== undefined) return isoDate(date);
  const month = fields.get(200);
  const day = fields.get(205);
  return month !== undefined && day !== undefined && /^\d{6}$/.test(month) && /^\d{1,2}$/.test(day) ? isoDate(`${month}${day.padStart(2, '0')}`) : undefined;
}

function isoDate(compact: string | undefined): string | undefined {
  return compact !== undefined && /^\d{8}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}` : undefined;
}

function isNumber(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text);
}

/** The Symbol (55) an instrument is sent under: a future's root, '[N/A]' for a bond, else its symbol. */
export function fixSymbolOf(instrument: Instrument): string {
  return instrument.assetClass === 'future' ? instrument.root : instrument.assetClass === 'bond' ? '[N/A]' : instrument.symbol;
}

const indexes = new WeakMap<InstrumentMaster, ReadonlyMap<string, readonly Instrument[]>>();

function byFixSymbol(master: InstrumentMaster): ReadonlyMap<string, readonly Instrument[]> {
  let index = indexes.get(master);
  if (index === undefined) {
    const built = new Map<string, Instrument[]>();
    for (const i of master.all()) {
      const key = fixSymbolOf(i);
      built.set(key, [...(built.get(key) ?? []), i]);
    }
    index = built;
    indexes.set(master, index);
  }
  return index;
}
