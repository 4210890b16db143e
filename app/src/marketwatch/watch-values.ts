import type { QuoteView } from '../../../shared/contract/market-data';
import { divideRounded, fixed, fixedText } from '../format/fixed-point';

/** The market watch's derived values, exact: change on the previous close, absolute and in percent (two places). */
export function changeOf(quote: QuoteView | undefined): { readonly change: string; readonly percent: string } | undefined {
  const last = fixed(quote?.last);
  const close = fixed(quote?.close);
  if (last === undefined || close === undefined || close <= 0n) return undefined;
  const diff = last - close;
  return { change: fixedText(diff, 12), percent: fixedText(divideRounded(diff * 10_000n, close), 2) };
}

/** "+1.25", "−0.50" (a true minus), "0". */
export function signed(value: string | undefined, places?: number): string {
  if (value === undefined) return '';
  const negative = value.startsWith('-');
  let digits = negative ? value.slice(1) : value;
  if (places !== undefined) {
    const [whole = '0', fraction = ''] = digits.split('.');
    digits = places === 0 ? whole : `${whole}.${fraction.padEnd(places, '0')}`;
  }
  if (/^0(\.0*)?$/.test(digits)) return digits;
  return `${negative ? '\u2212' : '+'}${digits}`;
}

/** A new order of the watch list with `id` moved by `by` places (clamped); the same list when it cannot move. */
export function moveInList(list: readonly string[], id: string, by: number): readonly string[] {
  const from = list.indexOf(id);
  if (from < 0) return list;
  const to = Math.max(0, Math.min(list.length - 1, from + by));
  if (to === from) return list;
  const next = [...list];
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
}

/** What the state cell says: nothing when live; stale; the feed's refusal; or no quote yet. */
export function quoteState(quote: QuoteView | undefined): string {
  if (quote === undefined) return 'waiting';
  if (quote.rejected !== undefined) return `refused: ${quote.rejected}`;
  return quote.stale ? 'stale' : '';
}
