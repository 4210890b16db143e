/**
 * 4. Recovery and 7. start-up: the headless host as a process (`--no-sim`), as the app ships: built
 * JavaScript, `out/main/serve.js` (bench/lib/host-entry.ts: built first when missing or older than the
 * sources; a tree that does not build it runs `electron/host/serve-main.ts` under tsx, and its rows say
 * so; BENCH_HOST=tsx forces tsx), timed from spawn to its ready line, on a journal of N generated events versus an empty journal
 * (the baseline: the same process start with nothing to replay). The journal is written the way a desk
 * that ran the day writes it (bench/lib/journal-gen.ts): events, periodic snapshots, a snapshot at
 * the clean stop. Beside the main figure, the same start in the two cases a snapshot does not cover:
 * after a kill -9 that lost the newest snapshot (the previous one + the events since: the worst a crash
 * can leave), and with no snapshot at all (full replay). Then, in process: the replay alone, and what
 * writing snapshots costs.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { checkJournal } from '../../electron/core/data-folder/journal-integrity';
import { JournalBackups } from '../../electron/core/data-folder/journal-backups';
import { createDesk } from '../../electron/core/desk/create-desk';
import { deskReadModels, journalEventsBefore } from '../../electron/core/desk/read-models';
import { applyAll } from '../../electron/core/journal/read-model';
import type { DeskEvent } from '../../electron/core/journal/desk-events';
import type { SnapshotWriteFigures } from '../../electron/core/journal/snapshots';
import { DEFAULT_SNAPSHOT_POLICY, Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { createLogger, silentLogger } from '../../electron/core/log/logger';
import { systemClock } from '../../electron/core/time/clock';
import { deskConfigFor } from '../lib/desk-harness';
import type { DeskConfig } from '../../electron/core/config/desk-config';
import { REPO_ROOT, TARGET_ROOT } from '../lib/firehose';
import { generateMixedJournal } from '../lib/journal-gen';
import { hostEntry } from '../lib/host-entry';
import { rssMb, spawnTracked, stopChild, waitForJsonLine } from '../lib/processes';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { median } from '../lib/stats';

export interface StartupOptions {
  readonly events: number;
  readonly rounds: number;
}

export interface HostProcess {
  readonly pid: number;
  readonly url: string;
  readonly readyMs: number;
  /** What ran: the built host or tsx (bench/lib/host-entry.ts), for the rows' notes. */
  readonly entry: string;
  stop(): Promise<void>;
  /** SIGKILL: no clean stop (no snapshot at stop). */
  kill(): Promise<void>;
}

