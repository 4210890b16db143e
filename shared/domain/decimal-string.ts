/**
 * Money and quantities cross every boundary as decimal strings, never as JS numbers.
 * Arithmetic happens in the core (electron/core/decimal/decimal.ts); here we only check the shape.
 */
export type DecimalString = string;

const DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,12})?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

export function isPositiveDecimalString(value: string): boolean {
  return isDecimalString(value) && !value.startsWith('-') && /[1-9]/.test(value);
}
