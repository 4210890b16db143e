/** Reconnect delay: exponential from 250 ms, capped at 10 s, with up to 20% jitter so clients spread out. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.2 * random()));
}
