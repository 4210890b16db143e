/**
 * 3. Execution report ingestion: the bench's FIX counterparty process (bench/lib/fix-firehose.ts)
 * streams partial fills over real FIX/TCP as fast as the socket drains; the desk (journal on, group
 * sync as configured in production) absorbs them. Rate = reports / (first sent → last one published
 * as an execution by the desk). Baseline: a bare jspurefix initiator absorbing the same stream from a
 * second firehose process (parse + session only).
 */
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
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
  /** Also measure the proposed change "one journal commit per socket read" (see groupCommitExperiment). */
  readonly experiment?: boolean;
}

/**
 * Bench-only experiment, not the product's behaviour: journal writes inside one event-loop turn (one
 * socket read's worth of execution reports) share one SQLite transaction, committed at setImmediate.
 * This measures the cost side of the proposed change (broker-inbound journals a read's messages in
 * one transaction, then applies them: commit-before-acting holds); here the commit happens after the
 * apply, so it must never ship like this. Returns a function that undoes the patch.
 */
function groupCommitExperiment(): () => void {
  const proto = SqliteJournal.prototype as unknown as { write(event: unknown): number };
  const original = proto.write;
  proto.write = function (this: { db: { inTransaction: boolean; exec(sql: string): void } }, event: unknown) {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      setImmediate(() => {
        if (this.db.inTransaction) this.db.exec('COMMIT');
      });
    }
    return original.call(this, event);
  } as typeof proto.write;
  return () => {
    proto.write = original;
  };
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
    const deskRounds = o.rounds * (o.experiment === true ? 2 : 1);
    const ids = await Promise.all(Array.from({ length: o.orders * deskRounds }, () => desk.submit(limitTicket('FH', 'AAPL', '1000000000'))));
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
    const experimentRates: number[] = [];
    const runExperiment = async () => {
      const undo = groupCommitExperiment();
      try {
        await runDesk();
        experimentRates.push(deskRates.pop() as number);
      } finally {
        undo();
      }
    };
    // Rotate the order each round so no variant always runs on the warmest (or most loaded) machine.
    const variants = [runDesk, runBare, ...(o.experiment === true ? [runExperiment] : [])];
    for (let r = 0; r < o.rounds; r++) {
      for (let i = 0; i < variants.length; i++) await variants[(i + r) % variants.length]!();
    }
    const d = median(deskRates);
    const b = median(bareRates);
    const S = '3 ingestion';
    return {
      rows: [
        ...(experimentRates.length > 0
          ? [row(S, 'experiment: one journal commit per socket read', median(experimentRates), '/s', d, `proposed change (broker-inbound + Journal.appendMany), baseline = desk today; rounds [${experimentRates.map((v) => v.toFixed(0)).join(', ')}]`)]
          : []),
        row(S, 'execution reports absorbed/s (median)', d, '/s', b, `${o.reportsPerRound} fills × ${o.rounds} rounds over FIX/TCP; desk [${deskRates.map((v) => v.toFixed(0)).join(', ')}] bare [${bareRates.map((v) => v.toFixed(0)).join(', ')}]`),
      ],
      budgets: [{ budget: 'ingestion ≥ 10,000 reports/s', measured: `${d.toFixed(0)} /s (bare jspurefix ${b.toFixed(0)} /s)`, pass: d >= 10_000 }],
      details: { deskRates, bareRates, experimentRates },
    };
  } finally {
    await bare.stop().catch(() => undefined);
    await desk.stop().catch(() => undefined);
    await deskHose.stop();
    await bareHose.stop();
  }
}
