import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixVersion } from '../../core/config/desk-config';
import type { Shared } from './harness';
import { BROKER_OF, ScenarioRun, startShared, until } from './harness';
import { SCENARIOS, WIRE_SCENARIOS } from './scenarios';

/**
 * The FIX order state change matrices over real FIX: the desk (createDesk, FIX connector) against
 * the broker simulator process in script mode, one simulated broker per FIX version, one desk and
 * one simulator for the whole file. Every scenario runs in FIX 4.2 (ExecTransType, ExecType 1/2),
 * FIX 4.4 and FIX 5.0SP2 over FIXT.1.1: all of them exist in each version.
 */

const VERSIONS: readonly FixVersion[] = ['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'];

let shared: Shared;
beforeAll(async () => {
  shared = await startShared(VERSIONS);
}, 60_000);
afterAll(async () => {
  await shared?.stop();
});

describe.each(VERSIONS)('order state matrices over %s', (version) => {
  const broker = BROKER_OF[version];

  for (const scenario of SCENARIOS) {
    it(`${scenario.ref} ${scenario.title}`, async () => {
      await new ScenarioRun(shared, broker).play(scenario);
    });
  }

  for (const scenario of WIRE_SCENARIOS) {
    it(`${scenario.ref}: ${scenario.title}`, async () => {
      await new ScenarioRun(shared, broker).play(scenario);
    });
  }

  it('an execution for an unknown order gets a DontKnowTrade (35=Q) and an alert', async () => {
    const control = shared.sim.control!;
    const since = (await control.received(broker)).at(-1)?.seq ?? 0;
    const execId = `DK-${version}-${Date.now()}`;
    await control.send(broker, [
      { kind: 'execution', execId, execType: 'trade', ordStatus: 'partiallyFilled', orderId: 'THEIRS-1', clOrdId: 'NOT-OURS-1', symbol: 'AAPL', side: 'sell', orderQty: '500', lastQty: '100', lastPx: '99.5', cumQty: '100', leavesQty: '400', avgPx: '99.5' },
    ]);
    const dk = await until('the DontKnowTrade at the broker', async () => undefined, 1).catch(() => undefined);
    void dk;
    const end = Date.now() + 5_000;
    let fields: ReadonlyArray<readonly [number, string]> | undefined;
    while (fields === undefined && Date.now() < end) {
      fields = (await control.received(broker, since)).find((m) => m.msgType === 'Q')?.fields;
      if (fields === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    if (fields === undefined) throw new Error('no DontKnowTrade reached the broker');
    const tag = (t: number) => fields.find(([k]) => k === t)?.[1];
    expect({ orderId: tag(37), execId: tag(17), reason: tag(127), symbol: tag(55), side: tag(54), qty: tag(38), last: tag(version === 'FIX.4.2' ? 32 : 32), px: tag(31) }).toEqual({
      orderId: 'THEIRS-1',
      execId,
      reason: 'D',
      symbol: 'AAPL',
      side: '2',
      qty: '500',
      last: '100',
      px: '99.5',
    });
    await until('the alert', () => shared.view.alerts.find((a) => a.message.includes(execId) && /DontKnowTrade/.test(a.message)));
  });

  it('a repeated ExecID is applied once', async () => {
    const run = new ScenarioRun(shared, broker);
    await run.play({
      ref: 'dup',
      title: 'repeated ExecID',
      steps: [
        { desk: 'new', qty: '100', expect: ['pendingNew', '100', '0', '100', '0'] },
        { er: { type: 'trade', status: 'partiallyFilled', cl: 'X', qty: '100', cum: '10', leaves: '90', avg: '150', last: ['10', '150'] }, expect: ['partiallyFilled', '100', '10', '90', '150'] },
      ],
    });
    const fill = run.executions()[0]!;
    const resend = { ...run.report({ type: 'trade', status: 'partiallyFilled', cl: 'X', qty: '100', cum: '10', leaves: '90', avg: '150', last: ['10', '150'] }), execId: fill.execId };
    const marker = run.report({ type: 'orderStatus', status: 'partiallyFilled', cl: 'X', qty: '100', cum: '10', leaves: '90', avg: '150' });
    const version = run.order().version;
    await shared.sim.control!.send(broker, [resend, resend, marker]);
    await until('the status report after the resends', () => run.order().version > version);
    expect(run.order().version).toBe(version + 1);
    expect(run.executions()).toHaveLength(1);
    await run.expectOrder(['partiallyFilled', '100', '10', '90', '150'], 'after the resends');
  });

  it('an overfill is flagged loudly and kept', async () => {
    const run = new ScenarioRun(shared, broker);
    await run.play({
      ref: 'overfill',
      title: 'overfill',
      steps: [
        { desk: 'new', qty: '100', expect: ['pendingNew', '100', '0', '100', '0'] },
        { er: { type: 'trade', status: 'filled', cl: 'X', qty: '100', cum: '100', leaves: '0', avg: '1', last: ['100', '1'] }, expect: ['filled', '100', '100', '0', '1'] },
        { er: { type: 'trade', status: 'filled', cl: 'X', qty: '100', cum: '105', leaves: '0', avg: '1', last: ['5', '1'] }, expect: ['filled', '100', '105', '0', '1'] },
      ],
    });
    expect(shared.view.alerts.some((a) => a.orderId === run.orderId && a.level === 'error' && /OVERFILL/.test(a.message))).toBe(true);
  });
});
