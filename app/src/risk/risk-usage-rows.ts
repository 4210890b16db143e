import type { RiskLimitUsage, TradingStateView } from '../../../shared/contract/risk';

/** Usage at or above this percent of its limit is flagged as near it. */
export const NEAR_LIMIT_PERCENT = 80;

export type UsageLevel = 'ok' | 'near' | 'over';

/** How close a usage is to its limit: over the block level (or the warn level when it has no block), near from 80 %. */
export function usageLevel(u: RiskLimitUsage): UsageLevel {
  if (u.percent === undefined) return 'ok';
  const percent = Number(u.percent); // display only: a comparison to 80, not money
  if (percent > 100) return 'over';
  return percent >= NEAR_LIMIT_PERCENT ? 'near' : 'ok';
}

export const LIMIT_NAMES: Readonly<Record<string, string>> = {
  dailyGrossNotional: 'Daily gross notional',
  openOrders: 'Open orders',
};

export const MODE_LABELS: Readonly<Record<TradingStateView['mode'], string>> = {
  normal: 'Normal',
  reduceOnly: 'Reduce-only',
  halted: 'Halted',
};

/** The banner's words for a trading state other than normal. */
export function tradingStateText(state: TradingStateView): string {
  const who = state.by !== undefined ? ` by ${state.by}` : '';
  const why = state.reason !== undefined ? `: ${state.reason}` : '';
  const what = state.mode === 'halted' ? 'Trading halted: no new orders' : 'Reduce-only: only orders that reduce a position';
  return `${what} (kill switch${who}${why})`;
}
