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
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';

export interface QuotesOptions extends BlotterOptions {
  readonly quotes: QuoteLoad;
}

export async function runQuotes(options: QuotesOptions): Promise<SuiteResult> {
  const o = blotterOptionsFromEnv(options);
  const alone = await measureBlotter(o, TARGET_ROOT);
  const withQuotes = await measureBlotter(o, TARGET_ROOT, options.quotes);
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
