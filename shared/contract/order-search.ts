import { z } from 'zod';
import { BLOTTER_VIEWS } from '../domain/blotter-views';
import { SIDES } from '../domain/order-types';
import { identifier, symbolSchema } from './ticket';
import type { OrderView } from './views';

/** The most orders one page of a search returns. */
export const MAX_SEARCH_PAGE = 1_000;
export const DEFAULT_SEARCH_PAGE = 200;

/** An instant as the desk writes them: ISO-8601 in UTC, e.g. 2026-03-02T09:30:00.000Z. */
export const isoInstantSchema = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/, { error: `${what} must be an ISO-8601 instant in UTC, e.g. 2026-03-02T09:30:00.000Z` })
    .refine(isRealInstant, { error: `${what} is not a real date and time` });

/** Date.parse accepts 2026-02-30 (as March 2): the date must read back as written. */
function isRealInstant(text: string): boolean {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 16) === text.slice(0, 16);
}

/**
 * Orders of any day, from the journal: newest first (by creation time), a page at a time.
 *
 * `text` finds an order by its order ID or any ClOrdID it used (then the other filters do not
 * apply: an identifier names one order whatever its day), else names a symbol, an account or a
 * broker (case-insensitive). `from`/`to`: created at or after `from`, before `to`. `cursor` is the
 * `nextCursor` of the previous page.
 */
export const orderSearchRequestSchema = z
  .object({
    text: z.string().trim().max(64, { error: 'search is at most 64 characters' }).optional(),
    from: isoInstantSchema('from').optional(),
    to: isoInstantSchema('to').optional(),
    view: z.enum(BLOTTER_VIEWS, { error: `view must be one of ${BLOTTER_VIEWS.join(', ')}` }).default('all'),
    symbol: symbolSchema.optional(),
    account: identifier('account', 32).optional(),
    broker: identifier('broker', 32).optional(),
    side: z.enum(SIDES, { error: `side must be one of ${SIDES.join(', ')}` }).optional(),
    cursor: z.string().max(200, { error: 'cursor is at most 200 characters' }).optional(),
    limit: z
      .number()
      .int({ error: 'limit must be a whole number' })
      .min(1, { error: 'limit must be at least 1' })
      .max(MAX_SEARCH_PAGE, { error: `limit is at most ${MAX_SEARCH_PAGE}` })
      .default(DEFAULT_SEARCH_PAGE),
  })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || Date.parse(r.from) < Date.parse(r.to), {
    error: 'from must be before to',
    path: ['to'],
  });
export type OrderSearchRequest = z.infer<typeof orderSearchRequestSchema>;

/** What `text` matched: an identifier, or the field(s) holding that value. */
export type SearchMatch = 'orderId' | 'clOrdId' | 'symbol' | 'account' | 'broker';

export interface OrderSearchPage {
  readonly orders: readonly OrderView[];
  /** Pass as `cursor` for the next (older) page; absent when this page is the last. */
  readonly nextCursor?: string;
  /** What the search text matched (absent without text, or when it matched nothing). */
  readonly matchedBy?: readonly SearchMatch[];
}
