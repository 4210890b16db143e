import { isCurrencyCode } from '../../../shared/domain/instrument-codes';

/**
 * Minor-unit price currencies: London quotes shares in pence (GBX), so an amount in GBX is a
 * hundredth of the same number in GBP. Positions and notionals convert through `majorUnit`.
 */
export const MINOR_UNITS: Readonly<Record<string, { readonly major: string; readonly perMajor: string }>> = {
  GBX: { major: 'GBP', perMajor: '100' },
};

/** A currency a price may be quoted in: ISO 4217, or a minor unit above. */
export function isPriceCurrency(code: string): boolean {
  return MINOR_UNITS[code] !== undefined || isCurrencyCode(code);
}

/** The ISO currency of a price currency, and how many of the price currency make one of it. */
export function majorUnit(code: string): { readonly currency: string; readonly perMajor: string } {
  const minor = MINOR_UNITS[code];
  return minor === undefined ? { currency: code, perMajor: '1' } : { currency: minor.major, perMajor: minor.perMajor };
}
