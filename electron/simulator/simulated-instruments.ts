import { fileURLToPath } from 'node:url';
import type { Instrument } from '../../shared/domain/instrument';
import { ConfigError } from '../core/config/json-config';
import { loadInstrumentFile } from '../core/instruments/instrument-file';
import { InstrumentMaster } from '../core/instruments/instrument-master';
import type { FixVersion } from '../core/config/desk-config';
import { TAG } from '../core/fix/fix-field-names';
import type { FieldReader } from '../core/fix/fix-text';
import type { FixField } from '../core/fix/fix-wire';
import { instrumentFields, orderTermsFields } from '../core/fix/instrument-fields';
import { identifyInstrument } from '../core/fix/instrument-identity';
import type { MarketQuote } from './order-engine';
import { InstrumentMarket } from './instrument-market';
import type { InstrumentQuote } from './instrument-market';
import type { SimulatorConfig } from './simulator-config';

/** The instrument file shipped with the desk: what the brokers know unless the config names another. */
export const SHIPPED_INSTRUMENT_FILE = fileURLToPath(new URL('../../config/instruments.csv', import.meta.url));

/**
 * What the simulated brokers trade: the instruments of the config's `instruments` (with their market)
 * and the options and FX forwards priced from them, over one market every broker shares and the
 * market-data venue quotes (with the instruments it quotes beyond them, `marketData.instruments`:
 * a venue quotes more than a broker trades). A forward trades at the listed tenor's price when one
 * settles that day, else as an outright off the spot.
 */
export class SimulatedInstruments {
  /** What the brokers trade. */
  readonly master: InstrumentMaster;
  /** What the market prices and the venue quotes: the traded instruments and the venue's own. */
  readonly quoted: InstrumentMaster;
  readonly market: InstrumentMarket;

  constructor(
    instruments: readonly Instrument[],
    config: Pick<SimulatorConfig, 'seed' | 'instruments' | 'rates' | 'optionVolatility'> & { readonly marketData?: { readonly instruments?: SimulatorConfig['instruments'] } },
    readonly today: () => string,
    /** Quoted by the venue beyond what the brokers trade. */
    venueOnly: readonly Instrument[] = [],
  ) {
    this.master = new InstrumentMaster(instruments);
    const quoted = [...instruments, ...venueOnly];
    this.quoted = new InstrumentMaster(quoted);
    // The brokers' entries win: what they trade is priced as they configure it.
    this.market = new InstrumentMarket(quoted, { ...config.marketData?.instruments, ...config.instruments }, {
      seed: config.seed,
      rates: config.rates,
      ...(config.optionVolatility !== undefined && { optionVolatility: config.optionVolatility }),
      today,
    });
  }

  /**
   * The instrument a message's Instrument fields name, as the key the order engine keeps: its id;
   * for an FX forward `spot id@value date` (the date it was dealt for, echoed for the order's life);
   * or why none.
   */
  identify(reader: FieldReader): { readonly key: string } | { readonly problem: string } {
    const fields = new Map<number, string>();
    for (const tag of IDENTITY_TAGS) {
      const value = reader.get(tag);
      if (value !== undefined && value !== '') fields.set(tag, value);
    }
    const identified = identifyInstrument(fields, this.master);
    if ('problem' in identified) return identified;
    const { instrument, valueDate } = identified;
    return { key: instrument.assetClass === 'fx' && valueDate !== undefined ? `${instrument.id}@${valueDate}` : instrument.id };
  }

  /** The Instrument fields a report on the order carries, in the session's FIX version: what the order named. */
  reportFields(key: string, fixVersion: FixVersion): FixField[] | undefined {
    const at = key.indexOf('@');
    const instrument = this.master.get(at < 0 ? key : key.slice(0, at));
    if (instrument === undefined) return undefined;
    const today = this.today();
    if (at < 0) return [...instrumentFields(instrument, fixVersion, today), ...orderTermsFields(instrument, fixVersion, today)];
    const valueDate = key.slice(at + 1);
    const base = instrument.assetClass === 'fx' ? instrument.baseCurrency : instrument.currency;
    const type = fixVersion === 'FIX.5.0SP2' ? 'FXFWD' : 'FOR';
    return [[TAG.Symbol, instrument.symbol], [TAG.SecurityType, type], [TAG.Currency, base], [TAG.SettlType, '6'], [TAG.SettlDate, valueDate.replaceAll('-', '')]];
  }

