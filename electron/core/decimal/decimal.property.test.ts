import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from './decimal';
import { MAX_PLACES } from './decimal-coefficient';

/** The configuration the core used before its own Dec: the oracle. */
const Oracle = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
type Oracle = InstanceType<typeof Oracle>;

const RUNS = { numRuns: 3000 };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const digits = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** What a desk sees: up to 18 integer digits, up to 12 places (shared/domain/decimal-string.ts). */
const realistic = fc
  .tuple(fc.boolean(), fc.oneof(fc.nat(1_000_000).map(String), fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }).map(String)), fc.option(digits(1, 12)))
  .map(([negative, integer, places]) => `${negative ? '-' : ''}${integer}${places === null ? '' : `.${places}`}`);

/** Long digit strings, leading and trailing zeros, '5.', '.5', '+', exponents. */
const extreme = fc
  .tuple(fc.constantFrom('', '-', '+'), digits(0, 45), fc.option(digits(0, 45)), fc.option(fc.integer({ min: -60, max: 60 })), fc.constantFrom('e', 'E'))
  .filter(([, integer, places]) => integer.length + (places?.length ?? 0) > 0)
  .map(([sign, integer, places, exponent, e]) => `${sign}${integer}${places === null ? '' : `.${places}`}${exponent === null ? '' : `${e}${exponent}`}`);

/** Around the safe-integer boundary (2^53), at any scale. */
const boundary = fc
  .tuple(fc.boolean(), fc.bigInt({ min: MAX_SAFE - 20n, max: MAX_SAFE + 20n }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 }))
  .map(([negative, units, scale, zeros]) => {
    const text = (units * 10n ** BigInt(zeros)).toString().padStart(scale + 1, '0');
    const point = text.length - scale;
    return `${negative ? '-' : ''}${text.slice(0, point)}${scale > 0 ? `.${text.slice(point)}` : ''}`;
  });

const special = fc.constantFrom('0', '-0', '0.000', '-0e5', '1', '-1', '0.5', '-2.5', '1e-40', '1e-39', '1e40', '9.99e39', '1e-7', '100', '1000000');

const text = fc.oneof({ weight: 4, arbitrary: realistic }, { weight: 3, arbitrary: extreme }, { weight: 2, arbitrary: boundary }, { weight: 1, arbitrary: special });
const number = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 0.1, 1e21, 2 ** 53, -(2 ** 60)));
const value = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: number });
const places = fc.integer({ min: 0, max: 45 });
const rounding = fc.constantFrom<Decimal.Rounding>(0, 1, 2, 3, 4, 5, 6, 7, 8);

function expectSame(mine: Dec, oracle: Oracle): void {
  expect(mine.valueOf()).toBe(oracle.valueOf());
  expect(mine.toFixed()).toBe(oracle.toFixed());
  expect(mine.toString()).toBe(oracle.toString());
  expect(JSON.stringify(mine)).toBe(JSON.stringify(oracle));
  expect([mine.decimalPlaces(), mine.isInteger(), mine.isZero(), mine.isNegative()]).toEqual([oracle.decimalPlaces(), oracle.isInteger(), oracle.isZero(), oracle.isNegative()]);
  expectCanonical(mine);
}

/** One representation per value, so equal values are equal objects (snapshots, toEqual). */
function expectCanonical(d: Dec): void {
  const { coefficient, scale } = d;
  expect(Number.isInteger(scale) && scale >= 0).toBe(true);
  if (typeof coefficient === 'number') expect(Number.isSafeInteger(coefficient)).toBe(true);
  else expect(coefficient > MAX_SAFE || coefficient < -MAX_SAFE).toBe(true);
  if (scale > 0) expect(BigInt(coefficient) % 10n).not.toBe(0n);
  if (coefficient === 0) expect(scale).toBe(0);
}

/** The oracle's result, or 'throws' where decimal.js gives Infinity or NaN (Dec throws instead). */
function oracleOf(run: () => Oracle): Oracle | 'throws' {
  const result = run();
  return result.isFinite() ? result : 'throws';
}

function expectSameOrThrows(mine: () => Dec, oracle: Oracle | 'throws'): void {
  if (oracle === 'throws') expect(mine).toThrow(/DecimalError/);
  else expectSame(mine(), oracle);
}

