/**
 * 13. Quotes where decisions are made, in Chromium through the headless host process: the blotter
 * suite's run (N open orders, fills streamed over FIX, the Working view and totals row on) twice, side
 * by side in one run: the blotter alone (the baseline), then the same with the market watch showing
 * `instruments` instruments refreshed at `rate` quotes/s by the bench's market-data counterparty over
 * FIX (desk → conflation → WebSocket → quote book → market watch and the blotter's Last column).
 * Quote-to-paint: probe trades (unique prices) from the counterparty's socket write to the frame that
 * showed them in the market watch. The blotter's budgets must still hold with the quotes on.
 */
import type { BlotterOptions, QuoteLoad } from './blotter';
import { blotterOptionsFromEnv, measureBlotter } from './blotter';
import { TARGET_ROOT } from '../lib/firehose';
import { resolve } from 'node:path';
import type { SuiteResult } from '../lib/report';
import { row, sideBySide } from '../lib/report';

export interface QuotesOptions extends BlotterOptions {
  readonly quotes: QuoteLoad;
}

/**
 * BENCH_QUOTES_BASELINE_ROOT=<another tree>: instead, the run with quotes of that tree and of this one,
 * alternating (BENCH_QUOTES_ROUNDS each, default 1), every row beside the other tree's.
 * BENCH_QUOTES_ALONE=0: only the run with quotes (to profile or trace it).
 */
export async function runQuotes(options: QuotesOptions): Promise<SuiteResult> {
  const o = blotterOptionsFromEnv(options);
  const baselineRoot = process.env.BENCH_QUOTES_BASELINE_ROOT;
  if (baselineRoot !== undefined && baselineRoot !== '') {
    const rounds = Math.max(1, Number(process.env.BENCH_QUOTES_ROUNDS ?? '1'));
    const ours: SuiteResult[] = [];
    const theirs: SuiteResult[] = [];
    for (let round = 0; round < rounds; round++) {
      theirs.push(await measureBlotter(o, resolve(baselineRoot), options.quotes));
      ours.push(await measureBlotter(o, TARGET_ROOT, options.quotes));
    }
    return sideBySide(ours, theirs, resolve(baselineRoot));
  }
  const withQuotes = await measureBlotter(o, TARGET_ROOT, options.quotes);
  // BENCH_QUOTES_ALONE=0: the run with quotes only (a profile or trace of it, without the baseline's run).
  if (process.env.BENCH_QUOTES_ALONE === '0') return withQuotes;
  const alone = await measureBlotter(o, TARGET_ROOT);
  const baseline = new Map(alone.rows.map((r) => [`${r.suite}|${r.metric}`, r.value]));
  const rows = withQuotes.rows.map((r) => {
    const base = baseline.get(`${r.suite}|${r.metric}`);
    const suite = r.suite.startsWith('13') ? r.suite : `${r.suite} + quotes vs alone`;
    return row(suite, r.metric, r.value, r.unit, typeof base === 'number' && typeof r.value === 'number' ? base : undefined, typeof base === 'string' ? `${r.note ?? ''} (alone: ${base})` : r.note);
  });
  return {
    rows,
    budgets: [...withQuotes.budgets.map((b) => ({ ...b, budget: `${b.budget} [with quotes]` })), ...alone.budgets.map((b) => ({ ...b, budget: `${b.budget} [blotter alone]` }))],
    details: { withQuotes: withQuotes.details, alone: alone.details },
  };
}
