/**
 * `npm run bench` — the benchmark suite (issue 5). Each figure is measured beside its baseline in the
 * same run (this machine is noisy: read the ratios), over several rounds; prints a table, the budgets
 * with pass/fail, and writes everything to .bench/results.json.
 *
 *   npm run bench                      full sizes (about ten minutes)
 *   npm run bench -- --smoke           tiny sizes, seconds: checks the harness runs (CI), not timings
 *   npm run bench -- --only=roundtrip,blotter   a subset: roundtrip, ingestion, startup, days, captures, blotter, search, hostile, marketdata, quotes, positions
 *   npm run bench -- --strict          also exit 1 when a budget is missed
 *
 * Exit codes: 0 ran; 1 a benchmark failed to run (or --strict and a budget missed); 2 bad usage.
 * All load is on 127.0.0.1; every child process is started and stopped by PID (bench/lib/processes.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/firehose';
import { killAllTracked, stopAllTracked } from './lib/processes';
import type { BudgetCheck, ResultRow, SuiteResult } from './lib/report';
import { printBudgets, printTable, sideBySide } from './lib/report';
import { runBlotter } from './suites/blotter';
import { runQuotes } from './suites/quotes';
import { runPositions } from './suites/positions';
import { runCaptures } from './suites/captures';
import { runDays } from './suites/days';
import { runHostile } from './suites/hostile';
import { runIngestion } from './suites/ingestion';
import { runMarketData } from './suites/market-data';
import { runOrderPath } from './suites/order-path';
import { runSearch } from './suites/search';
import { runStartup } from './suites/startup';
import { runScheduler } from './suites/scheduler';

const SUITES = ['roundtrip', 'ingestion', 'startup', 'days', 'captures', 'blotter', 'search', 'hostile', 'marketdata', 'quotes', 'scheduler', 'positions'] as const;
type SuiteName = (typeof SUITES)[number];

let args;
try {
  args = parseArgs({
    options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' }, strict: { type: 'boolean', default: false }, out: { type: 'string' } },
    strict: true,
  }).values;
} catch (e) {
  console.error(`bench: ${(e as Error).message}\nusage: npm run bench -- [--smoke] [--only=${SUITES.join(',')}] [--strict] [--out=<file>]`);
  process.exit(2);
}
const smoke = args.smoke ?? false;
const only = args.only !== undefined ? args.only.split(',').map((s) => s.trim()) : [...SUITES];
const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}: choose from ${SUITES.join(', ')}`);
  process.exit(2);
}

const sizes = smoke
  ? {
      roundtrip: { rounds: 2, ordersPerRound: 50, warmup: 10, basketSize: 200, basketRounds: 1 },
      ingestion: { orders: 50, reportsPerRound: 1_000, rounds: 1 },
      startup: { events: 2_000, rounds: 1 },
      days: { days: 5, ordersPerDay: 400, rounds: 1, verify: true },
      captures: { events: 2_000, rounds: 1, tail: 500 },
      blotter: { orders: 500, updatesPerSecond: 200, seconds: 2, probes: 5 },
      quotes: { orders: 500, updatesPerSecond: 200, seconds: 2, probes: 5, quotes: { instruments: 20, rate: 200, probes: 3 } },
      search: { oneDay: 2_000, days: 3, ordersPerDay: 1_000, symbols: 10, rounds: 3 },
      hostile: { rounds: 2, resendRequests: 50, malformed: 500, dontKnows: 100, roundTrips: 20 },
      marketdata: { instruments: 20, messagesPerRound: 2_000, rounds: 1 },
      scheduler: { parents: 20, slices: 3, intervalMs: 1_000, driftMinutes: 2 },
      positions: { positions: 200, fillsPerSecond: 500, seconds: 1, browser: { positions: 200, fillsPerSecond: 200, seconds: 2, probes: 4 } },
    }
  : {
      roundtrip: { rounds: 6, ordersPerRound: 1_000, warmup: 300, basketSize: 5_000, basketRounds: 3 },
      ingestion: { orders: 1_000, reportsPerRound: 50_000, rounds: 3 },
      startup: { events: 1_000_000, rounds: 3 },
      days: { days: 30, ordersPerDay: 200_000, rounds: 3, verify: false },
      captures: { events: 1_000_000, rounds: 3, tail: 50_000 },
      blotter: { orders: 100_000, updatesPerSecond: 5_000, seconds: 30, probes: 8 },
      quotes: { orders: 20_000, updatesPerSecond: 200, seconds: 20, probes: 8, quotes: { instruments: 200, rate: 2_000, probes: 5 } },
      search: { oneDay: 100_000, days: 30, ordersPerDay: 33_334, symbols: 50, rounds: 20 },
      hostile: { rounds: 6, resendRequests: 500, malformed: 10_000, dontKnows: 1_000, roundTrips: 300 },
      marketdata: { instruments: 200, messagesPerRound: 100_000, rounds: 3 },
      scheduler: { parents: 1_000, slices: 6, intervalMs: 10_000, driftMinutes: 30 },
      positions: { positions: 10_000, fillsPerSecond: 5_000, seconds: 10, browser: { positions: 10_000, fillsPerSecond: 5_000, seconds: 10, probes: 8 } },
    };

/**
 * BENCH_BASELINE_ROOT=<another tree> runs the suites roundtrip, ingestion and startup of that tree
 * too, in this process, alternating with this tree's (BENCH_BASELINE_ROUNDS each, default 2): each
 * of this tree's rows is printed beside the other tree's (the desk code of each tree, side by side).
 */
