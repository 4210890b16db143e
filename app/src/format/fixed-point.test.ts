import { describe, expect, it } from 'vitest';
import { divideRounded, fixed, fixedText, isMultipleOf } from './fixed-point';

describe('fixed point', () => {
  it('parses decimal strings to 10⁻¹² counts and writes them back', () => {
    expect(fixed('-1.5')).toBe(-1_500_000_000_000n);
    expect(fixed('abc')).toBeUndefined();
    expect(fixedText(fixed('123.450')!, 12)).toBe('123.45');
    expect(fixedText(0n, 12)).toBe('0');
  });

  it('divides rounding half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(() => divideRounded(1n, 0n)).toThrow(RangeError);
  });

  it('knows whole multiples of a step exactly', () => {
    expect(isMultipleOf('98.51953125', '0.00390625')).toBe(true);
    expect(isMultipleOf('98.5195', '0.00390625')).toBe(false);
    expect(isMultipleOf('0.3', '0.1')).toBe(true);
    expect(isMultipleOf('150', '100')).toBe(false);
    expect(isMultipleOf('1', '0')).toBe(false);
  });
});
