import { describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { PositionRow } from '../../../shared/contract/positions';
import type { OrderView } from '../../../shared/contract/views';
import { TestClock } from '../time/test-clock';
import { pacedListener, StreamPublisher } from './stream-publisher';

const order = (orderId: string, version: number) => ({ orderId, version }) as unknown as OrderView;
const emptySnapshot = (): Extract<DeskStreamMessage, { kind: 'snapshot' }> => ({
  kind: 'snapshot',
  orders: [],
  executions: [],
  sessions: [],
  alerts: [],
  reference: { brokers: [], accounts: [], instruments: [] },
});

function setup() {
  const clock = new TestClock();
  const publisher = new StreamPublisher(clock, emptySnapshot, 16, () => {});
  const batches: DeskStreamMessage[] = [];
  publisher.subscribe((m) => {
    if (m.kind !== 'snapshot') batches.push(m);
  });
  return { clock, publisher, batches };
}

describe('StreamPublisher', () => {
  it('publishes a change on a quiet desk at the end of the current turn, without waiting for a frame', async () => {
    const { publisher, batches } = setup();
    publisher.order(order('O1', 1));
    expect(batches).toHaveLength(0); // never inside the caller: its FIX send goes first
    await Promise.resolve();
    expect(batches).toEqual([{ kind: 'orders', rows: [order('O1', 1)] }]);
  });

  it('coalesces an order updated several times before a flush to its latest version', async () => {
    const { publisher, batches } = setup();
    for (let v = 1; v <= 10; v++) publisher.order(order('O1', v));
    await Promise.resolve();
    expect(batches).toEqual([{ kind: 'orders', rows: [order('O1', 10)] }]);
  });

  it('values the positions fills changed once per flush, into the batch with those fills', async () => {
    const { publisher, batches } = setup();
    const valued: string[][] = [];
    const value = (keys: readonly string[]) => {
      valued.push([...keys]);
      for (const key of keys) publisher.position({ key, version: valued.length } as unknown as PositionRow);
    };
    publisher.order(order('O1', 1));
    publisher.positionsChanged(['A|X'], value);
    publisher.order(order('O1', 2));
    publisher.positionsChanged(['A|X', 'B|Y'], value);
    publisher.positionsChanged([], value);
    expect(valued).toEqual([]); // not at each fill
    await Promise.resolve();
    expect(valued).toEqual([['A|X', 'B|Y']]);
    expect(batches).toEqual([
      { kind: 'orders', rows: [order('O1', 2)] },
      { kind: 'positions', rows: [{ key: 'A|X', version: 1 }, { key: 'B|Y', version: 1 }] },
    ]);
  });

  it('drops the positions still to value with the rest when a failed commit discards the batch', async () => {
    const { publisher, batches } = setup();
    const valued: string[][] = [];
    publisher.positionsChanged(['A|X'], (keys) => valued.push([...keys]));
    publisher.discardPending();
    publisher.flush();
    await Promise.resolve();
    expect(valued).toEqual([]);
    expect(batches).toEqual([]);
  });

  it('is driven by the clock too (tests advance it without awaiting)', () => {
    const { clock, publisher, batches } = setup();
    publisher.order(order('O1', 1));
    clock.advance(0);
    expect(batches).toHaveLength(1);
  });
});

describe('pacedListener', () => {
  it('passes a lone batch at once, then sends at most one batch per stream per frame, merged', () => {
    const clock = new TestClock();
    const out: DeskStreamMessage[] = [];
    const paced = pacedListener((m) => out.push(m), clock, 16);
    paced.listener({ kind: 'orders', rows: [order('O1', 1)] });
    expect(out).toHaveLength(1);
    clock.advance(2);
    paced.listener({ kind: 'orders', rows: [order('O1', 2), order('O2', 1)] });
    paced.listener({ kind: 'orders', rows: [order('O1', 3)] });
    paced.listener({ kind: 'executions', rows: [{ execKey: 'E1' } as never] }); // another stream: not held back
    expect(out.map((m) => m.kind)).toEqual(['orders', 'executions']);
    clock.advance(13);
    expect(out).toHaveLength(2);
    clock.advance(1);
    expect(out[2]).toEqual({ kind: 'orders', rows: [order('O1', 3), order('O2', 1)] });
  });

  it('lets a snapshot through at once and drops what was queued before it', () => {
    const clock = new TestClock();
    const out: DeskStreamMessage[] = [];
    const paced = pacedListener((m) => out.push(m), clock, 16);
    paced.listener({ kind: 'orders', rows: [order('O1', 1)] });
    paced.listener({ kind: 'orders', rows: [order('O1', 2)] });
    paced.listener(emptySnapshot());
    clock.advance(50);
    expect(out.map((m) => m.kind)).toEqual(['orders', 'snapshot']);
  });

  it('sends what is queued at once when flushed, then paces again from there', () => {
    const clock = new TestClock();
    const out: DeskStreamMessage[] = [];
    const paced = pacedListener((m) => out.push(m), clock, 16);
    paced.listener({ kind: 'orders', rows: [order('O1', 1)] });
    paced.listener({ kind: 'orders', rows: [order('O1', 2)] });
    paced.flush();
    expect(out).toEqual([
      { kind: 'orders', rows: [order('O1', 1)] },
      { kind: 'orders', rows: [order('O1', 2)] },
    ]);
    paced.listener({ kind: 'orders', rows: [order('O1', 3)] });
    clock.advance(50);
    expect(out).toHaveLength(3);
    paced.flush();
    expect(out).toHaveLength(3);
  });
});
