import { MAX_QUOTE_INSTRUMENTS } from '../../../shared/contract/market-data';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import type { QuoteBook } from './quote-book';
import type { QuoteSubscriptions } from './quote-subscriptions';

type Call = <C extends CommandName>(command: C, params: CommandParams<C>) => Promise<Result<CommandResults[C]>>;

/** The quotes of the desk's stream into the book: a snapshot replaces the book, deltas update it. */
export function applyQuoteMessage(book: QuoteBook, message: DeskStreamMessage): boolean {
  if (message.kind === 'snapshot') {
    book.reset(message.quotes ?? []);
    return true;
  }
  if (message.kind === 'quotes') {
    book.apply(message.rows);
    return true;
  }
  return false;
}

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_QUOTE_INSTRUMENTS) out.push(ids.slice(i, i + MAX_QUOTE_INSTRUMENTS));
  return out;
}

/**
 * Sends a window's subscription changes to the desk as one holder (`holder`: stable for the window's
 * life; the desk releases it when the connection goes, so after a snapshot on a new connection the
 * whole set is sent again). A refusal (an id the desk does not know) is reported, never retried.
 */
export function connectQuoteSubscriptions(subscriptions: QuoteSubscriptions, call: Call, holder: string, report: (message: string) => void): void {
  subscriptions.setSender(({ subscribe, unsubscribe }) => {
    for (const instrumentIds of chunks(unsubscribe)) void call('unsubscribeQuotes', { holder, instrumentIds });
    for (const instrumentIds of chunks(subscribe)) {
      void call('subscribeQuotes', { holder, instrumentIds }).then((result) => {
        // Not connected yet: the snapshot of the coming connection sends the whole set again.
        if (!result.ok && result.error.code !== 'INTERNAL') report(`Quotes not available for ${instrumentIds.join(', ')}: ${result.error.message}`);
      });
    }
  });
}
