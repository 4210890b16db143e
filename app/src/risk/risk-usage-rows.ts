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

/** One configured limit as the Risk dialog lists it: where it stands (defaults, an account, a class, an instrument), what, and its levels. */
export interface LimitRow {
  readonly level: string;
  readonly limit: string;
  readonly value: string;
}

const THRESHOLD_NAMES: Readonly<Record<string, string>> = {
  maxQuantity: 'Quantity per order',
  maxNotional: 'Notional per order',
  priceCollarPercent: 'Price collar (%)',
  maxDailyGrossNotional: 'Daily gross notional',
  maxOpenOrders: 'Open orders',
  maxPercentOfAdv: 'Quantity as % of ADV',
};

/** The limits document (the desk's validated `RiskLimits`, untyped here) as rows, most general first. */
export function limitRows(limits: unknown): LimitRow[] {
  if (typeof limits !== 'object' || limits === null) return [];
  const l = limits as Record<string, unknown>;
  const rows: LimitRow[] = [];
  const set = (level: string, value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const t = v as { warn?: string; block?: string };
        rows.push({ level, limit: THRESHOLD_NAMES[key] ?? key, value: [t.warn !== undefined && `warn above ${t.warn}`, t.block !== undefined && `block above ${t.block}`].filter(Boolean).join(', ') });
      } else rows.push({ level, limit: key, value: Array.isArray(v) ? v.join(', ') : String(v) });
    }
  };
  set('Defaults', l.defaults);
  for (const [group, label] of [['accounts', 'Account'], ['assetClasses', 'Asset class'], ['instruments', 'Instrument']] as const) {
    const byName = l[group];
    if (typeof byName === 'object' && byName !== null) for (const [name, value] of Object.entries(byName)) set(`${label} ${name}`, value);
  }
  const list = (name: string, label: string) => {
    const v = l[name];
    if (Array.isArray(v) && v.length > 0) rows.push({ level: 'Desk', limit: label, value: v.join(', ') });
  };
  list('restricted', 'Restricted (blocked)');
  list('watch', 'Watch list (warned)');
  const rates = l.brokerRates;
  if (typeof rates === 'object' && rates !== null) {
    for (const [broker, r] of Object.entries(rates as Record<string, { ordersPerSecond: number; burst: number }>)) rows.push({ level: `Broker ${broker}`, limit: 'Order rate', value: `${r.ordersPerSecond}/s, burst ${r.burst}` });
  }
  return rows;
}
