import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../decimal/decimal';
import { plainPositive, plainWithinBound, SANE_BOUND } from './report-fit';

/** Decimal text as brokers send it, and near the bound, with signs and zeros. */
const decimalText = fc.oneof(
  fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,16}$/), fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined })).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}`),
  fc.constantFrom('999999999999', '999999999999.99', '1000000000000', '1000000000000.01', '-999999999999.9', '0', '-0', '0.000', '00000000000001', '100.25'),
);

describe('the text checks of a report’s numbers (no decimal made for the plain ones)', () => {
  it('say "within the bound" and "positive" only when the decimal agrees (property)', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const value = new Dec(text);
        if (plainWithinBound(text)) expect(value.abs().greaterThan(SANE_BOUND)).toBe(false);
        if (plainWithinBound(text) && plainPositive(text)) expect(value.greaterThan(0)).toBe(true);
        // Plain text of at most twelve digits before the point is always recognised.
        if (/^-?[0-9]{1,12}(\.[0-9]+)?$/.test(text)) expect(plainWithinBound(text)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leave anything else to the decimal', () => {
    for (const text of ['1e5', '', '-', '.5', '5.', '1.2.3', '+1', ' 1', '1000000000000']) expect(plainWithinBound(text)).toBe(false);
    for (const text of ['-1', '0', '0.00', '-0.5']) expect(plainPositive(text)).toBe(false);
  });
});
