/**
 * The simulated market's price models for the derived instruments, in floating point (a model is
 * an estimate; the price it gives is rounded to the instrument's tick as a decimal):
 * - a listed option: Black–Scholes on its underlying (American options priced as European: the
 *   simulator needs plausible premiums, not an early-exercise premium);
 * - an FX forward: covered interest parity from the spot and the two currencies' rates.
 */

/** Standard normal cumulative distribution (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - p : p;
}

/** Black–Scholes premium per unit of underlying; at or after expiry, the intrinsic value. */
export function blackScholes(kind: 'call' | 'put', spot: number, strike: number, years: number, rate: number, volatility: number): number {
  if (years <= 0 || volatility <= 0) return Math.max(0, kind === 'call' ? spot - strike : strike - spot);
  const sd = volatility * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (rate + (volatility * volatility) / 2) * years) / sd;
  const d2 = d1 - sd;
  const discount = Math.exp(-rate * years);
  return kind === 'call' ? spot * normalCdf(d1) - strike * discount * normalCdf(d2) : strike * discount * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** The outright forward rate: spot × (1 + r_quote × t) / (1 + r_base × t), t in years of 360 days. */
export function fxForward(spot: number, days: number, baseRate: number, quoteRate: number): number {
  const t = days / 360;
  return (spot * (1 + quoteRate * t)) / (1 + baseRate * t);
}
