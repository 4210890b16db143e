import type { TradingMode } from '../../../shared/contract/risk';

/**
 * THE TRADING STATE, one reviewed table: what each mode lets through. Every mode may be set from
 * every other (the kill switch halts from anywhere; resuming is a person's decision, audited).
 * Cancels are never gated: stopping must always be possible.
 *
 *   mode        new orders / algo children          amends
 *   normal      all (after the checks)              all (re-checked)
 *   reduceOnly  only those that reduce a position   only to a quantity that still reduces
 *   halted      none                                 none
 */
export const TRADING_STATE_TABLE: Readonly<Record<TradingMode, 'all' | 'reducing' | 'none'>> = {
  normal: 'all',
  reduceOnly: 'reducing',
  halted: 'none',
};
