import { describe, expect, it } from 'vitest';
import { parseStreamMessage, parseWireDown } from './wire-parse';

const order = { orderId: 'O-1', version: 3, status: 'new' };
const snapshot = {
  kind: 'snapshot',
  orders: [order],
  executions: [{ execKey: 'SIM-A:E1' }],
  sessions: [{ broker: 'SIM-A', state: 'loggedOn' }],
  alerts: [],
  reference: { brokers: ['SIM-A'], accounts: ['FUND1'], instruments: [] },
};

describe('parseWireDown', () => {
  it('accepts responses with an ok or an error result', () => {
    const okResponse = parseWireDown(JSON.stringify({ kind: 'response', id: 7, result: { ok: true, value: { orderId: 'O-1' } } }));
    expect(okResponse).toEqual({ ok: true, value: { kind: 'response', id: 7, result: { ok: true, value: { orderId: 'O-1' } } } });
    const errorResponse = parseWireDown(
      JSON.stringify({ kind: 'response', id: 8, result: { ok: false, error: { code: 'INVALID_REQUEST', message: 'bad', fields: { quantity: 'x' } } } }),
    );
    expect(errorResponse.ok).toBe(true);
  });

  it('accepts stream snapshots and deltas', () => {
    expect(parseWireDown(JSON.stringify({ kind: 'stream', message: snapshot })).ok).toBe(true);
    expect(parseWireDown(JSON.stringify({ kind: 'stream', message: { ...snapshot, parts: 3 } })).ok).toBe(true);
    expect(parseWireDown(JSON.stringify({ kind: 'stream', message: { kind: 'orders', rows: [order] } })).ok).toBe(true);
    expect(parseWireDown(JSON.stringify({ kind: 'error', message: 'frame too large' })).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{nope'],
    ['a number', '42'],
    ['an unknown kind', JSON.stringify({ kind: 'hello' })],
    ['a response without id', JSON.stringify({ kind: 'response', result: { ok: true, value: 1 } })],
    ['a response with a bare result', JSON.stringify({ kind: 'response', id: 1, result: 5 })],
    ['an error result without code', JSON.stringify({ kind: 'response', id: 1, result: { ok: false, error: { message: 'x' } } })],
    ['an order delta row without version', JSON.stringify({ kind: 'stream', message: { kind: 'orders', rows: [{ orderId: 'O-1' }] } })],
    ['an execution without execKey', JSON.stringify({ kind: 'stream', message: { kind: 'executions', rows: [{ execId: 'E' }] } })],
    ['a snapshot without reference', JSON.stringify({ kind: 'stream', message: { ...snapshot, reference: null } })],
    ['a snapshot with parts that are not a count', JSON.stringify({ kind: 'stream', message: { ...snapshot, parts: -1 } })],
    ['an error without message', JSON.stringify({ kind: 'error' })],
  ])('rejects %s', (_what, frame) => {
    const parsed = parseWireDown(frame);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it('rejects binary frames', () => {
    expect(parseWireDown(new ArrayBuffer(4)).ok).toBe(false);
  });
});

describe('parseStreamMessage (IPC)', () => {
  it('checks objects delivered without JSON', () => {
    expect(parseStreamMessage(snapshot).ok).toBe(true);
    expect(parseStreamMessage({ kind: 'sessions', rows: [{ state: 'loggedOn' }] }).ok).toBe(false);
    expect(parseStreamMessage(null).ok).toBe(false);
  });
});

describe('quotes on the stream', () => {
  const quote = { instrumentId: 'AAPL.XNAS', bid: '189.99', ask: '190.01', updatedAt: '2026-12-07T10:00:00.000Z', source: 'MD', stale: false };
  it('accepts quote and market-data session deltas, and a snapshot with or without quotes', () => {
    expect(parseStreamMessage({ kind: 'quotes', rows: [quote] }).ok).toBe(true);
    expect(parseStreamMessage({ kind: 'marketDataSessions', rows: [{ name: 'MD', state: 'loggedOn' }] }).ok).toBe(true);
    expect(parseStreamMessage({ ...snapshot, quotes: [quote], marketDataSessions: [{ name: 'MD' }] }).ok).toBe(true);
    expect(parseStreamMessage(snapshot).ok).toBe(true);
  });
  it('refuses a quote without its instrument id', () => {
    expect(parseStreamMessage({ kind: 'quotes', rows: [{ ...quote, instrumentId: '' }] })).toEqual({ ok: false, reason: 'quotes[0]: missing instrumentId' });
    expect(parseStreamMessage({ ...snapshot, quotes: [{ bid: '1' }] })).toEqual({ ok: false, reason: 'snapshot quotes[0]: missing instrumentId' });
  });
});