/** Starts the headless host as a process and times spawn → ready line. */
export async function startHostProcess(configPath: string, dataDir: string, staticDir?: string, root: string = TARGET_ROOT, extraArgs: readonly string[] = []): Promise<HostProcess> {
  const token = randomBytes(16).toString('hex');
  const profile = process.env.BENCH_HOST_PROFILE_DIR; // a CPU profile of the host, written when it stops
  const entry = hostEntry(root);
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), ...entry.args, '--no-sim', '--config', configPath, '--data-dir', dataDir, '--port', '0'];
  if (staticDir !== undefined) args.push('--static-dir', staticDir);
  args.push(...extraArgs);
  const t0 = performance.now();
  // BENCH_HOST_LOG=<file>: the host's log at info level, appended there (its snapshots, sessions, alerts).
  const logFile = process.env.BENCH_HOST_LOG;
  const child = spawnTracked(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', logFile ? openSync(logFile, 'a') : 'ignore'],
    env: { ...process.env, MERIDIAN_TOKEN: token, MERIDIAN_LOG_LEVEL: logFile ? 'info' : 'warn' },
  });
  const ready = await waitForJsonLine<{ url: string; pid: number }>(child, (v) => v.event === 'ready', 180_000, 'headless host');
  const readyMs = performance.now() - t0;
  return {
    pid: child.pid ?? -1,
    url: ready.url,
    readyMs,
    entry: entry.label,
    stop: () => stopChild(child, 10_000),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A port nothing listens on: the desk's broker session keeps retrying, which is not part of "ready". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A copy of a desk's data folder with its newest snapshots gone: `drop: 'crash'` is a kill -9 just as
 * a periodic snapshot was being written (no snapshot at a clean stop either, a -wal left behind): every
 * snapshot of the last `every` events is gone, so the start restores the one before and replays up to
 * `every` events since;
 * `drop: 'all'` leaves a journal with no snapshot (full replay).
 */
function copyWithoutSnapshots(fromDir: string, toDir: string, drop: 'crash' | 'all'): void {
  rmSync(toDir, { recursive: true, force: true });
  mkdirSync(toDir, { recursive: true });
  for (const file of ['desk.sqlite', 'desk.sqlite-wal']) if (existsSync(join(fromDir, file))) copyFileSync(join(fromDir, file), join(toDir, file));
  if (drop === 'all') {
    const db = new Database(join(toDir, 'desk.sqlite'));
    db.exec('DELETE FROM snapshots; DELETE FROM snapshot_block_refs; DELETE FROM snapshot_blocks;');
    db.close();
  } else {
    // Deleted by a process that is then killed: its committed write stays in a -wal, as a desk killed -9 leaves one
    // (whose start, like a clean one, checks the journal whole on a worker beside the restore, holding the -wal meanwhile).
    const script = `const db = new (require('better-sqlite3'))(process.argv[1]); db.prepare('DELETE FROM snapshots WHERE seq > (SELECT max(seq) FROM events) - ?').run(Number(process.argv[2])); process.kill(process.pid, 'SIGKILL');`;
    const killed = spawnSync(process.execPath, ['-e', script, join(toDir, 'desk.sqlite'), String(DEFAULT_SNAPSHOT_POLICY.every)], { cwd: REPO_ROOT });
    if (killed.signal !== 'SIGKILL' || !existsSync(join(toDir, 'desk.sqlite-wal'))) throw new Error(`the kill -9 copy was not made: ${killed.stderr.toString()}`);
  }
  settle();
}

/** Writes the page cache back before a timed start: copying ~900 MB leaves the disk busy for seconds after. */
export function settle(): void {
  spawnSync('sync');
}

/** The seq the newest snapshot covers and the journal's last seq (what a start after a kill -9 replays is the difference). */
function snapshotCoverage(dir: string): { snapshotSeq: number; lastSeq: number } {
  const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
  const snapshotSeq = (db.prepare('SELECT max(seq) FROM snapshots').pluck().get() as number | null) ?? 0;
  const lastSeq = (db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  db.close();
  return { snapshotSeq, lastSeq };
}

/**
 * What writing snapshots costs, the way the desk writes them (encoded in slices on this thread, the
 * new blocks hashed on the thread pool and stored a few per turn, then one transaction): from scratch
 * (every block encoded: the first snapshot after a full replay, the worst case) on the journal less its
 * last `every` events, then — those events appended and folded as the desk does — the periodic one.
 */
async function snapshotCosts(config: DeskConfig, generatedDir: string, dir: string, every: number): Promise<{ replayed: number; replayMs: number; scratch?: SnapshotWriteFigures; periodic?: SnapshotWriteFigures }> {
  copyWithoutSnapshots(generatedDir, dir, 'all');
  const db = new Database(join(dir, 'desk.sqlite'));
  const last = (db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  const from = last - Math.min(every, Math.floor(last / 2)); // smoke sizes: half the journal
  const tail = (db.prepare('SELECT payload FROM events WHERE seq > ? ORDER BY seq').pluck().all(from) as string[]).map((p) => JSON.parse(p) as DeskEvent);
  db.prepare('DELETE FROM events WHERE seq > ?').run(from);
  db.close();
  const journal = new SqliteJournal(join(dir, 'desk.sqlite'));
  try {
    const models = deskReadModels(config, journalEventsBefore(journal));
    const snapshotter = new Snapshotter(journal, models, { log: silentLogger, clock: systemClock });
    const t0 = performance.now();
    journal.replay((event, seq) => applyAll(models, event, seq));
    const replayMs = performance.now() - t0;
    const scratch = await snapshotter.writeInBackground();
    for (let i = 0; i < tail.length; i += 1_000) {
      journal.batch(() => {
        for (const event of tail.slice(i, i + 1_000)) applyAll(models, event, journal.append(event));
      });
    }
    const periodic = await snapshotter.writeInBackground();
    return { replayed: from, replayMs, ...(scratch !== undefined && { scratch }), ...(periodic !== undefined && { periodic }) };
  } finally {
    journal.close();
  }
}

/** One online backup, timed, with the longest event-loop delay of this (the desk's) thread meanwhile. */
async function timedBackup(journalPath: string, backupDir: string): Promise<{ ms: number; longestLoopDelayMs: number }> {
  const backups = new JournalBackups({ journalPath, policy: { dir: backupDir, everyMs: 3_600_000, keep: 1 }, clock: systemClock, log: silentLogger });
  let longest = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 5);
    last = now;
  }, 5);
  const t0 = performance.now();
  try {
    await backups.backupNow();
    return { ms: performance.now() - t0, longestLoopDelayMs: longest };
  } finally {
    clearInterval(probe);
    await backups.stop();
  }
}

