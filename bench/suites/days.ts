/**
 * 4c. Thirty days: the headless host process on a journal of `days` trading days of `ordersPerDay`
 * orders each (bench/lib/journal-gen.ts#generateDaysJournal: a start-of-day roll each morning, GTC
 * orders carried), spawn → ready and core RSS, beside the same on a journal of one such day — the
 * one-day budgets. The start-of-day roll is what keeps the first equal to the second: orders done
 * before today are in the journal only, not in the read models or their snapshots.
 *
 * The host runs built, as the app ships (bench/lib/host-entry.ts; the start rows name what ran).
 * Both journals are started in place (a 30-day journal is tens of GB: no copies): first after a
 * kill -9 (the newest snapshot deleted, as a kill while it was written leaves it: the previous one +
 * the events since), then, after one clean stop, from the snapshot that stop wrote.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DeskReadModels } from '../../electron/core/desk/read-models';
import { deskReadModels, journalEventsBefore } from '../../electron/core/desk/read-models';
import { applyAll } from '../../electron/core/journal/read-model';
import { Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { silentLogger } from '../../electron/core/log/logger';
import { systemClock } from '../../electron/core/time/clock';
import type { DeskConfig } from '../../electron/core/config/desk-config';
import { deskConfigFor } from '../lib/desk-harness';
import type { DaysJournal } from '../lib/journal-gen';
import { generateDaysJournal } from '../lib/journal-gen';
import { rssMb } from '../lib/processes';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { median } from '../lib/stats';
import { closedPort, settle, startHostProcess } from './startup';

export interface DaysOptions {
  readonly days: number;
  readonly ordersPerDay: number;
  readonly rounds: number;
  /** Check the generated journal's snapshot against a full replay (smoke sizes: a full replay of 30 days is minutes). */
  readonly verify: boolean;
}

interface Measured {
  ready: number[];
  crashed: number[];
  rss: number[];
  replayedAfterKill: number;
}

