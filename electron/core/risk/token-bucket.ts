/**
 * A token bucket on the desk's clock (milliseconds of the injected clock, never the wall): `burst`
 * tokens at most, refilled at `perSecond`. Pure: a bucket is a value; taking returns the next one.
 * Rates are counts of orders, not money: plain numbers.
 */
export interface TokenBucket {
  readonly tokens: number;
  readonly atMs: number;
}

export interface BucketRate {
  readonly ordersPerSecond: number;
  readonly burst: number;
}

/** The bucket as it stands at `nowMs` (a full one when there was none; time never runs backwards here). */
export function refilled(bucket: TokenBucket | undefined, rate: BucketRate, nowMs: number): TokenBucket {
  if (bucket === undefined) return { tokens: rate.burst, atMs: nowMs };
  const elapsed = Math.max(0, nowMs - bucket.atMs);
  return { tokens: Math.min(rate.burst, bucket.tokens + (elapsed * rate.ordersPerSecond) / 1_000), atMs: Math.max(bucket.atMs, nowMs) };
}

/** Whether one order may go now. */
export function hasToken(bucket: TokenBucket | undefined, rate: BucketRate, nowMs: number): boolean {
  return refilled(bucket, rate, nowMs).tokens >= 1;
}

/** The bucket after one order went at `nowMs` (it may go below one token: the gate checked first; a replay folds what was sent). */
export function taken(bucket: TokenBucket | undefined, rate: BucketRate, nowMs: number): TokenBucket {
  const b = refilled(bucket, rate, nowMs);
  return { tokens: b.tokens - 1, atMs: b.atMs };
}
