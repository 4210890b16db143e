/** The port risk reads positions through (issue 16): an account's signed quantity of an instrument. */
export interface PositionLookup {
  /** A decimal string, signed (negative is short); '0' if none. */
  quantity(account: string, instrumentId: string): string;
}