/** Deletes the newest snapshot (a kill -9 while it was being written); returns how many events the start then replays. */
function loseNewestSnapshot(path: string): number {
  const db = new Database(path);
  try {
    db.exec('DELETE FROM snapshots WHERE id = (SELECT id FROM snapshots ORDER BY seq DESC, id DESC LIMIT 1)');
    const covered = (db.prepare('SELECT max(seq) FROM snapshots').pluck().get() as number | null) ?? 0;
    const last = (db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
    return last - covered;
  } finally {
    db.close();
  }
}

/** JSON with keys sorted: a field undefined and a field absent are the same (a restored order has every field). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The read models restored from the journal's newest snapshot + its tail, and folded from every event: they must be the same. */
/**
 * Read models that carry the copied days' fills into the next day (journal-gen.ts copies the days
 * between the first and the last by SQL, unfolded): their snapshot holds the same keys (the same
 * accounts and instruments) with other quantities, so what a start costs is the same, but their
 * figures are not a replay's. Every other read model must equal a full replay exactly.
 */
const ACROSS_DAYS: ReadonlySet<string> = new Set(['positions']);

async function verifyAgainstReplay(config: DeskConfig, path: string): Promise<string | undefined> {
  const journal = new SqliteJournal(path);
  try {
    const fresh = () => deskReadModels(config, journalEventsBefore(journal));
    const restored = fresh();
    const { seq } = await new Snapshotter(journal, restored, { log: silentLogger, clock: systemClock }).restore();
    if (seq === 0) return 'no snapshot restored';
    journal.replay((event, s) => applyAll(restored, event, s), seq);
    const replayed = fresh();
    journal.replay((event, s) => applyAll(replayed, event, s));
    for (const name of Object.keys(replayed) as Array<keyof DeskReadModels>) {
      if (ACROSS_DAYS.has(name)) continue;
      if (canonical(restored[name].capture()) !== canonical(replayed[name].capture())) return `read model ${name} differs from a full replay`;
    }
    return undefined;
  } finally {
    journal.close();
  }
}

export async function runDays(o: DaysOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-days-'));
  try {
    const config = deskConfigFor([{ name: 'SIM-A', port: await closedPort() }]);
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(config));
    const manyDir = join(dir, 'days');
    const oneDir = join(dir, 'one');
    mkdirSync(manyDir);
    mkdirSync(oneDir);
    const g0 = performance.now();
    const many = generateDaysJournal(join(manyDir, 'desk.sqlite'), { days: o.days, ordersPerDay: o.ordersPerDay });
    const g1 = performance.now();
    const one = generateDaysJournal(join(oneDir, 'desk.sqlite'), { days: 1, ordersPerDay: o.ordersPerDay });
    const g2 = performance.now();
    const problem = o.verify ? await verifyAgainstReplay(config, many.path) : undefined;
    if (problem !== undefined) throw new Error(`the generated ${o.days}-day journal is not what folding it gives: ${problem}`);
    settle();

    // A first start no round pays for (the build if it is due, the tsx compile cache): bench/lib/host-entry.ts.
    const warm = await startHostProcess(configPath, join(dir, 'warm'));
    await warm.stop();

    const runs: Array<[DaysJournal, string, Measured]> = [
      [many, manyDir, { ready: [], crashed: [], rss: [], replayedAfterKill: 0 }],
      [one, oneDir, { ready: [], crashed: [], rss: [], replayedAfterKill: 0 }],
    ];
    for (const [journal, , m] of runs) m.replayedAfterKill = loseNewestSnapshot(journal.path);
    settle();
    for (let r = 0; r < o.rounds; r++) {
      for (const [, dataDir, m] of r % 2 === 0 ? runs : [...runs].reverse()) {
        const host = await startHostProcess(configPath, dataDir);
        m.crashed.push(host.readyMs);
        await host.kill();
      }
    }
    // One clean stop each (the snapshot a clean stop writes), then the starts from it.
    for (const [, dataDir] of runs) await (await startHostProcess(configPath, dataDir)).stop();
    settle();
    for (let r = 0; r < o.rounds; r++) {
      for (const [, dataDir, m] of r % 2 === 0 ? runs : [...runs].reverse()) {
        const host = await startHostProcess(configPath, dataDir);
        m.ready.push(host.readyMs);
        m.rss.push(await rssMb(host.pid));
        await host.stop();
      }
    }

    const [mm, om] = [runs[0]?.[2] as Measured, runs[1]?.[2] as Measured];
    const S = '4c thirty days';
    const label = `${o.days} days × ${o.ordersPerDay.toLocaleString('en-US')} orders`;
    const oneLabel = `1 day × ${o.ordersPerDay.toLocaleString('en-US')} orders`;
    const rounds = (values: readonly number[]) => `rounds [${values.map((v) => v.toFixed(0)).join(', ')}]`;
    const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
    const [ready, readyOne, crashed, crashedOne, rss, rssOne] = [median(mm.ready), median(om.ready), median(mm.crashed), median(om.crashed), median(mm.rss), median(om.rss)];
    const journalNote = (j: DaysJournal) => `${j.events.toLocaleString('en-US')} events (${j.lastDayEvents.toLocaleString('en-US')} today), ${gb(statSync(j.path).size)}; ${j.working.toLocaleString('en-US')} orders working, ${j.carried} GTC carried in`;
    return {
      rows: [
        row(S, `host start → ready, ${label} (snapshot at clean stop)`, ready, 'ms', readyOne, `baseline: ${oneLabel}; host: ${warm.entry}; ${rounds(mm.ready)}`),
        row(S, `host start → ready after kill -9, ${label} (previous snapshot + ${mm.replayedAfterKill.toLocaleString('en-US')} events)`, crashed, 'ms', crashedOne, `baseline: ${oneLabel} (+ ${om.replayedAfterKill.toLocaleString('en-US')} events); host: ${warm.entry}; ${rounds(mm.crashed)}`),
        row(S, `core RSS after ready, ${label}`, rss, 'MB', rssOne, `baseline: ${oneLabel}`),
        row(S, `journal of ${label}`, many.events, 'events', one.events, `${journalNote(many)} — baseline: ${journalNote(one)}`),
        row(S, `journal generation (bench setup)`, g1 - g0, 'ms', g2 - g1, `baseline: the one day${o.verify ? '; snapshot checked against a full replay' : ''}`),
      ],
      budgets: [
        { budget: `${label}: ready ≤ 2 s after a clean stop`, measured: `${ready.toFixed(0)} ms (one day: ${readyOne.toFixed(0)} ms)`, pass: ready <= 2_000 },
        { budget: `${label}: ready ≤ 3 s after kill -9`, measured: `${crashed.toFixed(0)} ms (one day: ${crashedOne.toFixed(0)} ms)`, pass: crashed <= 3_000 },
        // Within the one-day figure: what history adds must be noise (10%), not a day's worth.
        { budget: `${label}: core RSS within one day's (+10%)`, measured: `${rss.toFixed(0)} MB (one day: ${rssOne.toFixed(0)} MB)`, pass: rss <= rssOne * 1.1 },
      ],
      details: { many, one, measured: { many: mm, one: om }, generateMs: { many: g1 - g0, one: g2 - g1 } },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