export async function runStartup(o: StartupOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-recovery-'));
  try {
    const config = deskConfigFor([{ name: 'SIM-A', port: await closedPort() }]);
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(config));
    const generatedDir = join(dir, 'generated');
    const fullDir = join(dir, 'full');
    const emptyDir = join(dir, 'empty');
    const crashDir = join(dir, 'crash');
    const replayDir = join(dir, 'replay');
    const g0 = performance.now();
    // The desk configuration has no drop copy: the journal's snapshots are made for that (journal-gen.ts).
    const journal = generateMixedJournal(join(generatedDir, 'desk.sqlite'), o.events, 'SIM-A', 'BENCH');
    const generateMs = performance.now() - g0;
    // The desk restarted on `fullDir` appends (a deskRestarted event, a snapshot at each clean stop); the
    // other cases are made from the journal as generated.
    mkdirSync(fullDir, { recursive: true });
    copyFileSync(join(generatedDir, 'desk.sqlite'), join(fullDir, 'desk.sqlite'));
    settle();
    copyWithoutSnapshots(generatedDir, crashDir, 'crash');
    const crash = snapshotCoverage(crashDir);

    // A first start (the build if it is due, the tsx compile cache, the files in the page cache) that no round pays for.
    const warm = await startHostProcess(configPath, join(dir, 'warm'));
    await warm.stop();
    const hostNote = `host: ${warm.entry}`;

    const full: number[] = [];
    const empty: number[] = [];
    const crashed: number[] = [];
    const replayed: number[] = [];
    const rss: number[] = [];
    const replayOnly: number[] = [];
    const restoreLog: Array<Record<string, unknown>> = [];
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? ['full', 'empty'] : ['empty', 'full'];
      for (const which of order) {
        const host = await startHostProcess(configPath, which === 'full' ? fullDir : emptyDir);
        (which === 'full' ? full : empty).push(host.readyMs);
        if (which === 'full') rss.push(await rssMb(host.pid));
        await host.stop();
      }
      // The cases a snapshot does not cover, each on a fresh copy (a clean stop would write a snapshot).
      copyWithoutSnapshots(generatedDir, crashDir, 'crash');
      const afterCrash = await startHostProcess(configPath, crashDir);
      crashed.push(afterCrash.readyMs);
      await afterCrash.kill();
      copyWithoutSnapshots(generatedDir, replayDir, 'all');
      const noSnapshot = await startHostProcess(configPath, replayDir);
      replayed.push(noSnapshot.readyMs);
      await noSnapshot.kill();

      // The real FIX adapter, pointed at a closed port: it keeps retrying, which is not part of the replay.
      const lines: string[] = [];
      const log = createLogger({ level: 'info', write: (line) => lines.push(line) });
      const desk = createDesk({ config, dataDir: fullDir, log, journalSyncMs: 0 });
      const t0 = performance.now();
      await desk.start();
      replayOnly.push(performance.now() - t0);
      const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      await desk.stop();
      const replayLine = parsed().find((l) => l.message === 'journal replayed');
      if (replayLine !== undefined) restoreLog.push(replayLine);
    }

    // What the data folder adds: the journal check every start pays before the desk opens the journal,
    // and an online backup (a worker thread copies; the desk's thread only waits for nothing).
    const checks: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const check = checkJournal(join(fullDir, 'desk.sqlite'), { present: false });
      if (check.status === 'ok') checks.push(check.checkMs);
    }
    const backup = await timedBackup(join(fullDir, 'desk.sqlite'), join(dir, 'backups'));

    // Writing snapshots, in process.
    const costs = await snapshotCosts(config, generatedDir, replayDir, DEFAULT_SNAPSHOT_POLICY.every);
    const last = journal.snapshots.at(-1);
    const writeNote = (w: SnapshotWriteFigures | undefined) =>
      w === undefined
        ? 'not written'
        : `${w.slices} slices (longest ${w.longestSliceMs.toFixed(1)} ms); ${w.blocksWritten} of ${w.blocks} blocks, ${mb(w.bytesWritten)} written; storing ${w.storeMs.toFixed(0)} ms (longest transaction ${w.longestTransactionMs.toFixed(1)} ms); wall ${w.elapsedMs.toFixed(0)} ms`;

    const f = median(full);
    const e = median(empty);
    const c = median(crashed);
    const S = '4 recovery';
    const n = journal.events.toLocaleString('en-US');
    const every = DEFAULT_SNAPSHOT_POLICY.every.toLocaleString('en-US');
    const usedSnapshot = restoreLog.every((l) => l.snapshotSeq !== 0);
    const rounds = (values: readonly number[]) => `rounds [${values.map((v) => v.toFixed(0)).join(', ')}]`;
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    return {
      rows: [
        row(S, `host start → ready, ${n} events (snapshot at clean stop)`, f, 'ms', e, `baseline: same start, empty journal; ${hostNote}; ${rounds(full)}`),
        row(S, `… of which the journal check (quick_check, ${mb(statSync(join(fullDir, 'desk.sqlite')).size)})`, checks.length > 0 ? median(checks) : 'failed', 'ms', f, `in process on the same file (the hosts run it on a worker thread beside the restore); ${rounds(checks)}`),
        row(S, `online backup of that journal (worker thread, checked copy)`, backup.ms, 'ms', undefined, `desk thread: longest event-loop delay ${backup.longestLoopDelayMs.toFixed(1)} ms while it ran`),
        row(S, `host start → ready after kill -9 (newest snapshot lost: previous + ${(crash.lastSeq - crash.snapshotSeq).toLocaleString('en-US')} events replayed)`, c, 'ms', e, `${hostNote}; ${rounds(crashed)}`),
        row(S, `host start → ready, full replay (no snapshot)`, median(replayed), 'ms', e, `${hostNote}; ${rounds(replayed)}`),
        row(S, `replay only (desk.start in process)`, median(replayOnly), 'ms', undefined, `${journal.orders.toLocaleString('en-US')} orders, ${mb(journal.bytes)} file; ${usedSnapshot ? 'from the snapshot' : 'SNAPSHOT NOT USED'}`),
        row(S, `full replay in process (no snapshot), ${costs.replayed.toLocaleString('en-US')} events`, costs.replayMs, 'ms'),
        row(S, `snapshot from scratch: desk-thread time (encoding + storing)`, costs.scratch === undefined ? 'failed' : costs.scratch.encodeMs + costs.scratch.storeMs, 'ms', undefined, writeNote(costs.scratch)),
        row(S, `periodic snapshot (every ${every} events) near ${n}: desk-thread time`, costs.periodic === undefined ? 'failed' : costs.periodic.encodeMs + costs.periodic.storeMs, 'ms', undefined, writeNote(costs.periodic)),
        row(S, `snapshot size at ${n} events`, last === undefined ? 'none' : last.bytes / 1e6, 'MB', undefined, `${journal.snapshots.length} snapshots written over the day`),
        row(S, `core RSS after recovery`, median(rss), 'MB'),
        row(S, `journal generation (bench setup)`, generateMs, 'ms'),
        row('7 footprint', 'start-up to ready (empty journal)', e, 'ms', undefined, `${hostNote}; ${rounds(empty)}`),
      ],
      budgets: [
        { budget: `recovery of ${n} events ≤ 2 s`, measured: `${f.toFixed(0)} ms start→ready (replay alone ${median(replayOnly).toFixed(0)} ms)`, pass: f <= 2_000 && usedSnapshot },
        { budget: `recovery after kill -9 ≤ 3 s`, measured: `${c.toFixed(0)} ms start→ready (snapshot every ${every} events)`, pass: c <= 3_000 },
        { budget: 'ready ≤ 3 s', measured: `${e.toFixed(0)} ms (empty journal)`, pass: e <= 3_000 },
      ],
      details: { journal, generateMs, full, empty, crashed, replayed, replayOnly, rss, restoreLog, costs, crash, checks, backup },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
