import { z } from 'zod';
import type { DecimalString } from '../domain/decimal-string';
import { isPositiveDecimalString } from '../domain/decimal-string';
import type { Instrument } from '../domain/instrument';
import { ASSET_CLASSES } from '../domain/order-types';
import { identifier, instrumentIdSchema, valueDateSchema } from './ticket';
import { SIDES } from '../domain/order-types';
import type { RiskPreview } from './risk';

/** The instrument picker's search: symbol, id, ISIN or a word of the name, as typed; best matches first. */
export const searchInstrumentsRequestSchema = z
  .object({
    query: z
      .string({ error: 'query is required' })
      .max(64, { error: 'query is at most 64 characters' })
      .regex(/^[^\x00-\x1f\x7f]*$/, { error: 'query may not contain control characters' }),
    /** Only this class. */
    assetClass: z.enum(ASSET_CLASSES, { error: `asset class must be one of ${ASSET_CLASSES.join(', ')}` }).optional(),
    /** At most this many (default 20). */
    limit: z.number({ error: 'limit must be a number' }).int().min(1).max(100).optional(),
  })
  .strict();
export type SearchInstrumentsRequest = z.infer<typeof searchInstrumentsRequestSchema>;

export interface InstrumentSearchResult {
  /** Best first: exact symbol, id or ISIN; then prefixes of them; then a word of the name; then anywhere. */
  readonly instruments: readonly Instrument[];
  /** More matched than the limit. */
  readonly more: boolean;
}

export const getInstrumentRequestSchema = z.object({ instrumentId: instrumentIdSchema }).strict();
export type GetInstrumentRequest = z.infer<typeof getInstrumentRequestSchema>;

/** An instrument's terms and what they mean today (the desk's trading day, on its clock). */
export interface InstrumentDetails {
  readonly instrument: Instrument;
  /** What a quantity is counted in: "shares", "contracts", "EUR", "USD face". */
  readonly quantityUnit: string;
  /** What a price means: "price", "premium", "rate", "% of par". */
  readonly priceMeaning: string;
  /** The desk's trading date (YYYY-MM-DD) the dates below are counted from. */
  readonly tradeDate: string;
  /** FX: the value date; bond: the settlement date; absent for listed products (exchange-settled). */
  readonly settlementDate?: string;
  /** Bond: accrued interest per 100 of face at the settlement date. */
  readonly accruedPer100?: DecimalString;
  /** A future or option past its expiry, or a matured bond: it cannot be traded. */
  readonly expired: boolean;
}

const decimal = (what: string) =>
  z.string({ error: `${what} must be a decimal string` }).trim().refine(isPositiveDecimalString, { error: `${what} must be a positive decimal number (at most 12 decimal places)` });

/**
 * What an order would be, without sending it (no side effects): the ticket's values so far. Only the
 * instrument is required; the preview reports what it can and the problems of what is given.
 */
export const previewOrderRequestSchema = z
  .object({
    instrumentId: instrumentIdSchema,
    quantity: decimal('quantity').optional(),
    limitPrice: decimal('limit price').optional(),
    stopPrice: decimal('stop price').optional(),
    /** A market order's notional: the price the ticket shows (the quote), used only when there is no limit or stop price. */
    marketPrice: decimal('market price').optional(),
    valueDate: valueDateSchema.optional(),
    expireDate: valueDateSchema.optional(),
    /** With side, account and broker (and a quantity), the preview runs the pre-trade checks too. */
    side: z.enum(SIDES, { error: `side must be one of ${SIDES.join(', ')}` }).optional(),
    account: identifier('account', 32).optional(),
    broker: identifier('broker', 32).optional(),
    locate: z.boolean().optional(),
  })
  .strict();
export type PreviewOrderRequest = z.infer<typeof previewOrderRequestSchema>;

/**
 * Why a ticket's value does not fit its instrument, per field (the same checks refuse `submitOrder`,
 * whose error then carries `fieldCodes`).
 */
export const TICKET_PROBLEM_CODES = [
  'UNKNOWN_INSTRUMENT', // no instrument with that id in the master
  'INSTRUMENT_EXPIRED', // a future or option past its expiry, a matured bond
  'LOT_SIZE', // the quantity is not a multiple of the lot size
  'TICK_SIZE', // a price is not a multiple of the tick size
  'VALUE_DATE', // FX: not the instrument's value date today; or a value date on a non-FX order
  'EXPIRE_DATE', // GTD expire date in the past, or after the contract's expiry / the bond's maturity
] as const;
export type TicketProblemCode = (typeof TICKET_PROBLEM_CODES)[number];

export interface TicketProblem {
  readonly code: TicketProblemCode;
  readonly message: string;
}

export interface OrderPreview {
  readonly details: InstrumentDetails;
  /** The price the notional was computed at (limit, else stop, else the market price given). */
  readonly valuedAt?: DecimalString;
  /**
   * Quantity × price × multiplier in the instrument's currency (`instrument.currency`; a bond: face ×
   * % of par / 100, clean; FX: the quote-currency amount).
   */
  readonly notional?: DecimalString;
  /** The notional in the ISO currency when prices are in a minor unit (GBX pence → GBP). */
  readonly notionalMajor?: { readonly amount: DecimalString; readonly currency: string };
  /** Bond: accrued interest on the face at the settlement date, in the bond's currency (minor unit rounded). */
  readonly accruedInterest?: DecimalString;
  /** Bond: what changes hands, notional + accrued interest. */
  readonly settlementAmount?: DecimalString;
  /** Problems per ticket field; empty when what was given fits the instrument. */
  readonly problems: Readonly<Record<string, TicketProblem>>;
  /** The pre-trade checks' findings (when side, account, broker and quantity were given). */
  readonly risk?: RiskPreview;
}
