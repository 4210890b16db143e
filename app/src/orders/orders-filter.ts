import type { OrderView } from '../../../shared/contract/views';
import type { BlotterView } from '../../../shared/domain/blotter-views';
import { inBlotterView } from '../../../shared/domain/blotter-views';
import { orderStatusText, orderTypeLabel, sideLabel, timeInForceLabel } from '../format/labels';

/** The text of every text column of an order, lower-cased, as the quick filter searches it (once per row version). */
const searchTexts = new WeakMap<OrderView, string>();

export function orderSearchText(order: OrderView): string {
  let text = searchTexts.get(order);
  if (text === undefined) {
    text = [
      order.orderId,
      order.clOrdId,
      order.liveClOrdId,
      order.brokerOrderId ?? '',
      order.broker,
      order.account,
      order.symbol,
      sideLabel(order.side),
      orderTypeLabel(order.orderType),
      timeInForceLabel(order.timeInForce),
      orderStatusText(order),
      order.text ?? '',
    ]
      .join('\u0000')
      .toLowerCase();
    searchTexts.set(order, text);
  }
  return text;
}

/** Words of a quick filter: every one must appear in some text column (case-insensitive). */
export function quickFilterWords(text: string): readonly string[] {
  return text.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

/**
 * What the orders blotter shows besides ag-grid's own column filters: the view (Working, Done…) and
 * the quick filter. One predicate, used as the grid's external filter and by the grid feed to tell
 * when an update moves a row into or out of what is shown.
 */
export class OrdersFilter {
  constructor(
    readonly view: BlotterView,
    readonly words: readonly string[],
    /** Orders an alert names (the Needs attention view). */
    readonly alerted: ReadonlySet<string>,
  ) {}

  static none = new OrdersFilter('all', [], new Set());

  get present(): boolean {
    return this.view !== 'all' || this.words.length > 0;
  }

  passes(order: OrderView): boolean {
    if (!inBlotterView(this.view, order, this.alerted.has(order.orderId))) return false;
    if (this.words.length === 0) return true;
    const text = orderSearchText(order);
    for (const word of this.words) if (!text.includes(word)) return false;
    return true;
  }
}
