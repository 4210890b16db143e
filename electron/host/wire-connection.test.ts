import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import { silentLogger } from '../core/log/logger';
import { MAX_WIRE_MESSAGE_BYTES } from '../../shared/contract/wire';
import { serveWireConnection, streamFrames } from './wire-connection';

class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  send(text: string) {
    this.sent.push(text);
    this.bufferedAmount += text.length;
  }
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {}
}

function serve(snapshotRows: number, maxBufferedBytes: number) {
  const socket = new FakeSocket();
  let push: (m: DeskStreamMessage) => void = () => {};
  const desk = {
    call: async () => ({ ok: true, value: undefined }),
    subscribe(listener: (m: DeskStreamMessage) => void) {
      push = listener;
      listener({
        kind: 'snapshot',
        orders: Array.from({ length: snapshotRows }, (_, i) => ({ orderId: `O-${i}`, version: 1 })) as never,
        executions: [],
        sessions: [],
        alerts: [],
        reference: { brokers: [], accounts: [], instruments: [] },
      });
      return () => {};
    },
  } as unknown as DeskApi;
  serveWireConnection({ socket: socket as never, desk, log: silentLogger, maxBufferedBytes });
  return { socket, push: (m: DeskStreamMessage) => push(m) };
}

describe('serveWireConnection slow-consumer limit', () => {
  it('does not close a client for the size of its own snapshot while it drains', () => {
    const { socket, push } = serve(2_000, 10_000); // snapshot ≈ 60 KB, limit 10 KB
    push({ kind: 'orders', rows: [{ orderId: 'O-1', version: 2 } as never] });
    expect(socket.closedWith).toBeUndefined();
    expect(socket.sent).toHaveLength(2);
  });

  it('still closes a client that falls behind once the snapshot has drained', () => {
    const { socket, push } = serve(10, 10_000);
    socket.bufferedAmount = 0; // snapshot drained
    push({ kind: 'orders', rows: [{ orderId: 'O-1', version: 2 } as never] });
    socket.bufferedAmount = 20_000; // now a real backlog
    push({ kind: 'alerts', rows: [{ id: 'A-1' } as never] }); // another stream: not held back by pacing
    expect(socket.closedWith).toBe(4008);
  });
});

describe('streamFrames', () => {
  it('keeps small stream messages whole', () => {
    const frames = streamFrames({ kind: 'orders', rows: [{ orderId: 'O-1', version: 1 } as never] });
    expect(frames).toHaveLength(1);
    expect(JSON.parse(frames[0]!)).toEqual({ kind: 'stream', message: { kind: 'orders', rows: [{ orderId: 'O-1', version: 1 }] } });
  });

  it('splits a large snapshot into frames under the contract limit that add up to the same rows', () => {
    const orders = Array.from({ length: 20_000 }, (_, i) => ({ orderId: `O-${i}`, version: 1, text: 'x'.repeat(60) }));
    const executions = Array.from({ length: 9_000 }, (_, i) => ({ execKey: `E-${i}`, orderId: `O-${i}` }));
    const frames = streamFrames({
      kind: 'snapshot',
      orders: orders as never,
      executions: executions as never,
      sessions: [],
      alerts: [],
      reference: { brokers: ['SIM-A'], accounts: [], instruments: [] },
    });
    expect(frames.length).toBeGreaterThan(2);
    for (const f of frames) expect(f.length).toBeLessThanOrEqual(MAX_WIRE_MESSAGE_BYTES);
    const parsed = frames.map((f) => JSON.parse(f) as { kind: string; message: DeskStreamMessage });
    expect(parsed[0]!.message.kind).toBe('snapshot');
    const seenOrders: unknown[] = [];
    const seenExecutions: unknown[] = [];
    for (const { message } of parsed) {
      if (message.kind === 'snapshot') {
        seenOrders.push(...message.orders);
        expect(message.reference.brokers).toEqual(['SIM-A']);
      } else if (message.kind === 'orders') seenOrders.push(...message.rows);
      else if (message.kind === 'executions') seenExecutions.push(...message.rows);
    }
    expect(seenOrders).toEqual(orders);
    expect(seenExecutions).toEqual(executions);
  });
});

describe('streamFrames snapshot parts', () => {
  it('leaves room in the snapshot frame for its reference data (thousands of instruments traded)', () => {
    const instruments = Array.from({ length: 2_000 }, (_, i) => ({ id: `S${i}.XNAS`, symbol: `S${i}`, name: `Symbol ${i} Inc.`, currency: 'USD', assetClass: 'equity' }));
    const orders = Array.from({ length: 2_000 }, (_, i) => ({ orderId: `O-${i}`, version: 1, text: 'x'.repeat(450) }));
    const frames = streamFrames({ kind: 'snapshot', orders: orders as never, executions: [], sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: instruments as never } });
    for (const f of frames) expect(f.length).toBeLessThanOrEqual(MAX_WIRE_MESSAGE_BYTES);
    const parsed = frames.map((f) => (JSON.parse(f) as { message: DeskStreamMessage }).message);
    expect(parsed[0]!.kind === 'snapshot' && parsed[0]!.parts).toBe(frames.length - 1);
    expect(parsed.flatMap((m) => (m.kind === 'snapshot' ? m.orders : m.kind === 'orders' ? m.rows : []))).toEqual(orders);
  });

  it('says how many parts follow a split snapshot, and none on a whole one', () => {
    const base = { sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] } };
    const small = streamFrames({ kind: 'snapshot', orders: [{ orderId: 'O-1', version: 1 }] as never, executions: [], ...base });
    expect(small).toHaveLength(1);
    const whole = JSON.parse(small[0]!) as { message: Record<string, unknown> };
    expect(whole.message).toEqual({ kind: 'snapshot', orders: [{ orderId: 'O-1', version: 1 }], executions: [], ...base });
    const orders = Array.from({ length: 30_000 }, (_, i) => ({ orderId: `O-${i}`, version: 1, text: 'a "quoted" $& text' }));
    const frames = streamFrames({ kind: 'snapshot', orders: orders as never, executions: [{ execKey: 'E-1' }] as never, ...base });
    const parsed = frames.map((f) => (JSON.parse(f) as { message: DeskStreamMessage }).message);
    const head = parsed[0]!;
    expect(head.kind === 'snapshot' && head.parts).toBe(frames.length - 1);
    expect(parsed.slice(1).every((m) => m.kind === 'orders' || m.kind === 'executions')).toBe(true);
    const rows = parsed.flatMap((m) => (m.kind === 'snapshot' ? m.orders : m.kind === 'orders' ? m.rows : []));
    expect(rows).toEqual(orders);
  });
});
