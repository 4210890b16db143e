/**
 * 3. Execution report ingestion: the bench's FIX counterparty process (bench/lib/fix-firehose.ts)
 * streams partial fills over real FIX/TCP as fast as the socket drains; the desk (journal on, group
 * sync as configured in production) absorbs them. Rate = reports / (first sent → last one published
 * as an execution by the desk). Baseline: a bare jspurefix initiator absorbing the same stream from a
 * second firehose process (parse + session only).
 */
import { connectBareInitiator } from '../lib/bare-initiator';
import { BenchDesk, deskConfigFor, limitTicket } from '../lib/desk-harness';
import { Firehose } from '../lib/firehose';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { median, waitFor, wallNowMs } from '../lib/stats';

export interface IngestionOptions {
  readonly orders: number;
  readonly reportsPerRound: number;
  readonly rounds: number;
}

export async function runIngestion(o: IngestionOptions): Promise<SuiteResult> {
  const deskHose = await Firehose.start('FH');
  const bareHose = await Firehose.start('FB');
  const config = deskConfigFor([
    { name: 'FH', port: deskHose.port },
    { name: 'FB', port: bareHose.port },
  ]);
  const desk = new BenchDesk({ ...config, brokers: [config.brokers[0]!] });
  const bare = await connectBareInitiator(config.brokers[1]!);
  try {
    await desk.start(['FH']);
    // Each desk round fills its own slice of orders, so every round starts from orders with no fills
    // (the per-report cost of the order state grows with the fills an order already has).
    // Limit 101.00: the firehose fills at 100.25, inside it (a fill beyond the limit is an alert per report, not ingestion).
    const ids = await Promise.all(Array.from({ length: o.orders * o.rounds }, () => desk.submit(limitTicket('FH', 'AAPL.XNAS', '1000000000', '101.00'))));
    await Promise.all(ids.map((id) => desk.until(id, 'new')));
    let slice = 0;
    await bareHose.loadRange('B', 1, o.orders, 1_000_000_000);
    let bareReports = 0;
    bare.session.onReport = () => {
      bareReports++;
    };

    const deskRates: number[] = [];
    const bareRates: number[] = [];
    const runDesk = async () => {
      const before = desk.executionsPublished;
      const from = o.orders * slice++;
      const fired = deskHose.fire({ rate: 0, count: o.reportsPerRound, from, to: from + o.orders });
      await waitFor(() => desk.executionsPublished - before >= o.reportsPerRound, 300_000, 'desk to absorb the reports', 1);
      const doneAt = wallNowMs();
      const f = await fired;
      deskRates.push((o.reportsPerRound / (doneAt - f.startedAt)) * 1000);
    };
    const runBare = async () => {
      const before = bareReports;
      const fired = bareHose.fire({ rate: 0, count: o.reportsPerRound });
      await waitFor(() => bareReports - before >= o.reportsPerRound, 300_000, 'bare initiator to absorb the reports', 1);
      const doneAt = wallNowMs();
      const f = await fired;
      bareRates.push((o.reportsPerRound / (doneAt - f.startedAt)) * 1000);
    };
    // Rotate the order each round so no variant always runs on the warmest (or most loaded) machine.
    const variants = [runDesk, runBare];
    for (let r = 0; r < o.rounds; r++) {
      for (let i = 0; i < variants.length; i++) await variants[(i + r) % variants.length]!();
    }
    const d = median(deskRates);
    const b = median(bareRates);
    const S = '3 ingestion';
    return {
      rows: [
        row(S, 'execution reports absorbed/s (median)', d, '/s', b, `${o.reportsPerRound} fills × ${o.rounds} rounds over FIX/TCP; desk [${deskRates.map((v) => v.toFixed(0)).join(', ')}] bare [${bareRates.map((v) => v.toFixed(0)).join(', ')}]`),
      ],
      budgets: [{ budget: 'ingestion ≥ 10,000 reports/s', measured: `${d.toFixed(0)} /s (bare jspurefix ${b.toFixed(0)} /s)`, pass: d >= 10_000 }],
      details: { deskRates, bareRates },
    };
  } finally {
    await bare.stop().catch(() => undefined);
    await desk.stop().catch(() => undefined);
    await deskHose.stop();
    await bareHose.stop();
  }
}
