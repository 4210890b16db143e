/**
 * 1. Order round trip and 2. basket, through the whole desk path against the broker simulator process,
 * side by side with a bare jspurefix initiator on the same simulator process (its second acceptor,
 * configured identically). Rounds alternate desk/bare so both see the same noise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { systemClock } from '../../electron/core/time/clock';
import { startSimulatorProcess } from '../../electron/simulator/launch';
import type { BareInitiator } from '../lib/bare-initiator';
import { connectBareInitiator } from '../lib/bare-initiator';
import { BenchDesk, deskConfigFor, limitTicket } from '../lib/desk-harness';
import { riskLimitsSchema } from '../../electron/core/config/risk-limits-config';
import { InstrumentMaster } from '../../electron/core/instruments/instrument-master';
import { loadInstrumentFile } from '../../electron/core/instruments/instrument-file';
import { SHIPPED_INSTRUMENT_FILE } from '../../electron/core/desk/desk-instruments';
import { checksMicrosecondsPerOrder } from '../lib/risk-checks-cost';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution, median, waitFor } from '../lib/stats';

/** Every check on the order path, with room enough that the bench's orders pass them. */
const BENCH_RISK_LIMITS = (broker: string) => ({
  defaults: {
    maxQuantity: { warn: '100000', block: '1000000' },
    maxNotional: { warn: '100000000', block: '1000000000' },
    maxDailyGrossNotional: { warn: '100000000000', block: '1000000000000' },
    maxOpenOrders: { warn: '1000000', block: '2000000' },
    maxPercentOfAdv: { warn: '50', block: '90' },
    averageDailyVolume: '100000000',
    allowedBrokers: [broker],
    duplicateWindowSeconds: 5,
    shortSales: 'block',
  },
  restricted: ['NVDA.XNAS'],
  watch: ['MSFT.XNAS'],
  brokerRates: { [broker]: { ordersPerSecond: 100_000, burst: 100_000 } },
});

export interface OrderPathOptions {
  readonly rounds: number;
  readonly ordersPerRound: number;
  readonly warmup: number;
  readonly basketSize: number;
  readonly basketRounds: number;
}

const INSTRUMENTS = {
  'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, liquidity: '1000000' },
  'MSFT.XNAS': { referencePrice: '420.00', volatility: 0, liquidity: '1000000' },
  'NVDA.XNAS': { referencePrice: '120.00', volatility: 0, liquidity: '1000000' },
};

