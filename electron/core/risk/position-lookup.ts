/**
 * The fund's position, as the risk checks read it (short sale, reduce-only): a signed decimal
 * string (long positive) of an account in an instrument. The positions read model provides it
 * (positions/position-lookup.ts, same shape: start of day plus today's fills).
 */
export interface PositionLookup {
  quantity(account: string, instrumentId: string): string;
}
