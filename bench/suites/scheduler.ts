/**
 * The algo scheduler (issue 15). Live: 1,000 TWAP parents on the desk in process against the
 * simulator process (fills on), their start times spread over one slice interval as a desk's parents
 * are; each child's dispatch error = when the scheduler sent it − its slice's scheduled time (ms,
 * high-resolution), beside a bare timer's lateness at the same times in the same process (the event
 * loop's own). Drift: 30 minutes of simulated time on a clock whose timers fire 0–3 ms late, the
 * scheduler (absolute slice times) beside a naive one (each slice an interval after the last send).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AlgoScheduler } from '../../electron/core/algos/algo-scheduler';
import type { AlgoParent } from '../../electron/core/algos/algo-parent';
import { startedParent, withChild } from '../../electron/core/algos/algo-parent';
import type { Clock } from '../../electron/core/time/clock';
import { systemClock } from '../../electron/core/time/clock';
import { TestClock } from '../../electron/core/time/test-clock';
import { silentLogger } from '../../electron/core/log/logger';
import { Dec, ZERO } from '../../electron/core/decimal/decimal';
import { startSimulatorProcess } from '../../electron/simulator/launch';
import { ALGO_LEAD_MS, ALGO_POLL_MS } from '../../electron/core/desk/create-desk';
import { BenchDesk, deskConfigFor } from '../lib/desk-harness';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution, waitFor } from '../lib/stats';

export interface SchedulerOptions {
  readonly parents: number;
  readonly slices: number;
  readonly intervalMs: number;
  readonly driftMinutes: number;
}

const B = 'SIM-A';

/**
 * The desk's clock reads the system's wall clock (`new Date()`, whole ms): a slice's scheduled time
 * is on it. The dispatch is timed on the monotonic high-resolution clock moved onto the wall clock
 * at the edge of one of its milliseconds (performance.timeOrigin alone can be ms off Date.now()).
 */
function wallClockHiRes(): () => number {
  // A pause between seeing the edge and reading the monotonic clock makes the offset too small (errors
  // read low, even below zero): the largest of a few edges' offsets is the closest.
  let offset = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const start = Date.now();
    let edge = start;
    while (edge === start) edge = Date.now();
    offset = Math.max(offset, edge - performance.now());
  }
  return () => offset + performance.now();
}

export async function runScheduler(o: SchedulerOptions): Promise<SuiteResult> {
  const live = await liveDispatch(o);
  const drift = simulatedDrift(o.driftMinutes);
  const d = live.errors;
  const t = live.timers;
  return {
    rows: [
      row('15 scheduler', `slice dispatch error p50 (${o.parents} live parents, ${live.children} children)`, d.p50, 'ms', t.p50, 'baseline: a bare timer at the same times'),
      row('15 scheduler', 'slice dispatch error p99', d.p99, 'ms', t.p99, 'baseline: a bare timer at the same times'),
      row('15 scheduler', 'slice dispatch error max', d.max, 'ms', t.max, 'baseline: a bare timer at the same times'),
      row('15 scheduler', `the desk's lead: its timer armed this many ms before a due time (BENCH_ALGO_LEAD_MS)`, live.leadMs, 'ms'),
      row('15 scheduler', '… of it, the last ms polled for (BENCH_ALGO_POLL_MS; before them a timer)', live.pollMs, 'ms'),
      row('15 scheduler', "… the desk's last timer before the send (its wake, or with a lead its wait to the last ms) fired, against the due time (negative: before it) p50 / p99", `${live.timerLate.p50.toFixed(2)} / ${live.timerLate.p99.toFixed(2)}`, 'ms'),
      row('15 scheduler', '… timer → send (look, submit, commit, the wait for the due time, socket write) p50 / p99', `${live.sendPath.p50.toFixed(2)} / ${live.sendPath.p99.toFixed(2)}`, 'ms'),
      row('15 scheduler', "children sent before their due time on the desk's clock (must be 0); the least error on the high-resolution one", `${live.early} (${live.earliest.toFixed(3)} ms)`, 'children'),
      row('15 scheduler', "the desk process's CPU over the live run (all its threads; the simulator is another process)", live.cpuMs / 1_000, 's'),
      row('15 scheduler', 'event-loop delay p99 over the live run (monitorEventLoopDelay, 1 ms)', live.loopDelay.p99, 'ms'),
      row('15 scheduler', `children filled at the simulator (of ${live.children})`, live.filled, 'orders'),
      row('15 scheduler', `cumulative drift of the last slice after ${o.driftMinutes} min simulated (timers 0–3 ms late)`, drift.ours, 'ms', drift.naive, 'baseline: each slice an interval after the last'),
      row('15 scheduler', 'lateness of the last slice (the timer jitter only)', drift.lateness, 'ms'),
    ],
    budgets: [
      { budget: 'slice dispatch error p99 ≤ 5 ms (1,000 live parents)', measured: `${d.p99.toFixed(2)} ms (bare timer ${t.p99.toFixed(2)} ms)`, pass: d.p99 <= 5 },
      { budget: 'zero cumulative drift over 30 min simulated', measured: `${drift.ours} ms (naive ${drift.naive} ms)`, pass: drift.ours === 0 },
    ],
    details: { live, drift },
  };
}