export async function runOrderPath(o: OrderPathOptions): Promise<SuiteResult> {
  const sim = await startSimulatorProcess({
    config: {
      seed: 1,
      tickIntervalMs: 1_000,
      ackDelayMs: 0,
      fills: { enabled: false, intervalMs: 3_600_000, fraction: 0.25 },
      brokers: [
        { name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN', heartbeatSeconds: 300 },
        { name: 'SIM-B', port: 0, senderCompId: 'SIM-B', targetCompId: 'MERIDIAN', heartbeatSeconds: 300 },
        { name: 'SIM-C', port: 0, senderCompId: 'SIM-C', targetCompId: 'MERIDIAN', heartbeatSeconds: 300 },
      ],
      instruments: INSTRUMENTS,
    },
  });
  const config = deskConfigFor(sim.brokers);
  const deskBroker = config.brokers[0]!;
  const bareBroker = config.brokers[1]!;
  const riskBroker = config.brokers[2]!;
  const desk = new BenchDesk({ ...config, brokers: [deskBroker] });
  // The same desk with every pre-trade check configured (but the price collar: no market data here), on its own session.
  const riskDesk = new BenchDesk({ ...config, brokers: [riskBroker], riskLimits: riskLimitsSchema.parse(BENCH_RISK_LIMITS(riskBroker.name)) });
  let bare: BareInitiator | undefined;
  let floorJournal: SqliteJournal | undefined;
  const cleanups: Array<() => void> = [];
  try {
    await desk.start([deskBroker.name]);
    await riskDesk.start([riskBroker.name]);
    bare = await connectBareInitiator(bareBroker);
    const pendingBare = new Map<string, () => void>();
    let bareAcks = 0;
    bare.session.onReport = (clOrdId, execType) => {
      if (execType !== '0') return;
      bareAcks++;
      const done = pendingBare.get(clOrdId);
      if (done) {
        pendingBare.delete(clOrdId);
        done();
      }
    };
    let bareSeq = 0;
    const bareOne = async (): Promise<number> => {
      const id = `BARE-${++bareSeq}`;
      const acked = new Promise<void>((resolve) => pendingBare.set(id, resolve));
      const t0 = performance.now();
      bare!.send(id, 'AAPL', '100.00');
      await acked;
      return performance.now() - t0;
    };
    // The write-ahead floor: the bare initiator plus the least any desk that journals before acting
    // must pay — one journal commit before the order leaves, one when its ack arrives (the desk's
    // journal, same settings). The distance from the desk to this line is the desk's own overhead.
    const floorDir = mkdtempSync(join(tmpdir(), 'meridian-bench-floor-'));
    floorJournal = new SqliteJournal(join(floorDir, 'floor.sqlite'), { sync: { clock: systemClock, onProblem: (problem) => console.error(`floor journal: ${problem.text}`) } });
    const floorEvent = (id: string, msgType: string) => ({ type: 'fixMessageSent' as const, at: new Date().toISOString(), orderId: id, broker: 'SIM-B', msgType, raw: `35=${msgType}|11=${id}|55=AAPL|54=1|38=100|40=2|44=100.00|` });
    const floorOne = async (): Promise<number> => {
      const id = `FLOOR-${++bareSeq}`;
      const acked = new Promise<void>((resolve) => pendingBare.set(id, resolve));
      const t0 = performance.now();
      floorJournal!.append(floorEvent(id, 'D'));
      bare!.send(id, 'AAPL', '100.00');
      await acked;
      floorJournal!.append(floorEvent(id, '8'));
      return performance.now() - t0;
    };
    cleanups.push(() => {
      floorJournal?.close();
      rmSync(floorDir, { recursive: true, force: true });
    });
    // Quantities vary (the same for both desks) so the duplicate guard sees no duplicates: none repeats
    // within 50,000 orders (a fast desk sends 1,000 well inside the 5 s window).
    let deskSeq = 0;
    let riskSeq = 0;
    const deskOne = async (): Promise<number> => {
      const t0 = performance.now();
      const orderId = await desk.submit(limitTicket(deskBroker.name, 'AAPL.XNAS', String(100 + (deskSeq++ % 50_000))));
      await desk.until(orderId, 'new');
      return performance.now() - t0;
    };
    const riskOne = async (): Promise<number> => {
      const t0 = performance.now();
      const orderId = await riskDesk.submit(limitTicket(riskBroker.name, 'AAPL.XNAS', String(100 + (riskSeq++ % 50_000))));
      await riskDesk.until(orderId, 'new');
      return performance.now() - t0;
    };

    for (let i = 0; i < o.warmup; i++) {
      await deskOne();
      await riskOne();
      await bareOne();
      await floorOne();
    }
    const deskSamples: number[] = [];
    const bareSamples: number[] = [];
    const floorSamples: number[] = [];
    const riskSamples: number[] = [];
    const roundMedians: Array<{ desk: number; bare: number; floor: number; risk: number }> = [];
    for (let r = 0; r < o.rounds; r++) {
      const k: number[] = [];
      const d: number[] = [];
      const b: number[] = [];
      const f: number[] = [];
      const variants = [
        async () => {
          for (let i = 0; i < o.ordersPerRound; i++) d.push(await deskOne());
        },
        async () => {
          for (let i = 0; i < o.ordersPerRound; i++) b.push(await bareOne());
        },
        async () => {
          for (let i = 0; i < o.ordersPerRound; i++) f.push(await floorOne());
        },
        async () => {
          for (let i = 0; i < o.ordersPerRound; i++) k.push(await riskOne());
        },
      ];
      // Rotate the order each round so no variant always runs first (or on the warmest machine).
      for (let i = 0; i < variants.length; i++) await variants[(i + r) % variants.length]!();
      deskSamples.push(...d);
      bareSamples.push(...b);
      floorSamples.push(...f);
      riskSamples.push(...k);
      roundMedians.push({ desk: median(d), bare: median(b), floor: median(f), risk: median(k) });
    }
    const dd = distribution(deskSamples);
    const bd = distribution(bareSamples);
    const fd = distribution(floorSamples);
    const kd = distribution(riskSamples);
    const riskCost = (kd.p50 - dd.p50) / dd.p50;
    const aapl = new InstrumentMaster(loadInstrumentFile(SHIPPED_INSTRUMENT_FILE)).get('AAPL.XNAS')!;
    const checksAlone = checksMicrosecondsPerOrder(riskLimitsSchema.parse(BENCH_RISK_LIMITS(riskBroker.name)), aapl, riskBroker.name);

    // Basket: N orders submitted at once; time until every one is acknowledged (status New published).
    const basketDesk: number[] = [];
    const basketBare: number[] = [];
    for (let r = 0; r < o.basketRounds; r++) {
      const runDesk = async () => {
        const t0 = performance.now();
        const submitted = await Promise.all(Array.from({ length: o.basketSize }, () => desk.submit(limitTicket(deskBroker.name))));
        const tSubmitted = performance.now() - t0;
        await Promise.all(submitted.map((id) => desk.until(id, 'new')));
        basketDesk.push(performance.now() - t0);
        return tSubmitted;
      };
      const runBare = async () => {
        const start = bareAcks;
        const t0 = performance.now();
        for (let i = 0; i < o.basketSize; i++) bare!.send(`BASKET-${r}-${i}`, 'AAPL', '100.00');
        await waitFor(() => bareAcks - start >= o.basketSize, 120_000, 'bare basket acks', 1);
        basketBare.push(performance.now() - t0);
      };
      if (r % 2 === 0) {
        await runDesk();
        await runBare();
      } else {
        await runBare();
        await runDesk();
      }
    }
    const basketMedian = median(basketDesk);
    const basketBareMedian = median(basketBare);
    const rtRatio = dd.p50 / bd.p50;
    const S = '1 round trip';
    return {
      rows: [
        row(S, 'p50', dd.p50 * 1000, 'µs', bd.p50 * 1000, `n=${dd.n} per side, ${o.rounds} rounds`),
        row(S, 'p99', dd.p99 * 1000, 'µs', bd.p99 * 1000),
        row(S, 'p99.9', dd.p999 * 1000, 'µs', bd.p999 * 1000),
        row(S, 'max', dd.max * 1000, 'µs', bd.max * 1000),
        row(S, 'round medians (desk/bare/floor)', roundMedians.map((m) => `${(m.desk * 1000).toFixed(0)}/${(m.bare * 1000).toFixed(0)}/${(m.floor * 1000).toFixed(0)}`).join(' '), 'µs'),
        row(S, 'p50 vs write-ahead floor', dd.p50 * 1000, 'µs', fd.p50 * 1000, 'floor = bare + one journal commit before the send and one after the ack'),
        row(S, 'p99 vs write-ahead floor', dd.p99 * 1000, 'µs', fd.p99 * 1000),
        row(S, 'p50 with pre-trade risk vs without', kd.p50 * 1000, 'µs', dd.p50 * 1000, 'every check configured but the collar; same run, rounds rotated'),
        row(S, 'p99 with pre-trade risk vs without', kd.p99 * 1000, 'µs', dd.p99 * 1000),
        row(S, 'pre-trade checks alone (in process) vs round trip p50', checksAlone, 'µs', dd.p50 * 1000, 'assessOrder per order, same limits'),
        row(S, 'round medians with risk', roundMedians.map((m) => (m.risk * 1000).toFixed(0)).join(' '), 'µs'),
        row('2 basket', `${o.basketSize} orders → all acked (median)`, basketMedian, 'ms', basketBareMedian, `rounds desk [${basketDesk.map((v) => v.toFixed(0)).join(', ')}] bare [${basketBare.map((v) => v.toFixed(0)).join(', ')}]`),
        row('2 basket', 'acked orders/s (median)', (o.basketSize / basketMedian) * 1000, '/s', (o.basketSize / basketBareMedian) * 1000),
      ],
      budgets: [
        { budget: 'round trip p50 ≤ 1.2× bare jspurefix', measured: `${(dd.p50 * 1000).toFixed(0)} µs vs ${(bd.p50 * 1000).toFixed(0)} µs = ${rtRatio.toFixed(2)}×`, pass: rtRatio <= 1.2 },
        {
          budget: 'pre-trade checks ≤ 5 % of the round trip p50',
          measured: `with/without ${(kd.p50 * 1000).toFixed(0)} µs vs ${(dd.p50 * 1000).toFixed(0)} µs = ${(riskCost * 100).toFixed(1)} %; checks alone ${checksAlone.toFixed(1)} µs = ${((checksAlone / (dd.p50 * 1000)) * 100).toFixed(1)} %`,
          pass: riskCost <= 0.05,
        },
        { budget: `basket of ${o.basketSize} acked ≤ 2 s`, measured: `${basketMedian.toFixed(0)} ms (median of ${o.basketRounds})`, pass: basketMedian <= 2_000 },
      ],
      details: { roundTrip: { desk: dd, bare: bd, floor: fd, risk: kd, roundMedians }, basket: { desk: basketDesk, bare: basketBare } },
    };
  } finally {
    await bare?.stop().catch(() => undefined);
    await desk.stop().catch(() => undefined);
    await riskDesk.stop().catch(() => undefined);
    await sim.stop();
    for (const c of cleanups) c();
  }
}