// Thousands of runs against the oracle: seconds on a quiet box, far more on a loaded CI runner.
describe('Dec against decimal.js (precision 40, half-even)', { timeout: 180_000 }, () => {
  it('reads texts and numbers alike', () => {
    fc.assert(fc.property(value, (v) => expectSame(new Dec(v), new Oracle(v))), RUNS);
    fc.assert(fc.property(value, (v) => expectSame(new Dec(new Dec(v)), new Oracle(v))), { numRuns: 200 });
  });

  it('refuses what decimal.js refuses, and NaN, Infinity, hex and _ as well', () => {
    const decimalSyntax = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789.-+eE xX_aNIfinity'), maxLength: 10 });
    fc.assert(
      fc.property(noise, (s) => {
        let oracle: Oracle | undefined;
        try {
          oracle = new Oracle(s);
        } catch {
          oracle = undefined;
        }
        if (oracle !== undefined && decimalSyntax.test(s)) {
          // Dec keeps magnitudes within 10^±MAX_PLACES (decimal.js goes further): beyond, a range error.
          if (Math.abs(oracle.e) > MAX_PLACES || oracle.decimalPlaces() > MAX_PLACES) expect(() => new Dec(s)).toThrow(/\[DecimalError\] Exponent out of range/);
          else expectSame(new Dec(s), oracle);
        } else expect(() => new Dec(s)).toThrow(/\[DecimalError\] Invalid argument/);
      }),
      { numRuns: 5000 },
    );
  });

  it('adds, subtracts, multiplies and divides alike, and leaves the operands as they were', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const [x, y, X, Y] = [new Dec(a), new Dec(b), new Oracle(a), new Oracle(b)];
        expectSame(x.plus(y), X.plus(Y));
        expectSame(x.minus(y), X.minus(Y));
        expectSame(x.times(y), X.times(Y));
        expectSameOrThrows(() => x.dividedBy(y), oracleOf(() => X.dividedBy(Y)));
        expectSame(x.plus(b), X.plus(b)); // operands as text or number
        expect([x.valueOf(), y.valueOf()]).toEqual([X.valueOf(), Y.valueOf()]);
      }),
      RUNS,
    );
  });

  it('rounds a quotient twice, like decimal.js: to 40 digits, then to the places asked', () => {
    const divisor = fc.oneof(value, fc.bigInt({ min: 1n, max: 10n ** 15n }).map(String), fc.integer({ min: 1, max: 10_000 }).map((n) => `${n}.${n % 97}`));
    fc.assert(
      fc.property(value, divisor, places, rounding, (a, b, dp, rm) => {
        const [X, Y] = [new Oracle(a), new Oracle(b)];
        if (Y.isZero()) return;
        expectSame(new Dec(a).dividedBy(b).toDecimalPlaces(dp, rm), X.dividedBy(Y).toDecimalPlaces(dp, rm));
        expectSame(new Dec(a).dividedBy(b).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN), X.dividedBy(Y).toDecimalPlaces(12, Oracle.ROUND_HALF_EVEN));
        const quotient = new Dec(a).dividedBy(b);
        expectSame(quotient.plus(1), X.dividedBy(Y).plus(1)); // a quotient used as it is
        expectSame(quotient.toDecimalPlaces(dp, rm), X.dividedBy(Y).toDecimalPlaces(dp, rm));
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds and compares alike', () => {
    fc.assert(
      fc.property(value, value, places, rounding, (a, b, dp, rm) => {
        const [x, y, X, Y] = [new Dec(a), new Dec(b), new Oracle(a), new Oracle(b)];
        expectSame(x.toDecimalPlaces(dp, rm), X.toDecimalPlaces(dp, rm));
        expectSame(x.toDecimalPlaces(dp), X.toDecimalPlaces(dp));
        expectSame(x.round(), X.round());
        expectSame(x.floor(), X.floor());
        expectSame(x.abs(), X.abs());
        expectSame(Dec.max(x, y), Oracle.max(X, Y));
        expect([x.comparedTo(y), x.equals(y), x.greaterThan(y), x.greaterThanOrEqualTo(y), x.lessThan(y), x.lessThanOrEqualTo(y)]).toEqual([
          X.comparedTo(Y),
          X.equals(Y),
          X.greaterThan(Y),
          X.greaterThanOrEqualTo(Y),
          X.lessThan(Y),
          X.lessThanOrEqualTo(Y),
        ]);
      }),
      RUNS,
    );
  });

  it('agrees over chains of operations on shared values', () => {
    const step = fc.tuple(fc.constantFrom('plus', 'minus', 'times', 'dividedBy', 'toDecimalPlaces', 'round', 'floor', 'abs', 'max'), fc.nat(), fc.nat(), places, rounding);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), fc.array(step, { maxLength: 25 }), (start, steps) => {
        const mine = start.map((v) => new Dec(v));
        const oracle = start.map((v) => new Oracle(v));
        for (const [op, i, j, dp, rm] of steps) {
          const [x, y, X, Y] = [mine[i % mine.length] as Dec, mine[j % mine.length] as Dec, oracle[i % oracle.length] as Oracle, oracle[j % oracle.length] as Oracle];
          let result: Oracle;
          let ours: () => Dec;
          if (op === 'toDecimalPlaces') [result, ours] = [X.toDecimalPlaces(dp, rm), () => x.toDecimalPlaces(dp, rm)];
          else if (op === 'round' || op === 'floor' || op === 'abs') [result, ours] = [X[op](), () => x[op]()];
          else if (op === 'max') [result, ours] = [Oracle.max(X, Y), () => Dec.max(x, y)];
          else [result, ours] = [X[op](Y), () => x[op](y)];
          if (!result.isFinite()) {
            expect(ours).toThrow(/DecimalError/);
            continue;
          }
          if (Math.abs(result.e) > 9_000) {
            expect(() => ours().valueOf()).toThrow(/Exponent out of range/); // squaring 1e-60 and the like
            continue;
          }
          const mineResult = ours();
          if (op !== 'dividedBy') expectSame(mineResult, result); // a quotient is checked when it is used
          mine.push(mineResult);
          oracle.push(result);
        }
        mine.forEach((d, k) => expectSame(d, oracle[k] as Oracle));
      }),
      { numRuns: 1000 },
    );
  });

  it('folds fills like the order book: cum, notional, average price, leaves, the AvgPx check', () => {
    const quantity = fc.oneof(fc.nat(1_000_000).map(String), realistic.map((s) => s.replace('-', '')), fc.constantFrom('0.01', '1.5', '33.333333', '1000000'));
    const price = fc.oneof(realistic, fc.constantFrom('150.25', '0.1', '99.999999', '-0', '2', '1e-7', '123.4567', '35120', '0.00001234'));
    const fill = fc.tuple(quantity, price);
    fc.assert(
      fc.property(quantity, fc.array(fill, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (orderQty, fills, brokerPlaces) => {
        let [cum, notional, Cum, Notional] = [new Dec(0), new Dec(0), new Oracle(0), new Oracle(0)];
        for (const [q, p] of fills) {
          cum = cum.plus(q);
          notional = notional.plus(new Dec(q).times(new Dec(p)));
          Cum = Cum.plus(q);
          Notional = Notional.plus(new Oracle(q).times(new Oracle(p)));
          expectSame(cum, Cum);
          expectSame(notional, Notional);
          expectSame(new Dec(orderQty).minus(cum), new Oracle(orderQty).minus(Cum));
          if (Cum.isZero()) continue;
          const avg = notional.dividedBy(cum).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN);
          const Avg = Notional.dividedBy(Cum).toDecimalPlaces(12, Oracle.ROUND_HALF_EVEN);
          expectSame(avg, Avg);
          const reportedAvg = Notional.dividedBy(Cum).toDecimalPlaces(brokerPlaces).toFixed();
          const ulp = new Dec(`1e-${new Dec(reportedAvg).decimalPlaces()}`);
          const Ulp = new Oracle(`1e-${new Oracle(reportedAvg).decimalPlaces()}`);
          expect(new Dec(reportedAvg).minus(avg).abs().greaterThan(ulp)).toBe(new Oracle(reportedAvg).minus(Avg).abs().greaterThan(Ulp));
          if (new Oracle(q).isZero()) continue;
          const reconciled = cum.times(reportedAvg).minus(notional.minus(new Dec(q).times(p))).dividedBy(q).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN);
          const Reconciled = Cum.times(reportedAvg).minus(Notional.minus(new Oracle(q).times(p))).dividedBy(q).toDecimalPlaces(12, Oracle.ROUND_HALF_EVEN);
          expectSame(reconciled, Reconciled);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
