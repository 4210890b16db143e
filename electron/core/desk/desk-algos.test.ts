import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlgoParentView, StartAlgoRequest } from '../../../shared/contract/algos';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { OutboundMessage } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import { Dec } from '../decimal/decimal';
import { report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import type { Desk } from './desk';
import { createDesk } from './create-desk';
import { loadVolumeProfiles } from './algo-commands';
import { FakeBroker } from './fake-broker.test-support';

const config: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
});

const START = '2026-11-27T14:30:00.000Z';
const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000).toISOString();

const twap: StartAlgoRequest = {
  strategy: 'twap',
  instrumentId: 'AAPL.XNAS',
  side: 'buy',
  quantity: '1000',
  account: 'FUND-ALPHA',
  broker: 'SIM-A',
  limitPrice: '151',
  endTime: at(10),
  slices: 10,
  childStyle: 'atTouch',
  catchUp: true,
  atEnd: 'cancelRest',
  sizeVariancePct: 0,
  timeVariancePct: 0,
  displayVariancePct: 0,
};

type NewOrder = Extract<OutboundMessage, { type: 'newOrder' }>;

describe('algo parents on the desk (fake broker, test clock)', () => {
  let dir: string;
  let clock: TestClock;
  let broker: FakeBroker;
  let desk: Desk;
  let messages: DeskStreamMessage[];
  const cum = new Map<string, Dec>();

  async function open(): Promise<Desk> {
    const d = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      algoSeed: () => 1,
      connectBroker: (c, listener, _log, options) => (broker = new FakeBroker(c.name, listener, options.unitOfWork)),
    });
    await d.start();
    messages = [];
    d.subscribe((m) => messages.push(m));
    return d;
  }

  const children = () => broker.sent.filter((m): m is NewOrder => m.type === 'newOrder');
  const deliver = (r: ReturnType<typeof report>) => broker.read(() => broker.listener.onMessage('SIM-A', r));
  const ack = (c: NewOrder) => deliver(report({ execType: 'new', ordStatus: 'new', clOrdId: c.clOrdId, leavesQty: c.quantity }));
  function fill(c: NewOrder, qty: string, px = '150') {
    const total = (cum.get(c.clOrdId) ?? new Dec(0)).plus(qty);
    cum.set(c.clOrdId, total);
    const leaves = new Dec(c.quantity).minus(total);
    deliver(report({ execType: 'trade', ordStatus: leaves.isZero() ? 'filled' : 'partiallyFilled', clOrdId: c.clOrdId, lastQty: qty, lastPx: px, cumQty: total.toString(), leavesQty: leaves.toString(), avgPx: px }));
  }
  const reject = (c: NewOrder) => deliver(report({ execType: 'rejected', ordStatus: 'rejected', clOrdId: c.clOrdId, text: 'no' }));
  function cancelled(cancel: Extract<OutboundMessage, { type: 'cancel' }>, c: NewOrder) {
    deliver(report({ execType: 'canceled', ordStatus: 'canceled', clOrdId: cancel.clOrdId, origClOrdId: c.clOrdId, cumQty: (cum.get(c.clOrdId) ?? new Dec(0)).toString(), leavesQty: '0', avgPx: '150' }));
  }
  function parent(id: string): AlgoParentView {
    clock.advance(0);
    let latest: AlgoParentView | undefined;
    for (const m of messages) {
      const rows = m.kind === 'snapshot' ? (m.algoParents ?? []) : m.kind === 'algoParents' ? m.rows : [];
      for (const r of rows) if (r.parentId === id) latest = r;
    }
    if (latest === undefined) throw new Error(`no view of ${id}`);
    return latest;
  }
  async function start(request: StartAlgoRequest = twap): Promise<string> {
    const r = await desk.call('startAlgo', request);
    if (!r.ok) throw new Error(r.error.message);
    clock.advance(0);
    return r.value.parentId;
  }
  /** The group commits done, and what waited for them. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** filled + working children ≤ the parent's quantity. */
  function expectNoOverfill(id: string) {
    const p = parent(id);
    expect(new Dec(p.cumQty).plus(p.workingQty).lessThanOrEqualTo(p.pendingQuantity !== undefined && new Dec(p.pendingQuantity).greaterThan(p.quantity) ? p.pendingQuantity : p.quantity)).toBe(true);
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-algos-'));
    clock = new TestClock(START);
    cum.clear();
    desk = await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a TWAP to completion: one child per slice at its time, fills rolled up exactly', async () => {
    const id = await start();
    for (let slice = 0; slice < 10; slice++) {
      expect(children()).toHaveLength(slice + 1);
      const c = children()[slice] as NewOrder;
      expect(c).toMatchObject({ quantity: '100', orderType: 'limit', limitPrice: '151', side: 'buy' });
      ack(c);
      fill(c, '40', '150.01');
      fill(c, '60', `150.0${slice}`);
      expectNoOverfill(id);
      clock.advance(59_999);
      expect(children()).toHaveLength(slice + 1); // not before the slice's time
      clock.advance(1);
    }
    const p = parent(id);
    expect(p).toMatchObject({ status: 'completed', cumQty: '1000', workingQty: '0' });
    // Σ(40×150.01 + 60×150.0k) / 1000, exact.
    const notional = Array.from({ length: 10 }, (_, k) => new Dec('6000.4').plus(new Dec(`150.0${k}`).times(60))).reduce((a, b) => a.plus(b));
    expect(p.avgPx).toBe(notional.dividedBy(1000).toString());
    expect(new Set(children().map((c) => c.clOrdId)).size).toBe(10);
  });

  it('the kill switch stops the algos in its scope: the parent is cancelled with its working child, no new child, new orders refused', async () => {
    const other = await start({ ...twap, side: 'sell', limitPrice: '149' });
    const id = await start();
    const [otherChild, child] = children() as [NewOrder, NewOrder];
    ack(otherChild);
    ack(child);
    const unknown = await desk.call('setTradingState', { mode: 'halted', reason: 'test', cancel: { scope: 'algo', value: 'NO-SUCH-PARENT' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const r = await desk.call('setTradingState', { mode: 'halted', reason: 'runaway algo', cancel: { scope: 'algo', value: id } });
    expect(r).toMatchObject({ ok: true, value: { canceled: 1 } });
    clock.advance(0);
    const cancels = broker.sent.filter((m): m is Extract<OutboundMessage, { type: 'cancel' }> => m.type === 'cancel');
    expect(cancels.map((c) => c.origClOrdId)).toEqual([child.clOrdId]);
    cancelled(cancels[0]!, child);
    expect(parent(id)).toMatchObject({ status: 'cancelled', workingQty: '0' });
    // The other parent was out of scope: it keeps working (its children are refused while halted).
    expect(parent(other).status).not.toBe('cancelled');
    clock.advance(5 * 60_000);
    expect(children().filter((c) => c.side === 'buy')).toHaveLength(1);
    const ticket = await desk.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '10', orderType: 'limit', limitPrice: '150', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A' });
    expect(ticket.ok).toBe(false);
  });

  it('pauses (children cancelled), resumes on schedule with catch-up, cancels (children first, then the parent)', async () => {
    const id = await start();
    const first = children()[0] as NewOrder;
    ack(first);
    fill(first, '30');
    await desk.call('pauseAlgo', { parentId: id });
    clock.advance(0);
    const cancel = broker.sent.find((m) => m.type === 'cancel');
    expect(cancel).toMatchObject({ origClOrdId: first.clOrdId });
    cancelled(cancel as Extract<OutboundMessage, { type: 'cancel' }>, first);
    expect(parent(id)).toMatchObject({ status: 'paused', cumQty: '30', workingQty: '0' });
    clock.advance(3 * 60_000);
    expect(children()).toHaveLength(1); // nothing while paused
    await desk.call('resumeAlgo', { parentId: id });
    clock.advance(0);
    expect(children()[1]).toMatchObject({ quantity: '370' }); // 400 due by 14:33, 30 filled
    await desk.call('cancelAlgo', { parentId: id });
    clock.advance(0);
    expect(parent(id).status).toBe('cancelling');
    const second = children()[1] as NewOrder;
    const cancel2 = broker.sent.filter((m) => m.type === 'cancel')[1] as Extract<OutboundMessage, { type: 'cancel' }>;
    expect(cancel2.origClOrdId).toBe(second.clOrdId);
    cancelled(cancel2, second);
    expect(parent(id)).toMatchObject({ status: 'cancelled', cumQty: '30' });
    clock.advance(10 * 60_000);
    expect(children()).toHaveLength(2);
  });

  it('retries a rejected child with backoff, then flags and pauses the parent', async () => {
    const id = await start();
    reject(children()[0] as NewOrder);
    clock.advance(999);
    expect(children()).toHaveLength(1);
    clock.advance(1);
    expect(children()).toHaveLength(2);
    reject(children()[1] as NewOrder);
    clock.advance(2_000);
    expect(children()).toHaveLength(3);
    reject(children()[2] as NewOrder);
    clock.advance(0);
    expect(parent(id)).toMatchObject({ status: 'paused' });
    expect(parent(id).flagged).toContain('3 children rejected');
    clock.advance(60_000);
    expect(children()).toHaveLength(3);
  });

  it('holds an amend-down until working children are cancelled; fills racing it are kept, never overfilled', async () => {
    const id = await start({ ...twap, quantity: '1000' });
    for (let k = 0; k < 3; k++) {
      ack(children()[k] as NewOrder);
      clock.advance(60_000);
    }
    const c = children()[2] as NewOrder;
    for (const other of children().slice(0, 2)) fill(other, other.quantity);
    clock.advance(0);
    expect(children()).toHaveLength(4);
    ack(children()[3] as NewOrder);
    fill(children()[3] as NewOrder, '100');
    const filledBefore = new Dec(parent(id).cumQty);
    const amend = await desk.call('amendAlgo', { parentId: id, quantity: filledBefore.plus(50).toString() });
    expect(amend.ok).toBe(true);
    clock.advance(0);
    expect(parent(id).pendingQuantity).toBe(filledBefore.plus(50).toString());
    expectNoOverfill(id);
    fill(c, '80'); // races the cancel
    expectNoOverfill(id);
    const cancel = broker.sent.filter((m) => m.type === 'cancel').at(-1) as Extract<OutboundMessage, { type: 'cancel' }>;
    cancelled(cancel, c);
    const p = parent(id);
    expect(p.pendingQuantity).toBeUndefined();
    expect(p.flagged).toContain('overtaken by fills');
    expect(p).toMatchObject({ status: 'completed', quantity: p.cumQty });
  });

  it('resumes after a restart from the journal: the child in flight is reconciled first, none sent twice', async () => {
    const id = await start();
    const first = children()[0] as NewOrder;
    await desk.stop();
    desk = await open();
    clock.advance(2 * 60_000);
    // The child's fate is unknown until the broker answers: nothing new goes out.
    expect(children()).toHaveLength(0);
    expect(broker.sent.find((m) => m.type === 'statusRequest')).toMatchObject({ clOrdId: first.clOrdId });
    deliver(report({ execType: 'orderStatus', ordStatus: 'new', clOrdId: first.clOrdId, leavesQty: '100' }));
    clock.advance(0);
    const next = children()[0] as NewOrder;
    expect(next.clOrdId).not.toBe(first.clOrdId);
    expect(next.quantity).toBe('200'); // 300 due by 14:32, 100 working
    expect(parent(id).childIds).toEqual([first.clOrdId, next.clOrdId]);
  });

  it('prepares a slice ahead of its time with the write held, and writes it at its time, never before', async () => {
    broker.enableHolds();
    const id = await start();
    const first = children()[0] as NewOrder;
    ack(first);
    fill(first, '100');
    clock.advance(60_000 - 4); // the scheduler's lead: the second slice is looked at now
    await settle();
    const second = children()[1] as NewOrder;
    expect(second).toMatchObject({ quantity: '100' }); // submitted, journaled, committed
    expect(parent(id).childIds).toContain(second.clOrdId);
    expect(broker.written.map((m) => m.type === 'newOrder' && m.clOrdId)).toEqual([first.clOrdId]); // held
    clock.advance(3);
    await settle();
    expect(broker.written).toHaveLength(1); // 1 ms before its time: still held
    clock.advance(1);
    await settle();
    expect(broker.written.map((m) => m.type === 'newOrder' && m.clOrdId)).toEqual([first.clOrdId, second.clOrdId]);
    expect(children()).toHaveLength(2); // not twice
  });

  it('a kill between the child journaled and its write: after the restart it is in flight (asked about, nothing new), then replaced once the broker says it never got it', async () => {
    broker.enableHolds();
    const id = await start();
    const first = children()[0] as NewOrder;
    ack(first);
    fill(first, '100');
    clock.advance(60_000 - 4);
    await settle();
    const second = children()[1] as NewOrder;
    expect(broker.written).toHaveLength(1); // journaled and committed, its write held
    broker.dead = true; // kill -9 here: the held write never reaches the wire
    await desk.stop();
    desk = await open();
    clock.advance(2 * 60_000);
    await settle();
    // Its fate is unknown until the broker answers: nothing new goes out, its status is asked.
    expect(children()).toHaveLength(0);
    expect(broker.sent.find((m) => m.type === 'statusRequest')).toMatchObject({ clOrdId: second.clOrdId });
    expect(parent(id).childIds).toEqual([first.clOrdId, second.clOrdId]);
    deliver(report({ execType: 'orderStatus', ordStatus: 'rejected', clOrdId: second.clOrdId, leavesQty: '0', text: 'unknown order' }));
    clock.advance(60_000);
    await settle();
    const next = children()[0] as NewOrder;
    expect(next.clOrdId).not.toBe(second.clOrdId); // a new child, never the same one twice
    expect(new Dec(next.quantity).greaterThan(100)).toBe(true); // the missed slice caught up
    expectNoOverfill(id);
  });

  it('refuses bad requests with a clear error and changes nothing', async () => {
    const bad = await desk.call('startAlgo', { ...twap, quantity: '-5' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const past = await desk.call('startAlgo', { ...twap, endTime: '2026-11-27T14:00:00.000Z' });
    expect(past).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fields: { endTime: expect.any(String) } } });
    const pov = await desk.call('startAlgo', { ...twap, strategy: 'pov', slices: undefined, targetRatePct: 10 });
    expect(pov).toMatchObject({ ok: false, error: { code: 'NO_MARKET_DATA' } });
    const unknown = await desk.call('pauseAlgo', { parentId: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PARENT' } });
    clock.advance(0);
    expect(children()).toHaveLength(0);
  });

  it('loads VWAP profiles from the config file, validated whole: a bad file stops the start with its reason', () => {
    const good = join(dir, 'profiles.json');
    writeFileSync(good, JSON.stringify({ 'AAPL.XNAS': [3, 1, 1, 3] }));
    expect(loadVolumeProfiles({ ...config, volumeProfiles: good })).toEqual({ 'AAPL.XNAS': [3, 1, 1, 3] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 'AAPL.XNAS': [1, -2] }));
    expect(() => loadVolumeProfiles({ ...config, volumeProfiles: bad })).toThrow(/AAPL\.XNAS/);
    expect(() => loadVolumeProfiles({ ...config, volumeProfiles: join(dir, 'missing.json') })).toThrow(/cannot read/);
    expect(loadVolumeProfiles(config)).toBeUndefined();
  });
});