async function liveDispatch(o: SchedulerOptions) {
  const sim = await startSimulatorProcess({
    config: {
      seed: 4,
      control: 0,
      tickIntervalMs: 1_000,
      ackDelayMs: 0,
      fills: { enabled: true, intervalMs: 200, fraction: 1 },
      brokers: [{ name: B, port: 0, senderCompId: B, targetCompId: 'MERIDIAN', heartbeatSeconds: 300 }],
      instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, liquidity: '100000000' } },
    },
  });
  const errors: number[] = [];
  const timers: number[] = [];
  // Children sent before their due time on the desk's own clock (the wall clock's ms).
  let early = 0;
  const hiRes = wallClockHiRes();
  // The split: when the desk's timer ran (the event loop's lateness) and from there to the send
  // (look, decide, submit, journal commit, socket write). A child's dispatch is reported in the
  // microtasks right after the timer callback that looked at it, before any other timer runs.
  const timerLate: number[] = [];
  const sendPath: number[] = [];
  // Timers of a ms or more only: the scheduler's wake, or with a lead its wait to the due time's last
  // ms (its polls and its looks at parents a fold changed are zero-delay).
  let firedAt = Number.NaN;
  const clock: Clock = {
    now: () => systemClock.now(),
    setTimeout: (fn, ms, options) =>
      systemClock.setTimeout(
        ms <= 0
          ? fn
          : () => {
              firedAt = hiRes();
              fn();
            },
        ms,
        options,
      ),
    clearTimeout: (handle) => systemClock.clearTimeout(handle),
  };
  const leadMs = msFromEnv('BENCH_ALGO_LEAD_MS') ?? ALGO_LEAD_MS;
  const pollMs = msFromEnv('BENCH_ALGO_POLL_MS');
  const desk = new BenchDesk(deskConfigFor(sim.brokers), {
    clock,
    algoLeadMs: leadMs,
    ...(pollMs !== undefined && { algoPollMs: pollMs }),
    onAlgoDispatch: (scheduledAt, actualMs) => {
      const sent = hiRes();
      if (actualMs < scheduledAt) early++;
      errors.push(sent - scheduledAt);
      timerLate.push(firedAt - scheduledAt);
      sendPath.push(sent - firedAt);
    },
  });
  try {
    await desk.start([B]);
    const window = o.slices * o.intervalMs;
    // Every parent is started (one turn: one group commit) well before its first slice is due.
    const t0 = Date.now() + 3_000 + o.parents * 3;
    const startOf = (i: number) => t0 + Math.floor((i * o.intervalMs) / o.parents);
    const started = await Promise.all(
      Array.from({ length: o.parents }, (_, i) =>
        desk.desk.call('startAlgo', {
          strategy: 'twap',
          instrumentId: 'AAPL.XNAS',
          side: 'buy',
          quantity: String(100 * o.slices),
          account: 'FUND-ALPHA',
          broker: B,
          limitPrice: '200',
          startTime: new Date(startOf(i)).toISOString(),
          endTime: new Date(startOf(i) + window).toISOString(),
          slices: o.slices,
          childStyle: 'passive',
          catchUp: true,
          atEnd: 'leaveWorking',
          sizeVariancePct: 0,
          timeVariancePct: 0,
          displayVariancePct: 0,
        }),
      ),
    );
    const refused = started.find((r) => !r.ok);
    if (refused !== undefined && !refused.ok) throw new Error(`startAlgo refused: ${refused.error.message}`);
    if (Date.now() >= t0) throw new Error('the parents took longer to start than their first slice: raise the lead time');
    // The baseline: a bare timer at each slice time, in the same process.
    for (let i = 0; i < o.parents; i++) {
      for (let k = 0; k < o.slices; k++) {
        const due = startOf(i) + k * o.intervalMs;
        setTimeout(() => timers.push(hiRes() - due), Math.max(0, due - Date.now()));
      }
    }
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const expected = o.parents * o.slices;
    await waitFor(() => errors.length >= expected && timers.length >= expected, window + 60_000, `${expected} children dispatched`, 50);
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1_000;
    const filled = await allFilled(desk, expected, 30_000);
    return {
      leadMs,
      pollMs: pollMs ?? Math.min(ALGO_POLL_MS, leadMs),
      cpuMs,
      early,
      earliest: Math.min(...errors),
      children: errors.length,
      filled,
      errors: distribution(errors),
      timers: distribution(timers),
      timerLate: distribution(timerLate),
      sendPath: distribution(sendPath),
      loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    };
  } finally {
    await desk.stop().catch(() => undefined);
    await sim.stop();
  }
}

