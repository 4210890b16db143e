import { describe, expect, it } from 'vitest';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import type { OrderView, SessionView } from '../../shared/contract/views';
import { StreamPublisher } from '../core/desk/stream-publisher';
import { TestClock } from '../core/time/test-clock';
import { StreamFanout } from './stream-fanout';

const order = (orderId: string, version: number) => ({ orderId, version }) as unknown as OrderView;
const session = (state: string) => ({ broker: 'B', state }) as unknown as SessionView;

function setup() {
  const clock = new TestClock();
  const book = { orders: new Map<string, OrderView>(), session: session('connecting') };
  const publisher = new StreamPublisher(clock, () => ({
    kind: 'snapshot',
    orders: [...book.orders.values()],
    executions: [],
    sessions: [book.session],
    alerts: [],
    reference: { brokers: [], accounts: [], instruments: [] },
  }));
  let subscriptions = 0;
  const desk: DeskApi = {
    call: () => Promise.reject(new Error('not used')),
    subscribe: (listener) => {
      subscriptions++;
      const stop = publisher.subscribe(listener);
      return () => {
        subscriptions--;
        stop();
      };
    },
  };
  let serialised = 0;
  const fanout = new StreamFanout(desk, clock, (m) => {
    serialised++;
    return [JSON.stringify(m)];
  });
  const client = () => {
    const got: DeskStreamMessage[] = [];
    return { got, send: (frames: readonly string[]) => got.push(...frames.map((f) => JSON.parse(f) as DeskStreamMessage)) };
  };
  const change = (o: OrderView) => {
    book.orders.set(o.orderId, o);
    publisher.order(o);
  };
  const changeSession = (s: SessionView) => {
    book.session = s;
    publisher.session(s);
  };
  return { clock, fanout, client, change, changeSession, serialised: () => serialised, subscriptions: () => subscriptions };
}

describe('StreamFanout', () => {
  it('sends each client its snapshot, then the same deltas, paced and serialised once for all', () => {
    const t = setup();
    const a = t.client();
    const b = t.client();
    const leaveA = t.fanout.join(a);
    const leaveB = t.fanout.join(b);
    expect(t.subscriptions()).toBe(1);
    expect(a.got.map((m) => m.kind)).toEqual(['snapshot']);
    expect(b.got.map((m) => m.kind)).toEqual(['snapshot']);
    const before = t.serialised();
    t.change(order('O1', 1));
    t.clock.advance(0);
    t.change(order('O1', 2));
    t.change(order('O2', 1));
    t.clock.advance(0);
    t.clock.advance(16);
    expect(t.serialised() - before).toBe(2); // two batches, each serialised once for both clients
    for (const c of [a, b]) {
      expect(c.got.slice(1)).toEqual([
        { kind: 'orders', rows: [order('O1', 1)] },
        { kind: 'orders', rows: [order('O1', 2), order('O2', 1)] },
      ]);
    }
    leaveA();
    expect(t.subscriptions()).toBe(1);
    leaveB();
    expect(t.subscriptions()).toBe(0);
    expect(t.fanout.size).toBe(0);
  });

  it('gives a client joining mid-stream nothing older than its snapshot (a session row has no version)', () => {
    const t = setup();
    const a = t.client();
    t.fanout.join(a);
    t.changeSession(session('loggedOn'));
    t.clock.advance(0); // sent at once: the stream was quiet
    t.changeSession(session('disconnected'));
    t.clock.advance(0); // queued for the end of the frame
    t.changeSession(session('loggedOn'));
    t.clock.advance(0); // queued, merged
    const b = t.client();
    t.fanout.join(b);
    t.clock.advance(16);
    expect(b.got).toHaveLength(1);
    expect(b.got[0]).toMatchObject({ kind: 'snapshot', sessions: [{ state: 'loggedOn' }] });
    expect(a.got.at(-1)).toEqual({ kind: 'sessions', rows: [session('loggedOn')] });
    t.change(order('O1', 1));
    t.clock.advance(0);
    expect(b.got.at(-1)).toEqual({ kind: 'orders', rows: [order('O1', 1)] });
  });

  it('keeps streaming to the others when one client fails', () => {
    const t = setup();
    const failing = { send: () => { throw new Error('socket gone'); } };
    const ok = t.client();
    t.fanout.join(ok);
    t.fanout.join(failing);
    t.change(order('O1', 1));
    t.clock.advance(0);
    expect(ok.got.at(-1)).toEqual({ kind: 'orders', rows: [order('O1', 1)] });
  });
});