  /** The market for a key: the side an order of `side` trades against (a buyer pays the ask). */
  quote(key: string, side: 'buy' | 'sell' | 'sellShort'): MarketQuote | undefined {
    const at = key.indexOf('@');
    const q: InstrumentQuote | undefined = at < 0 ? this.market.quote(key) : this.market.fxQuote(key.slice(0, at), key.slice(at + 1));
    if (q === undefined) return undefined;
    return side === 'buy' ? { price: q.ask, liquidity: q.askSize } : { price: q.bid, liquidity: q.bidSize };
  }
}

/**
 * The simulator's instruments from its config: the file's instruments that have a market entry, and
 * the options and forwards priced from those. An entry naming no instrument of the file, or a base
 * instrument without its reference price, is a config error naming the entry.
 */
export function loadSimulatedInstruments(config: SimulatorConfig, today: () => string): SimulatedInstruments {
  const file = config.instrumentsFile ?? SHIPPED_INSTRUMENT_FILE;
  const all = loadInstrumentFile(file);
  const byId = new Map(all.map((i) => [i.id, i]));
  const problems: string[] = [];
  const check = (entries: SimulatorConfig['instruments'], path: string) => {
    for (const [id, entry] of Object.entries(entries)) {
      const instrument = byId.get(id);
      if (instrument === undefined) problems.push(`  ${path}.${id}: no instrument ${id} in ${file}`);
      else if (!isDerived(instrument) && entry.referencePrice === undefined) problems.push(`  ${path}.${id}: a ${instrument.assetClass} needs its referencePrice`);
    }
  };
  check(config.instruments, 'instruments');
  check(config.marketData?.instruments ?? {}, 'marketData.instruments');
  if (problems.length > 0) throw new ConfigError(`invalid simulator configuration:\n${problems.join('\n')}`);
  const spotOf = (i: Instrument) => all.find((s) => s.assetClass === 'fx' && s.tenor === 'SPOT' && s.symbol === i.symbol)?.id;
  /** The instruments of the file priced by these entries: theirs, and the options and forwards of those. */
  const pricedBy = (entries: SimulatorConfig['instruments']) => {
    const priced = new Set(Object.keys(entries).filter((id) => !isDerived(byId.get(id) as Instrument)));
    return all.filter((i) => {
      if (priced.has(i.id)) return true;
      if (i.assetClass === 'option') return priced.has(i.underlying);
      if (i.assetClass === 'fx' && i.tenor !== 'SPOT') return priced.has(spotOf(i) ?? '');
      return false;
    });
  };
  const traded = pricedBy(config.instruments);
  const tradedIds = new Set(traded.map((i) => i.id));
  const venueOnly = pricedBy({ ...config.marketData?.instruments, ...config.instruments }).filter((i) => !tradedIds.has(i.id));
  return new SimulatedInstruments(traded, config, today, venueOnly);
}

/** The Instrument component's tags (and a forward's settlement) that identifyInstrument reads. */
const IDENTITY_TAGS = [TAG.Symbol, TAG.SecurityID, TAG.SecurityIDSource, TAG.SecurityType, TAG.MaturityMonthYear, TAG.MaturityDay, TAG.MaturityDate, TAG.PutOrCall, TAG.StrikePrice, TAG.SecurityExchange, TAG.SettlType, TAG.SettlDate];

function isDerived(i: Instrument): boolean {
  return i.assetClass === 'option' || (i.assetClass === 'fx' && i.tenor !== 'SPOT');
}
