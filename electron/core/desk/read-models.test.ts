import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import { applyAll } from '../journal/read-model';
import { roundTrip } from '../journal/read-model.test-support';
import { Snapshotter } from '../journal/snapshots';
import { SqliteJournal } from '../journal/sqlite-journal';
import { silentLogger } from '../log/logger';
import { deskEvents, namesIn } from '../orders/random-events.test-support';
import { TestClock } from '../time/test-clock';
import type { DeskReadModels } from './read-models';
import { deskReadModels, journalEventsBefore } from './read-models';

/**
 * Differential tests of the desk's read models: a registry restored from a capture (through bytes,
 * as a snapshot carries it) plus the events after it must be indistinguishable from one that folded
 * every event — every part of every read model, and every answer the desk asks of their views.
 */

const config = parseDeskConfig({
  accounts: ['FUND-ALPHA', 'FUND-BETA'],
  brokers: ['SIM-A', 'SIM-B', 'SIM-C'].map((name, i) => ({
    name,
    port: 9881 + i,
    senderCompId: 'MERIDIAN',
    targetCompId: name,
    ...(i < 2 && { dropCopy: { port: 9891 + i, senderCompId: 'MERIDIAN-DC', targetCompId: `${name}-DC` } }),
  })),
});

/** The read models over a stream of events numbered 1, 2, …: an order of an earlier day is read back from the stream. */
function models(events: readonly DeskEvent[]): DeskReadModels {
  return deskReadModels(config, (orderId, beforeSeq) => events.slice(0, beforeSeq - 1).filter((e) => 'orderId' in e && e.orderId === orderId));
}

function fold(into: DeskReadModels, events: readonly DeskEvent[], from: number, to: number): DeskReadModels {
  for (let i = from; i < to; i++) applyAll(into, events[i] as DeskEvent, i + 1);
  return into;
}

function expectSame(actual: DeskReadModels, expected: DeskReadModels, events: readonly DeskEvent[]): void {
  for (const name of Object.keys(expected) as Array<keyof DeskReadModels>) {
    const a = actual[name].capture();
    const e = expected[name].capture();
    expect([name, a]).toEqual([name, e]); // every part, entries in order, decimals digit by digit
  }
  // Rows and alerts cross the contract as they are: their fields in the same order, too.
  expect(JSON.stringify(actual.orders.capture().rows)).toBe(JSON.stringify(expected.orders.capture().rows));
  expect(JSON.stringify(actual.alerts.capture())).toBe(JSON.stringify(expected.alerts.capture()));
  const names = namesIn(events);
  const [o, x] = [actual.orders.view, expected.orders.view];
  for (const id of names.clOrdIds) expect([id, o.orderIdForClOrdId(id)]).toEqual([id, x.orderIdForClOrdId(id)]);
  for (const id of names.orderIds) expect(o.get(id)).toEqual(x.get(id));
  for (const broker of names.brokers) {
    expect(o.awaitingAnswer(broker)).toEqual(x.awaitingAnswer(broker));
    for (const id of names.brokerOrderIds) expect(o.orderIdForBrokerOrderId(broker, id)).toBe(x.orderIdForBrokerOrderId(broker, id));
    for (const id of names.execIds) {
      for (const orderId of names.orderIds) expect(o.hasExecution(broker, id, orderId)).toBe(x.hasExecution(broker, id, orderId));
      for (const from of ['trading', 'dropCopy'] as const) expect(actual.dropCopy.view.get(broker, from, id)).toEqual(expected.dropCopy.view.get(broker, from, id));
    }
  }
  expect(o.executions()).toStrictEqual(x.executions());
  expect(actual.alerts.view.views()).toStrictEqual(expected.alerts.view.views());
  expect(actual.day.view.day()).toBe(expected.day.view.day());
  expect([...actual.openOrdersByAccount.view.counts()]).toEqual([...expected.openOrdersByAccount.view.counts()]);
  expect([...actual.positions.view.all()]).toEqual([...expected.positions.view.all()]);
  for (const p of expected.positions.view.all()) expect(actual.positions.view.ordersOf(p.key)).toEqual(expected.positions.view.ordersOf(p.key));
}

describe('the desk read models', () => {
  it('restored from a capture at a random point, then folding the rest = folding everything', () => {
    fc.assert(
      fc.property(deskEvents(1, 150), fc.nat(), (events, c) => {
        const k = c % (events.length + 1);
        const running = fold(models(events), events, 0, k);
        const restored = models(events);
        for (const name of Object.keys(running) as Array<keyof DeskReadModels>) roundTrip(running[name], restored[name]);
        expectSame(restored, fold(models(events), events, 0, k), events);
        fold(running, events, k, events.length);
        fold(restored, events, k, events.length);
        const everything = fold(models(events), events, 0, events.length);
        expectSame(running, everything, events);
        expectSame(restored, everything, events);
      }),
      { numRuns: 80 },
    );
  });

  it('through the snapshots of a journal: a snapshot at a random point, written in slices while events keep coming, + its tail = a full replay', async () => {
    await fc.assert(
      fc.asyncProperty(deskEvents(1, 120), fc.nat(), fc.nat(), async (events, c1, c2) => {
        const k = c1 % (events.length + 1);
        const m = k + (c2 % (events.length - k + 1));
        const journal = new SqliteJournal(':memory:');
        const fromJournal = () => deskReadModels(config, journalEventsBefore(journal));
        const snapshotter = (into: DeskReadModels, sliceMs = 8) => new Snapshotter(journal, into, { log: silentLogger, clock: new TestClock(), policy: { sliceMs } });
        const live = (into: DeskReadModels, list: readonly DeskEvent[]) => {
          for (const e of list) applyAll(into, e, journal.append(e));
        };
        const replayed = (afterSeq = 0, into = fromJournal()) => {
          journal.replay((e, seq) => applyAll(into, e, seq), afterSeq);
          return into;
        };
        try {
          const first = fromJournal();
          live(first, events.slice(0, k));
          snapshotter(first).writeNow();
          const second = fromJournal();
          const snap2 = snapshotter(second, 0);
          expect((await snap2.restore()).seq).toBe(k);
          replayed(k, second);
          expectSame(second, replayed(), events);
          live(second, events.slice(k, m));
          const background = snap2.writeInBackground();
          for (const e of events.slice(m)) {
            await new Promise((r) => setImmediate(r));
            live(second, [e]);
          }
          expect((await background)?.seq).toBe(m);
          const everything = replayed();
          expectSame(second, everything, events);
          const third = fromJournal();
          const restored = await snapshotter(third).restore();
          expect(restored.ignored).toEqual([]);
          replayed(restored.seq, third);
          expectSame(third, everything, events);
        } finally {
          journal.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
