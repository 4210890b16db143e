import { describe, expect, it } from 'vitest';
import type { OrderHistoryEntry } from '../../../shared/contract/views';
import { orderRow } from '../store/fixtures.test-util';
import { clOrdIdChain, eventLabel, formatStamp, isProblemEvent, newerOrder } from './history-model';

const entry = (overrides: Partial<OrderHistoryEntry>): OrderHistoryEntry => ({
  seq: 1,
  at: '2026-11-27T10:00:00.000Z',
  event: 'executionReceived',
  summary: '',
  ...overrides,
});

describe('eventLabel', () => {
  it("names the journal's events in a trader's words", () => {
    expect(eventLabel('orderSubmitted')).toBe('Submitted');
    expect(eventLabel('cancelRejectReceived')).toBe('Cancel/amend rejected');
  });
  it('splits an unknown event name into words rather than hiding it', () => {
    expect(eventLabel('parentOrderSliced')).toBe('Parent order sliced');
  });
});

describe('isProblemEvent', () => {
  it('flags refusals, failed sends, rejects and ignored events', () => {
    expect(isProblemEvent(entry({ event: 'orderDenied' }))).toBe(true);
    expect(isProblemEvent(entry({ event: 'executionReceived', ignored: 'duplicate ExecID' }))).toBe(true);
    expect(isProblemEvent(entry({ event: 'executionReceived' }))).toBe(false);
  });
});

describe('formatStamp', () => {
  const now = new Date(2026, 10, 27, 15, 0, 0);
  it('shows local time to the millisecond on the same day, and the date on another day', () => {
    expect(formatStamp(new Date(2026, 10, 27, 9, 5, 7, 42).toISOString(), now)).toBe('09:05:07.042');
    expect(formatStamp(new Date(2026, 10, 26, 23, 59, 59, 999).toISOString(), now)).toBe('2026-11-26 23:59:59.999');
  });
  it('passes through what it cannot parse, and shows nothing for nothing', () => {
    expect(formatStamp('20261127-10:00:00', now)).toBe('20261127-10:00:00');
    expect(formatStamp(undefined, now)).toBe('');
  });
});

describe('clOrdIdChain', () => {
  const order = orderRow({ orderId: 'AB12C-1', clOrdId: 'AB12C-3', liveClOrdId: 'AB12C-2', pending: { kind: 'cancel', clOrdId: 'AB12C-3' } });
  const entries = [
    entry({ event: 'orderSubmitted', summary: 'Submitted: buy 100 AAPL limit (limit 200) day, FUND-ALPHA via SIM-A, ClOrdID AB12C-1' }),
    entry({ fix: { direction: 'in', msgType: '8', msgTypeName: 'ExecutionReport', raw: '', fields: [{ tag: 11, name: 'ClOrdID', value: 'AB12C-1' }] } }),
    entry({ event: 'replaceRequested', summary: 'Amend requested: quantity 150 (ClOrdID AB12C-2, OrigClOrdID AB12C-1)' }),
    entry({ event: 'cancelRequested', summary: 'Cancel requested (ClOrdID AB12C-3, OrigClOrdID AB12C-2)' }),
  ];

  it('lists every ClOrdID once, oldest first, and marks the original, live and pending ones', () => {
    expect(clOrdIdChain(order, entries)).toEqual([
      { clOrdId: 'AB12C-1', original: true, live: false, pending: false },
      { clOrdId: 'AB12C-2', original: false, live: true, pending: false },
      { clOrdId: 'AB12C-3', original: false, live: false, pending: true },
    ]);
  });

  it('still names the order and its current ClOrdIDs before the history has loaded', () => {
    expect(clOrdIdChain(order, []).map((l) => l.clOrdId)).toEqual(['AB12C-1', 'AB12C-2', 'AB12C-3']);
  });

  it('does not read ClOrdIDs out of a broker text quoted in an execution report summary', () => {
    const quoted = entry({ summary: 'Execution report X1: rejected → rejected, "ClOrdID EVIL-9 unknown"' });
    expect(clOrdIdChain(orderRow({ orderId: 'A-1', clOrdId: 'A-1', liveClOrdId: 'A-1' }), [quoted]).map((l) => l.clOrdId)).toEqual(['A-1']);
  });
});

describe('newerOrder', () => {
  it('keeps the higher version', () => {
    const older = orderRow({ version: 2 });
    const newer = orderRow({ version: 3, status: 'filled' });
    expect(newerOrder(older, newer)).toBe(newer);
    expect(newerOrder(newer, older)).toBe(newer);
    expect(newerOrder(undefined, older)).toBe(older);
  });
});