/**
 * BENCH_ALGO_LEAD_MS: the scheduler's lead for this run (0: wake at the due time, as before it had
 * one); BENCH_ALGO_POLL_MS: of it, the last ms polled for (default the desk's ALGO_POLL_MS).
 */
function msFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 50) throw new Error(`${name} must be a whole number of ms from 0 to 50, not ${text}`);
  return n;
}

/** A clock whose timers fire late by 0–3 ms (seeded): the event loop's lateness, simulated. */
function lateClock(base: TestClock): Clock {
  let seed = 1;
  const late = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed % 4;
  };
  return { now: () => base.now(), setTimeout: (fn, ms) => base.setTimeout(fn, ms + late()), clearTimeout: (h) => base.clearTimeout(h) };
}

/** 30 minutes of one-second slices: the last slice's lateness, ours (absolute times) and a naive relative scheduler's. */
function simulatedDrift(minutes: number): { ours: number; naive: number; lateness: number; slices: number } {
  const slices = minutes * 60;
  const start = '2026-11-27T14:30:00.000Z';
  const startMs = Date.parse(start);
  // Ours: the real scheduler over the real fold, children filled as sent.
  const base = new TestClock(start);
  const clock = lateClock(base);
  let parent: AlgoParent = startedParent({
    type: 'algoParentStarted',
    at: start,
    parentId: 'P',
    by: 'bench',
    lotSize: '1',
    tickSize: '0.01',
    seed: 1,
    params: {
      strategy: 'twap',
      instrumentId: 'AAPL.XNAS',
      side: 'buy',
      quantity: String(slices),
      account: 'A',
      broker: 'B',
      startTime: start,
      endTime: new Date(startMs + slices * 1_000).toISOString(),
      slices,
      childStyle: 'passive',
      catchUp: false,
      atEnd: 'leaveWorking',
      sizeVariancePct: 0,
      timeVariancePct: 0,
      displayVariancePct: 0,
    },
  });
  const sends: Array<{ scheduledAt: number; actual: number }> = [];
  let n = 0;
  const scheduler = new AlgoScheduler({
    clock,
    log: silentLogger,
    parents: { get: () => parent, parentOf: () => undefined, all: () => [parent], live: () => [parent] },
    market: () => undefined,
    brokerUp: () => true,
    act: (p, actions) => {
      for (const a of actions) {
        if (a.kind !== 'send') continue;
        const q = a.quantity;
        parent = withChild(p, { orderId: `C${++n}`, quantity: q, cumQty: q, notional: q.times(new Dec(100)), exposure: ZERO, open: false, rejected: false, cancelPending: false, uncertain: false, createdAt: start }, base.now().toISOString());
      }
    },
    dispatched: (scheduledAt, actual) => sends.push({ scheduledAt, actual }),
  });
  scheduler.start();
  base.advance(slices * 1_000 + 10_000);
  scheduler.stop();
  const last = sends.at(-1);
  const ideal = startMs + (slices - 1) * 1_000;
  // Drift: where the last slice was scheduled against where it belongs; lateness: when it went.
  const ours = last === undefined ? Number.NaN : last.scheduledAt - ideal;
  const lateness = last === undefined ? Number.NaN : last.actual - ideal;

  // Naive: each slice one interval after the previous one fired, on the same late clock.
  const naiveBase = new TestClock(start);
  const naiveClock = lateClock(naiveBase);
  let fired = 0;
  let lastAt = startMs;
  const tick = () => {
    lastAt = naiveBase.now().getTime();
    if (++fired < slices) naiveClock.setTimeout(tick, 1_000);
  };
  naiveClock.setTimeout(tick, 0);
  naiveBase.advance(slices * 1_000 + 10_000);
  const naive = lastAt - (startMs + (slices - 1) * 1_000);
  return { ours, naive, lateness, slices: sends.length };
}

/** Children the simulator filled, as the desk's published stream shows them (a full run: every parent done). */
async function allFilled(desk: BenchDesk, expected: number, timeoutMs: number): Promise<number> {
  const filled = () => [...desk.status.values()].filter((s) => s === 'filled').length;
  await waitFor(() => filled() >= expected, timeoutMs, `${expected} children filled`, 100).catch(() => undefined);
  return filled();
}
