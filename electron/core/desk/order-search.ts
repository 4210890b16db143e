import type { OrderSearchPage, OrderSearchRequest } from '../../../shared/contract/order-search';
import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { DeskContext } from './desk-context';
import { SearchError } from './order-summaries';

/** `searchOrders`: orders of any day from the journal's order summaries, newest first, a page at a time. */
export function searchOrders(ctx: DeskContext, request: OrderSearchRequest): Result<OrderSearchPage> {
  try {
    return ok(ctx.orderSummaries.search(request));
  } catch (error) {
    if (error instanceof SearchError) return fail('INVALID_REQUEST', error.message, { cursor: error.message });
    throw error;
  }
}
