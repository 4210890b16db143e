/** Reference-data codes checked the way their standards define them. */

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;

/** ISO 6166: two letters, nine alphanumerics, and a Luhn check digit over the letters expanded to numbers. */
export function isValidIsin(isin: string): boolean {
  return ISIN.test(isin) && isinCheckDigit(isin.slice(0, 11)) === Number(isin[11]);
}

/** The check digit of the first eleven characters of an ISIN. */
export function isinCheckDigit(body: string): number {
  const digits = [...body].map((c) => (c >= '0' && c <= '9' ? c : String(c.charCodeAt(0) - 55))).join('');
  let sum = 0;
  // Luhn from the right: the rightmost digit of the expanded body is doubled.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** ISO 4217 alphabetic code shape (three capitals). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code);
}

/** ISO 10383 market identifier code shape (four capitals or digits). */
export function isMic(code: string): boolean {
  return /^[A-Z0-9]{4}$/.test(code);
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A stable instrument id of the reference file: capitals, digits and . _ / -, at most 40 (AAPL.XNAS, EURUSD.3M). */
export const INSTRUMENT_ID = /^[A-Z0-9][A-Z0-9._/-]{0,39}$/;

export function isInstrumentId(value: string): boolean {
  return INSTRUMENT_ID.test(value);
}