async function withBaseline(suiteFile: string, exported: string, ours: () => Promise<SuiteResult>, options: unknown): Promise<SuiteResult> {
  const root = process.env.BENCH_BASELINE_ROOT;
  if (root === undefined || root === '') return ours();
  const module = (await import(pathToFileURL(join(resolve(root), suiteFile)).href)) as Record<string, (o: unknown) => Promise<SuiteResult>>;
  const theirs = module[exported]!;
  const rounds = Math.max(1, Number(process.env.BENCH_BASELINE_ROUNDS ?? '2'));
  const a: SuiteResult[] = [];
  const b: SuiteResult[] = [];
  for (let r = 0; r < rounds; r++) {
    b.push(await theirs(options));
    await stopAllTracked();
    a.push(await ours());
    await stopAllTracked();
  }
  return sideBySide(a, b, resolve(root));
}

const runners: Record<SuiteName, () => Promise<SuiteResult>> = {
  roundtrip: () => withBaseline('bench/suites/order-path.ts', 'runOrderPath', () => runOrderPath(sizes.roundtrip), sizes.roundtrip),
  ingestion: () => withBaseline('bench/suites/ingestion.ts', 'runIngestion', () => runIngestion(sizes.ingestion), sizes.ingestion),
  startup: () => withBaseline('bench/suites/startup.ts', 'runStartup', () => runStartup(sizes.startup), sizes.startup),
  days: () => runDays(sizes.days),
  captures: () => runCaptures(sizes.captures),
  blotter: () => runBlotter(sizes.blotter),
  quotes: () => runQuotes(sizes.quotes),
  search: () => runSearch(sizes.search),
  hostile: () => runHostile(sizes.hostile),
  marketdata: () => runMarketData(sizes.marketdata),
  scheduler: () => runScheduler(sizes.scheduler),
  positions: () => runPositions(sizes.positions),
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllTracked();
    process.exit(130);
  });
}
process.on('exit', killAllTracked);

const rows: ResultRow[] = [];
const budgets: BudgetCheck[] = [];
const details: Record<string, unknown> = {};
const failures: Array<{ suite: string; error: string }> = [];
const started = Date.now();

console.log(`Meridian Desk benchmarks${smoke ? ' (smoke: tiny sizes, timings not meaningful)' : ''} — ${cpus().length} cores, Node ${process.version}`);
for (const name of SUITES) {
  if (!only.includes(name)) continue;
  const t0 = Date.now();
  process.stdout.write(`\n▶ ${name} … `);
  try {
    const result = await runners[name]();
    rows.push(...result.rows);
    budgets.push(...result.budgets);
    details[name] = result.details;
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    failures.push({ suite: name, error });
    console.log(`FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s\n${error}`);
  } finally {
    await stopAllTracked();
  }
}

console.log('');
printTable(rows);
console.log('\nBudgets');
printBudgets(budgets);

const outFile = args.out ?? join(REPO_ROOT, '.bench', smoke ? 'results-smoke.json' : 'results.json');
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(
  outFile,
  JSON.stringify({ at: new Date().toISOString(), smoke, node: process.version, cores: cpus().length, seconds: (Date.now() - started) / 1000, sizes, rows, budgets, failures, details }, null, 2),
);
console.log(`\nwrote ${outFile} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

// Smoke: assert the harness ran — every selected suite produced rows with numbers in them.
const missing = only.filter((name) => !rows.some((r) => r.suite.length > 0 && typeof r.value === 'number' && details[name] !== undefined));
if (failures.length > 0 || missing.length > 0) {
  console.error(`bench: harness failure in ${[...failures.map((f) => f.suite), ...missing].join(', ')}`);
  process.exit(1);
}
if (args.strict && budgets.some((b) => b.pass === false)) process.exit(1);
process.exit(0);
