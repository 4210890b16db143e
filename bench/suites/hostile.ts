/**
 * A hostile broker (issue 11): the desk's event-loop stall while one broker, after 1,000
 * DontKnowTrades of ours, sends 500 ResendRequests for everything in one write, or 10,000 malformed
 * messages in one write, round after round (taking turns); and the order round trip on another broker's session during it, beside the
 * same round trip with no attack (same run, same desk).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startSimulatorProcess } from '../../electron/simulator/launch';
import type { ExecutionReport } from '../../electron/simulator/order-engine';
import { BenchDesk, deskConfigFor, limitTicket } from '../lib/desk-harness';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution, waitFor } from '../lib/stats';

export interface HostileOptions {
  readonly rounds: number;
  readonly resendRequests: number;
  readonly malformed: number;
  readonly dontKnows: number;
  readonly roundTrips: number;
}

const H = 'SIM-H';
const B = 'SIM-B';

export async function runHostile(o: HostileOptions): Promise<SuiteResult> {
  const sim = await startSimulatorProcess({
    config: {
      seed: 2,
      control: 0,
      tickIntervalMs: 1_000,
      ackDelayMs: 0,
      fills: { enabled: false },
      brokers: [
        { name: H, port: 0, senderCompId: H, targetCompId: 'MERIDIAN', heartbeatSeconds: 300 },
        { name: B, port: 0, senderCompId: B, targetCompId: 'MERIDIAN', heartbeatSeconds: 300 },
      ],
      instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, liquidity: '1000000' } },
    },
  });
  const control = sim.control!;
  const config = deskConfigFor(sim.brokers);
  const desk = new BenchDesk({ ...config, brokers: config.brokers.map((b) => ({ ...b, reconnectSeconds: 0.2 })) });
  const sessionState = new Map<string, string>();
  const unsubscribe = desk.desk.subscribe((m) => {
    if (m.kind === 'snapshot') for (const s of m.sessions) sessionState.set(s.broker, s.state);
    if (m.kind === 'sessions') for (const s of m.rows) sessionState.set(s.broker, s.state);
  });
  try {
    await desk.start([H, B]);
    // 1,000 DontKnowTrades of ours stored on the hostile session: what its ResendRequests ask for again.
    const unknown: ExecutionReport[] = Array.from({ length: o.dontKnows }, (_, i) => ({
      kind: 'execution',
      execId: `UNK-${i}`,
      execType: 'trade',
      ordStatus: 'partiallyFilled',
      orderId: `X${i}`,
      clOrdId: `UNKNOWN-${i}`,
      symbol: 'AAPL',
      side: 'buy',
      orderQty: '100',
      lastQty: '1',
      lastPx: '190',
      cumQty: '1',
      leavesQty: '99',
      avgPx: '190',
    }));
    for (let i = 0; i < unknown.length; i += 500) await control.send(H, unknown.slice(i, i + 500));
    let dks = 0;
    for (let tries = 0; tries < 600 && dks < o.dontKnows; tries++) {
      dks = (await control.received(H, 0)).filter((m) => m.msgType === 'Q').length;
      if (dks < o.dontKnows) await new Promise((r) => setTimeout(r, 100));
    }

    const roundTrip = async (): Promise<number> => {
      const t0 = performance.now();
      const id = await desk.submit(limitTicket(B, 'AAPL.XNAS', '1', '100.00'));
      await desk.until(id, 'new');
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await roundTrip(); // warm-up

    // Quiet: the round trip on SIM-B with nobody attacking.
    const quiet: number[] = [];
    const quietLoop = monitorEventLoopDelay({ resolution: 1 });
    quietLoop.enable();
    for (let i = 0; i < o.roundTrips; i++) quiet.push(await roundTrip());
    quietLoop.disable();

    // Attacked: each round, the storm and the flood; meanwhile round trips on SIM-B.
    const attacked: number[] = [];
    const loop = monitorEventLoopDelay({ resolution: 1 });
    let attacking = true;
    const trips = (async () => {
      while (attacking) attacked.push(await roundTrip());
    })();
    loop.enable();
    let logouts = 0;
    for (let r = 0; r < o.rounds; r++) {
      await waitFor(() => sessionState.get(H) === 'loggedOn', 30_000, `${H} logged on`, 5);
      // Each past the budget on its own (the session is logged out by the first): they take turns.
      if (r % 2 === 0) await control.fault(H, { kind: 'resendStorm', count: o.resendRequests });
      else await control.fault(H, { kind: 'malformedFlood', count: o.malformed });
      const out = await waitFor(() => sessionState.get(H) !== 'loggedOn', 5_000, `${H} logged out past its budget`, 2).then(
        () => true,
        () => false,
      );
      if (out) logouts++;
    }
    await waitFor(() => sessionState.get(H) === 'loggedOn', 30_000, `${H} logged on`, 5);
    loop.disable();
    attacking = false;
    await trips;

    const ms = (ns: number) => ns / 1e6;
    const stall = { p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) };
    const quietStall = { p99: ms(quietLoop.percentile(99)), max: ms(quietLoop.max) };
    const q = distribution(quiet);
    const a = distribution(attacked);
    const what = `${o.rounds} rounds: ${o.resendRequests} ResendRequests or ${o.malformed} malformed`;
    return {
      rows: [
        row('11 hostile', `event-loop delay p99 while attacked (${what})`, stall.p99, 'ms', quietStall.p99, 'baseline: no attack'),
        row('11 hostile', 'event-loop delay max while attacked', stall.max, 'ms', quietStall.max, 'baseline: no attack'),
        row('11 hostile', `round trip p50 on ${B} while ${H} attacks`, a.p50, 'ms', q.p50, 'baseline: no attack'),
        row('11 hostile', `round trip p99 on ${B} while ${H} attacks`, a.p99, 'ms', q.p99, 'baseline: no attack'),
        row('11 hostile', `${H} logged out past its budget`, logouts, `of ${o.rounds} rounds`),
      ],
      budgets: [{ budget: 'event-loop stall p99 ≤ 16 ms while a broker attacks', measured: `${stall.p99.toFixed(1)} ms (max ${stall.max.toFixed(1)} ms)`, pass: stall.p99 <= 16 }],
      details: { stall, quietStall, quiet: q, attacked: a, logouts, dontKnows: dks },
    };
  } finally {
    unsubscribe();
    await desk.stop().catch(() => undefined);
    await sim.stop();
  }
}
