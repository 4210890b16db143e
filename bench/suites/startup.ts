/**
 * 4. Recovery and 7. start-up: the headless host as a process (`electron/host/serve-main.ts --no-sim`),
 * timed from spawn to its ready line, on a journal of N generated events versus an empty journal
 * (the baseline: the same process start with nothing to replay). Also the replay alone, in process
 * (createDesk().start(), its broker pointed at a closed port).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDesk } from '../../electron/core/desk/create-desk';
import { silentLogger } from '../../electron/core/log/logger';
import { deskConfigFor } from '../lib/desk-harness';
import { TARGET_ROOT } from '../lib/firehose';
import { generateMixedJournal } from '../lib/journal-gen';
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
  stop(): Promise<void>;
}

/** Starts the headless host as a process and times spawn → ready line. */
export async function startHostProcess(configPath: string, dataDir: string, staticDir?: string): Promise<HostProcess> {
  const token = randomBytes(16).toString('hex');
  const args = ['--import', 'tsx', 'electron/host/serve-main.ts', '--no-sim', '--config', configPath, '--data-dir', dataDir, '--port', '0'];
  if (staticDir !== undefined) args.push('--static-dir', staticDir);
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, args, {
    cwd: TARGET_ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, MERIDIAN_TOKEN: token, MERIDIAN_LOG_LEVEL: 'warn' },
  });
  const ready = await waitForJsonLine<{ url: string; pid: number }>(child, (v) => v.event === 'ready', 180_000, 'headless host');
  const readyMs = performance.now() - t0;
  return { pid: child.pid ?? -1, url: ready.url, readyMs, stop: () => stopChild(child, 10_000) };
}

/** A port nothing listens on: the desk's broker session keeps retrying, which is not part of "ready". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}


export async function runStartup(o: StartupOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-recovery-'));
  try {
    const config = deskConfigFor([{ name: 'SIM-A', port: await closedPort() }]);
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(config));
    const fullDir = join(dir, 'full');
    const emptyDir = join(dir, 'empty');
    const g0 = performance.now();
    const journal = generateMixedJournal(join(fullDir, 'desk.sqlite'), o.events, 'SIM-A');
    const generateMs = performance.now() - g0;

    // Warm the tsx compile cache so no round pays for the first compile.
    await (await startHostProcess(configPath, join(dir, 'warm'))).stop();

    const full: number[] = [];
    const empty: number[] = [];
    const rss: number[] = [];
    const replayOnly: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? ['full', 'empty'] : ['empty', 'full'];
      for (const which of order) {
        const host = await startHostProcess(configPath, which === 'full' ? fullDir : emptyDir);
        (which === 'full' ? full : empty).push(host.readyMs);
        if (which === 'full') rss.push(await rssMb(host.pid));
        await host.stop();
      }
      // The real FIX adapter, pointed at a closed port: it keeps retrying, which is not part of the replay.
      const desk = createDesk({ config, dataDir: fullDir, log: silentLogger, journalSyncMs: 0 });
      const t0 = performance.now();
      await desk.start();
      replayOnly.push(performance.now() - t0);
      await desk.stop();
    }
    const f = median(full);
    const e = median(empty);
    const S = '4 recovery';
    const n = journal.events.toLocaleString('en-US');
    return {
      rows: [
        row(S, `host start → ready, ${n} events`, f, 'ms', e, `baseline: same start, empty journal; rounds [${full.map((v) => v.toFixed(0)).join(', ')}]`),
        row(S, `replay only (desk.start in process)`, median(replayOnly), 'ms', undefined, `${journal.orders.toLocaleString('en-US')} orders, ${(journal.bytes / 1e6).toFixed(0)} MB file`),
        row(S, `core RSS after recovery`, median(rss), 'MB'),
        row(S, `journal generation (bench setup)`, generateMs, 'ms'),
        row('7 footprint', 'start-up to ready (empty journal)', e, 'ms', undefined, `rounds [${empty.map((v) => v.toFixed(0)).join(', ')}]`),
      ],
      budgets: [
        { budget: `recovery of ${n} events ≤ 3 s`, measured: `${f.toFixed(0)} ms start→ready (replay alone ${median(replayOnly).toFixed(0)} ms)`, pass: f <= 3_000 },
        { budget: 'ready ≤ 3 s', measured: `${e.toFixed(0)} ms (empty journal)`, pass: e <= 3_000 },
      ],
      details: { journal, generateMs, full, empty, replayOnly, rss },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
