import type { DecimalString } from './decimal-string';
import type { AssetClass } from './order-types';

/**
 * The instrument master's records, one shape per asset class. Every order and fill refers to an
 * instrument by its stable `id` (from the reference file, never reused). What a quantity and a
 * price mean depends on the class:
 *
 *   class    quantity            price                         notional (in `currency`)
 *   equity   shares              per share                     qty × price
 *   future   contracts           per unit of the index/good    qty × price × multiplier
 *   option   contracts           premium per unit              qty × premium × multiplier
 *   fx       base currency       rate (quote per base)         qty × rate (the base amount is qty)
 *   bond     face value          clean price, % of par         qty × price / 100 (+ accrued)
 */
export type Instrument = Equity | Future | FxInstrument | ListedOption | Bond;

interface InstrumentBase {
  readonly id: string;
  readonly assetClass: AssetClass;
  /** What the trader types and FIX Symbol (55) carries: ticker, contract root, pair, underlying, bond short name. */
  readonly symbol: string;
  readonly name: string;
  /** ISO 4217: the currency prices are quoted in (FX: the quote currency). */
  readonly currency: string;
  /** Market identifier code (ISO 10383) of the listing venue; none for OTC FX and bonds. */
  readonly exchange?: string;
  readonly isin?: string;
  /** The smallest price step. */
  readonly tickSize: DecimalString;
  /** The quantity step, and the smallest quantity. */
  readonly lotSize: DecimalString;
}

export interface Equity extends InstrumentBase {
  readonly assetClass: 'equity';
  readonly isin: string;
  readonly exchange: string;
}

export interface Future extends InstrumentBase {
  readonly assetClass: 'future';
  /** The contract root (ES, CL, FGBL): FIX Symbol. */
  readonly root: string;
  /** YYYY-MM: FIX MaturityMonthYear (200). */
  readonly contractMonth: string;
  /** Last trading day, YYYY-MM-DD. */
  readonly expiry: string;
  readonly multiplier: DecimalString;
  /** Value of one tick per contract: tickSize × multiplier (checked on load). */
  readonly tickValue: DecimalString;
  readonly exchange: string;
}

export const FX_TENORS = ['SPOT', '1W', '2W', '1M', '2M', '3M', '6M', '9M', '1Y'] as const;
export type FxTenor = (typeof FX_TENORS)[number];

export interface FxInstrument extends InstrumentBase {
  readonly assetClass: 'fx';
  readonly baseCurrency: string;
  /** Same as `currency`. */
  readonly quoteCurrency: string;
  /** SPOT, or a forward tenor counted from the spot date; the value date follows from the trade date. */
  readonly tenor: FxTenor;
}

export interface ListedOption extends InstrumentBase {
  readonly assetClass: 'option';
  /** The underlying instrument's id. */
  readonly underlying: string;
  /** YYYY-MM-DD. */
  readonly expiry: string;
  readonly strike: DecimalString;
  readonly putCall: 'put' | 'call';
  readonly multiplier: DecimalString;
  readonly exerciseStyle: 'american' | 'european';
  readonly exchange: string;
}

export const DAY_COUNTS = ['ACT/ACT', '30/360', 'ACT/360', 'ACT/365'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

export interface Bond extends InstrumentBase {
  readonly assetClass: 'bond';
  readonly isin: string;
  /** Annual coupon rate in percent of par (4.25 = 4.25 %). */
  readonly coupon: DecimalString;
  /** YYYY-MM-DD. */
  readonly maturity: string;
  /** Coupons a year: 1, 2, 4 or 12. */
  readonly couponFrequency: 1 | 2 | 4 | 12;
  /** The accrued interest convention. */
  readonly dayCount: DayCount;
  /** Government or corporate: decides the FIX SecurityType. */
  readonly issuerType: 'government' | 'corporate';
}

/** What a quantity of this class is counted in, for labels. */
export const QUANTITY_UNITS: Readonly<Record<AssetClass, string>> = {
  equity: 'shares',
  future: 'contracts',
  option: 'contracts',
  fx: 'base currency',
  bond: 'face value',
};

/** What a price of this class means, for labels. */
export const PRICE_MEANINGS: Readonly<Record<AssetClass, string>> = {
  equity: 'price',
  future: 'price',
  option: 'premium',
  fx: 'rate',
  bond: '% of par',
};

/** The unit a quantity is shown in for this instrument ("shares", "contracts", "EUR", "USD face"). */
export function quantityUnit(instrument: Instrument): string {
  switch (instrument.assetClass) {
    case 'fx':
      return instrument.baseCurrency;
    case 'bond':
      return `${instrument.currency} face`;
    default:
      return QUANTITY_UNITS[instrument.assetClass];
  }
}
