import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import { reconnectDelayMs } from './backoff';
import type { ConnectionStatus } from './connection';
import type { SocketLike } from './ws-desk-client';
import { WsDeskClient } from './ws-desk-client';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const warnings: string[] = [];
  const client = new WsDeskClient({
    url: 'ws://127.0.0.1:1/ws',
    token: 'tok',
    timeoutMs: 10_000,
    random: () => 0.5,
    warn: (m) => warnings.push(m),
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
  });
  const statuses: ConnectionStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  const messages: DeskStreamMessage[] = [];
  client.subscribe((m) => messages.push(m));
  client.start();
  return { client, sockets, warnings, statuses, messages, last: () => sockets[sockets.length - 1]! };
}

const params = { orderId: 'O-1' };

describe('WsDeskClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('offers the meridian subprotocol and the token', () => {
    const { last } = setup();
    expect(last().protocols).toEqual(['meridian.v1', 'token.tok']);
  });

  it('matches responses to calls by id', async () => {
    const { client, last, statuses } = setup();
    last().open();
    expect(statuses.at(-1)?.state).toBe('connected');
    const pending = client.call('cancelOrder', params);
    const request = JSON.parse(last().sent[0]!);
    expect(request).toEqual({ id: 1, command: 'cancelOrder', params });
    last().receive({ kind: 'response', id: 1, result: { ok: true, value: { orderId: 'O-1', clOrdId: 'C-2' } } });
    await expect(pending).resolves.toEqual({ ok: true, value: { orderId: 'O-1', clOrdId: 'C-2' } });
  });

  it('answers a call with an error after the timeout', async () => {
    const { client, last } = setup();
    last().open();
    const pending = client.call('cancelOrder', params);
    vi.advanceTimersByTime(10_000);
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/No answer/);
    last().receive({ kind: 'response', id: 1, result: { ok: true, value: {} } }); // late: ignored
  });

  it('fails calls at once while disconnected, and in-flight calls when the connection drops', async () => {
    const { client, last } = setup();
    expect((await client.call('cancelOrder', params)).ok).toBe(false);
    last().open();
    const pending = client.call('cancelOrder', params);
    last().drop();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/lost/);
  });

  it('reconnects with backoff and keeps delivering stream messages to the same listeners', () => {
    const { sockets, last, statuses, messages } = setup();
    last().open();
    last().drop();
    expect(statuses.at(-1)?.state).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(reconnectDelayMs(0, () => 0.5));
    expect(sockets).toHaveLength(2);
    last().open();
    last().receive({ kind: 'stream', message: { kind: 'alerts', rows: [{ id: 'A1', level: 'info', message: 'hi', at: 'x' }] } });
    expect(messages).toHaveLength(1);
    expect(statuses.at(-1)?.state).toBe('connected');
  });

  it('stops retrying when the desk refuses the token', () => {
    const { sockets, last, statuses } = setup();
    last().drop(4401);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses.at(-1)?.state).toBe('unavailable');
  });

  it('ignores malformed messages with a warning', () => {
    const { last, warnings, messages } = setup();
    last().open();
    last().receive('{garbage');
    last().receive({ kind: 'stream', message: { kind: 'orders', rows: [{ orderId: 'O-1' }] } });
    expect(messages).toHaveLength(0);
    expect(warnings).toHaveLength(2);
  });
});

describe('reconnectDelayMs', () => {
  it('grows exponentially and is capped', () => {
    expect(reconnectDelayMs(0, () => 1)).toBe(250);
    expect(reconnectDelayMs(3, () => 1)).toBe(2000);
    expect(reconnectDelayMs(30, () => 1)).toBe(10_000);
    expect(reconnectDelayMs(30, () => 0)).toBe(8000);
  });
});
