import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Dec, decimalString, ZERO } from './decimal';

const Oracle = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
const text = (d: Dec) => d.valueOf();

describe('Dec', () => {
  it('reads plain and exponent texts as decimal.js does, without trailing zeros', () => {
    expect(['1.50', '+5', '.5', '5.', '007.100', '1E+3', '1e-7', '-0.000', '123.4567'].map((s) => text(new Dec(s)))).toEqual(['1.5', '5', '0.5', '5', '7.1', '1000', '0.0000001', '-0', '123.4567']);
    expect(new Dec('1.50').decimalPlaces()).toBe(1);
    expect(new Dec('1e-50').toFixed()).toBe('0.' + '0'.repeat(49) + '1');
    expect([new Dec('1e-50').toString(), new Dec('-1.5e45').toString(), new Dec('1e-39').toString(), new Dec('1e40').toString()]).toEqual(['1e-50', '-1.5e+45', '0.000000000000000000000000000000000000001', '1e+40']);
    expect(text(new Dec(0.1))).toBe('0.1');
    expect(text(new Dec(1e21))).toBe('1000000000000000000000');
  });

  it('throws on garbage like decimal.js, and on NaN, Infinity, hex, _ and division by zero, which decimal.js would accept', () => {
    for (const bad of ['abc', '', ' 1', '1 ', '1e', '1e+', '.', '-', '+', '--1', '1.2.3', 'NaN', 'Infinity', '-Infinity', '0x1f', '1_000']) {
      expect(() => new Dec(bad), bad).toThrow('[DecimalError] Invalid argument');
    }
    for (const bad of [NaN, Infinity, null, undefined, {}]) expect(() => new Dec(bad as unknown as number)).toThrow('[DecimalError] Invalid argument');
    expect(() => new Dec(1).dividedBy(0)).toThrow('[DecimalError] Division by zero');
    expect(() => new Dec(1).dividedBy('-0')).toThrow('[DecimalError] Division by zero');
    expect(() => new Dec(1).toDecimalPlaces(-1)).toThrow('[DecimalError] Invalid argument');
  });

  it('keeps magnitudes within 10^±10,000 instead of building huge BigInts', () => {
    expect(text(new Dec('1e-10000'))).toBe('1e-10000');
    expect(text(new Dec('0e99999999'))).toBe('0');
    expect(() => new Dec('1e-10001')).toThrow('[DecimalError] Exponent out of range');
    expect(() => new Dec('1e10001')).toThrow('[DecimalError] Exponent out of range');
    expect(() => new Dec('1e-6000').times('1e-6000')).toThrow('[DecimalError] Exponent out of range');
  });

  it('keeps negative zero where decimal.js does: valueOf and JSON say -0, toFixed and toString say 0', () => {
    const negativeZero = new Dec('-0');
    expect([negativeZero.valueOf(), JSON.stringify(negativeZero), negativeZero.toFixed(), negativeZero.toString(), decimalString(negativeZero)]).toEqual(['-0', '"-0"', '0', '0', '0']);
    expect([negativeZero.isZero(), negativeZero.isNegative(), negativeZero.equals(ZERO), ZERO.isNegative()]).toEqual([true, true, true, false]);
    expect(text(new Dec(-0))).toBe('-0');
    expect([negativeZero.plus(0), negativeZero.plus('-0'), negativeZero.minus(0), ZERO.minus(0), ZERO.times(-5), new Dec(5).minus(5), ZERO.dividedBy(-3)].map(text)).toEqual(['0', '-0', '-0', '0', '-0', '0', '-0']);
    expect([negativeZero.abs(), new Dec('-0.001').toDecimalPlaces(2), new Dec('-0.4').round(), Dec.max(negativeZero, ZERO), Dec.max(negativeZero, '-0')].map(text)).toEqual(['0', '-0', '-0', '0', '-0']);
  });

  it('rounds ties half-even by default, and by the mode asked', () => {
    expect(['1.005', '1.015', '1.025', '-1.015'].map((s) => text(new Dec(s).toDecimalPlaces(2)))).toEqual(['1', '1.02', '1.02', '-1.02']);
    expect(['2.5', '3.5', '-2.5'].map((s) => text(new Dec(s).toDecimalPlaces(0)))).toEqual(['2', '4', '-2']);
    expect([new Dec('12.5').round(), new Dec('13.5').round(), new Dec('-0.5').floor(), new Dec('1.239').toDecimalPlaces(2, Dec.ROUND_DOWN), new Dec('-1.231').toDecimalPlaces(2, Dec.ROUND_UP)].map(text)).toEqual(['12', '14', '-1', '1.23', '-1.24']);
    expect([Dec.ROUND_UP, Dec.ROUND_DOWN, Dec.ROUND_CEIL, Dec.ROUND_FLOOR, Dec.ROUND_HALF_UP, Dec.ROUND_HALF_DOWN, Dec.ROUND_HALF_EVEN, Dec.ROUND_HALF_CEIL, Dec.ROUND_HALF_FLOOR]).toEqual([
      Decimal.ROUND_UP,
      Decimal.ROUND_DOWN,
      Decimal.ROUND_CEIL,
      Decimal.ROUND_FLOOR,
      Decimal.ROUND_HALF_UP,
      Decimal.ROUND_HALF_DOWN,
      Decimal.ROUND_HALF_EVEN,
      Decimal.ROUND_HALF_CEIL,
      Decimal.ROUND_HALF_FLOOR,
    ]);
  });

  it('rounds a quotient to 40 significant digits before the places asked, as decimal.js does', () => {
    expect(text(new Dec(1).dividedBy(3))).toBe('0.3333333333333333333333333333333333333333');
    expect(text(new Dec('0.5').dividedBy(3).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN))).toBe('0.166666666667');
    // Just above a tie at 12 places, by less than half a unit of the 40th digit: the first rounding makes the tie.
    const justAboveTie = new Dec('37037036703750000000000000000000000000000000000001').dividedBy('3e50');
    expect(text(justAboveTie.toDecimalPlaces(12))).toBe('0.123456789012');
    // Safe-integer operands whose quotient lands on a tie at 38 places after the first rounding.
    expect(text(new Dec(986569).dividedBy(15051142).toDecimalPlaces(38))).toBe('0.06554778368312517415622017252910111406');
    expect(text(new Dec(986569).dividedBy(15051142).toDecimalPlaces(38))).toBe(new Oracle(986569).dividedBy(15051142).toDecimalPlaces(38).valueOf());
    expect(text(new Dec(732276).dividedBy(364261).toDecimalPlaces(38))).toBe('2.01030579721683078891234581797118000554');
  });

  it('moves to BigInt past 2^53 - 1 and back, exactly', () => {
    const maxSafe = new Dec('9007199254740991');
    expect(typeof maxSafe.coefficient).toBe('number');
    const past = maxSafe.plus(1);
    expect([typeof past.coefficient, text(past)]).toEqual(['bigint', '9007199254740992']);
    expect([typeof past.minus(1).coefficient, text(past.minus(1))]).toEqual(['number', '9007199254740991']);
    expect(typeof new Dec('-9007199254740992').coefficient).toBe('bigint');
    expect(text(new Dec(94906267).times(94906267))).toBe('9007199515875289'); // just past 2^53
    expect(text(new Dec('900719925474099.1').plus('0.0000000000000001'))).toBe('900719925474099.1000000000000001');
    expect(text(new Dec('0.1').plus('0.2'))).toBe('0.3');
    expect(new Dec('9007199254740993').greaterThan('9007199254740992.9')).toBe(true);
    expect(new Dec('1e-30').lessThan('1e-29')).toBe(true);
    expect(text(new Dec('9007199254740991').dividedBy('0.5'))).toBe('18014398509481982');
  });

  it('rounds sums and products to 40 significant digits, as decimal.js does', () => {
    const forty = '1234567890123456789012345678901234567890';
    expect(text(new Dec(forty).plus('0.5'))).toBe(forty); // a tie, to the even last digit
    expect(text(new Dec(forty).plus('1.5'))).toBe('1234567890123456789012345678901234567892');
    expect(text(new Dec(forty).plus('5'))).toBe(new Oracle(forty).plus('5').valueOf());
    expect(text(new Dec('123456789012345678901.123').times('98765432109876543210.9'))).toBe(new Oracle('123456789012345678901.123').times('98765432109876543210.9').valueOf());
    expect(text(new Dec(forty + '1').plus(0))).toBe('1.23456789012345678901234567890123456789e+40'); // a long text is kept until it is used
    expect(text(new Dec(forty + '1'))).toBe('1.2345678901234567890123456789012345678901e+40');
  });

  it('is immutable: results are new values, operands unchanged', () => {
    const a = new Dec('123.45');
    const quotient = a.dividedBy(7);
    const results = [a.plus(1), a.minus(1), a.times(2), quotient, quotient.toDecimalPlaces(2), a.abs(), a.negated(), a.round()];
    expect(text(a)).toBe('123.45');
    expect(results.map(text)).toEqual(['124.45', '122.45', '246.9', '17.63571428571428571428571428571428571429', '17.64', '123.45', '-123.45', '123']);
    expect(text(quotient)).toBe('17.63571428571428571428571428571428571429');
  });

  it('accepts texts and numbers where a Dec is expected, like decimal.js', () => {
    const x = new Dec('2.5');
    expect([x.plus('0.5'), x.times(2), x.minus(-1), x.dividedBy('0.5'), Dec.max('1', 2, x)].map(text)).toEqual(['3', '5', '3.5', '5', '2.5']);
    expect([x.greaterThan(0), x.equals('2.50'), x.lessThanOrEqualTo(2.5), x.greaterThanOrEqualTo('3')]).toEqual([true, true, true, false]);
    expect(new Dec(`1e-${new Dec('0.0625').decimalPlaces()}`).toFixed()).toBe('0.0001');
  });
});
