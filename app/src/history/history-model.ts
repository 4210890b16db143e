import type { OrderHistoryEntry, OrderView } from '../../../shared/contract/views';

/** The journal's event names (`DeskEvent['type']`) in a trader's words; an unknown one is split into words. */
const EVENT_LABELS: Readonly<Record<string, string>> = {
  orderSubmitted: 'Submitted',
  orderDenied: 'Refused by the desk',
  sendFailed: 'Not sent',
  replaceRequested: 'Amend requested',
  cancelRequested: 'Cancel requested',
  cancelRejectReceived: 'Cancel/amend rejected',
  executionReceived: 'Execution report',
  fixMessageSent: 'FIX sent',
};

export function eventLabel(event: string): string {
  const known = EVENT_LABELS[event];
  if (known !== undefined) return known;
  const words = event.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.length === 0 ? event : words[0]!.toUpperCase() + words.slice(1);
}

/** Events that say something went wrong, whatever the status after. */
export function isProblemEvent(entry: Pick<OrderHistoryEntry, 'event' | 'ignored'>): boolean {
  return entry.ignored !== undefined || entry.event === 'orderDenied' || entry.event === 'sendFailed' || entry.event === 'cancelRejectReceived';
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * Local time to the millisecond ("10:00:00.123"), with the date in front when it is not `now`'s day:
 * an audit trail needs the order of events, and a GTC order's story spans days.
 */
export function formatStamp(iso: string | undefined, now: Date = new Date()): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return sameDay ? time : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}

export interface ClOrdIdLink {
  readonly clOrdId: string;
  /** The first ClOrdID of the order (its orderId). */
  readonly original: boolean;
  /** The one the broker last confirmed as live: a cancel or amend refers to it. */
  readonly live: boolean;
  /** Sent, not answered yet. */
  readonly pending: boolean;
}

/** Our own requests name their ClOrdID in the summary; inbound messages carry it in tags 11 and 41. */
const REQUEST_EVENTS = new Set(['orderSubmitted', 'orderDenied', 'sendFailed', 'replaceRequested', 'cancelRequested']);
const CLORDID_IN_SUMMARY = /\b(?:Orig)?ClOrdID ([^\s,)]+)/g;

/** Every ClOrdID the order has had, in the order they first appear in its history. */
export function clOrdIdChain(order: Pick<OrderView, 'orderId' | 'clOrdId' | 'liveClOrdId' | 'pending'>, entries: readonly OrderHistoryEntry[]): ClOrdIdLink[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  const add = (id: string | undefined) => {
    const clean = id?.replace(/\.$/, '');
    if (clean === undefined || clean === '' || seen.has(clean)) return;
    seen.add(clean);
    ids.push(clean);
  };
  add(order.orderId);
  for (const entry of entries) {
    if (REQUEST_EVENTS.has(entry.event)) {
      // OrigClOrdID names an earlier link, so it goes in before the new one.
      const found = [...entry.summary.matchAll(CLORDID_IN_SUMMARY)].map((m) => ({ orig: m[0].startsWith('Orig'), id: m[1] }));
      for (const f of found.filter((x) => x.orig)) add(f.id);
      for (const f of found.filter((x) => !x.orig)) add(f.id);
    }
    if (entry.fix !== undefined) {
      add(entry.fix.fields.find((f) => f.tag === 41)?.value);
      add(entry.fix.fields.find((f) => f.tag === 11)?.value);
    }
  }
  add(order.liveClOrdId);
  add(order.clOrdId);
  add(order.pending?.clOrdId);
  return ids.map((clOrdId) => ({
    clOrdId,
    original: clOrdId === order.orderId,
    live: clOrdId === order.liveClOrdId,
    pending: clOrdId === order.pending?.clOrdId,
  }));
}

/** The store's row and the history's copy of the order: whichever is newer. */
export function newerOrder(a: OrderView | undefined, b: OrderView | undefined): OrderView | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.version > a.version ? b : a;
}
