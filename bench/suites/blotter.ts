/**
 * 5. Blotter and 7. footprint at N orders, in Chromium through the headless host process.
 *
 * Setup: a generated journal of N open orders (broker FH), the host process on it, the bench's FIX
 * counterparty (fix-firehose) as broker FH. After the page shows all N orders, the firehose streams
 * partial fills at R reports/s for D seconds over FIX/TCP through the real path (FIX → desk → journal →
 * publisher → WebSocket → store → ag-grid).
 *
 * Report-to-paint: every 100 ms one fill goes to a "probe" order among the newest (on screen, the grid
 * sorts by time, newest first); each probe raises that order's CumQty by one, so (order, CumQty) names
 * the report. The firehose records the wall-clock time it wrote the report to the socket (before the
 * report enters the core: a conservative start). In the page a MutationObserver sees the Cum qty cell
 * change; a requestAnimationFrame callback then posts a message, which runs once that frame has been
 * produced: its time is "painted". Both clocks are the machine's wall clock (performance.timeOrigin +
 * performance.now()). The page also notes when the WebSocket message carrying the probe arrived and the
 * order's updatedAt (the desk's clock when it journaled the report), for a breakdown.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { deskConfigFor } from '../lib/desk-harness';
import { Firehose, REPO_ROOT, TARGET_ROOT } from '../lib/firehose';
import { generateOpenOrdersJournal } from '../lib/journal-gen';
import { pageInstrumentScript } from '../lib/page-instrument';
import { descendants, rssMb } from '../lib/processes';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution, sleep } from '../lib/stats';
import { startHostProcess } from './startup';
import type { HostProcess } from './startup';
import { chromiumLaunchOptions } from '../../e2e/support/chromium';

export interface BlotterOptions {
  readonly orders: number;
  readonly updatesPerSecond: number;
  readonly seconds: number;
  readonly probes: number;
}

const TAG = 'BENCH';

/** The little of the page's globals the bench reads (its tsconfig has no DOM types). */
interface PageGlobals {
  readonly document: { readonly body: { readonly innerText: string } };
}
const STATIC_DIR = join(REPO_ROOT, '.bench', 'renderer');


/** Builds the renderer into .bench/renderer (so the run measures the code in the working tree). */
export function buildRenderer(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'app/vite.config.mts', '--outDir', STATIC_DIR, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: TARGET_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}


export async function runBlotter(o: BlotterOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-blotter-'));
  let firehose: Firehose | undefined;
  let host: HostProcess | undefined;
  let browser: Browser | undefined;
  try {
    const t0 = performance.now();
    buildRenderer();
    const buildMs = performance.now() - t0;
    const dataDir = join(dir, 'data');
    const qty = 1_000_000_000;
    generateOpenOrdersJournal(join(dataDir, 'desk.sqlite'), o.orders, 'FH', TAG, qty);
    firehose = await Firehose.start('FH');
    await firehose.loadRange(TAG, 1, o.orders, qty);
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(deskConfigFor([{ name: 'FH', port: firehose.port }])));

    host = await startHostProcess(configPath, dataDir, STATIC_DIR);
    const hostReadyMs = host.readyMs;
    // Logon reconciliation: the desk asks the status of every open order. Let it finish first.
    const reconcileStart = performance.now();
    const fh = firehose;
    // Done when the count reaches the open orders, or stops growing for a second.
    let status = await fh.stats();
    let last = -1;
    let stableSince = performance.now();
    while (status.statusRequests < o.orders) {
      await sleep(100);
      status = await fh.stats();
      if (status.statusRequests !== last) {
        last = status.statusRequests;
        stableSince = performance.now();
      } else if (status.statusRequests > 0 && performance.now() - stableSince > 1_000) break;
      if (performance.now() - reconcileStart > 300_000) throw new Error(`reconciliation stalled at ${status.statusRequests} status requests`);
    }
    const reconcileMs = performance.now() - reconcileStart;

    const probeIds = Array.from({ length: o.probes }, (_, i) => `${TAG}-${o.orders - i}`);
    browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`${m.type()}: ${m.text()}`.slice(0, 300));
    });
    await page.addInitScript({ content: pageInstrumentScript(probeIds) });
    const loadStart = performance.now();
    await page.goto(host.url);
    // A function, not a string: the page's CSP forbids eval, which a string predicate would need.
    await page
      .waitForFunction((n) => (globalThis as unknown as PageGlobals).document.body.innerText.includes(`${n} orders`), o.orders, {
        timeout: 300_000,
        polling: 200,
      })
      .catch(async (e: Error) => {
        const text = (await page.evaluate('document.body.innerText.slice(0, 600)').catch(() => '?')) as string;
        throw new Error(`${e.message}\npage errors: ${pageErrors.slice(0, 10).join(' | ')}\npage text: ${text.replace(/\s+/g, ' ')}`);
      });
    const loadMs = performance.now() - loadStart;
    await sleep(1_000);
    const visible = (await page.evaluate(`${JSON.stringify(probeIds)}.filter((id) => document.querySelector('[row-id="' + id + '"] [col-id="cumQty"]') !== null).length`)) as number;

    const cdp = await page.context().newCDPSession(page);
    // BENCH_PROFILE=1: a CPU profile of the renderer during the update run, for chrome://inspect or speedscope.
    const profiling = process.env.BENCH_PROFILE === '1';
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await page.evaluate('window.__bench.measuring = true');
    const fired = await fh.fire({ rate: o.updatesPerSecond, durationMs: o.seconds * 1000, probeEveryMs: 100, probeClOrdIds: probeIds, from: 0, to: o.orders - o.probes });
    await sleep(2_000); // let the tail drain and paint
    const page_ = (await page.evaluate('window.__bench.measuring = false, JSON.parse(JSON.stringify(window.__bench))')) as {
      frames: number[];
      longTasks: number[];
      seen: Array<{ orderId: string; cum: number; mutatedAt: number; paintedAt?: number }>;
      wsProbes: Array<{ orderId: string; cum: number; wsAt: number; updatedAt: string }>;
      wsMessages: number;
      wsBytes: number;
    };
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(join(REPO_ROOT, '.bench', 'prof'), { recursive: true });
      writeFileSync(join(REPO_ROOT, '.bench', 'prof', `renderer-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    await cdp.send('Performance.enable');
    const metrics = (await cdp.send('Performance.getMetrics')).metrics as Array<{ name: string; value: number }>;
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    const hostRss = await rssMb(host.pid);
    const renderers = (await descendants(process.pid)).filter((p) => p.cmdline.includes('--type=renderer'));
    const rendererRss = (await Promise.all(renderers.map((p) => rssMb(p.pid)))).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);

    // Join: probe (order, cum) → sent (firehose) → core (updatedAt) → ws arrival → painted.
    const key = (id: string, cum: number) => `${id}:${cum}`;
    const sent = new Map(fired.probes.map((p) => [key(p.clOrdId, p.cum), p.sentAt]));
    const ws = new Map(page_.wsProbes.map((p) => [key(p.orderId, p.cum), p]));
    const toPaint: number[] = [];
    const coreToPaint: number[] = [];
    const sendToCore: number[] = [];
    const coreToWs: number[] = [];
    const wsToPaint: number[] = [];
    let skipped = 0;
    for (const s of page_.seen) {
      const sentAt = sent.get(key(s.orderId, s.cum));
      if (sentAt === undefined || s.paintedAt === undefined) continue;
      toPaint.push(s.paintedAt - sentAt);
      const w = ws.get(key(s.orderId, s.cum));
      if (w !== undefined) {
        const coreAt = Date.parse(w.updatedAt);
        sendToCore.push(coreAt - sentAt);
        coreToWs.push(w.wsAt - coreAt);
        wsToPaint.push(s.paintedAt - w.wsAt);
        coreToPaint.push(s.paintedAt - coreAt);
      }
    }
    // A probe whose cell was repainted with a later value (coalesced) never showed on its own.
    skipped = fired.probes.length - toPaint.length;
    const frames = distribution(page_.frames);
    const paint = distribution(toPaint);
    const corePaint = distribution(coreToPaint);
    const longest = page_.longTasks.length > 0 ? Math.max(...page_.longTasks) : 0;
    const deliveredRate = (fired.sent / (fired.endedAt - fired.startedAt)) * 1000;
    const S = '5 blotter';
    const F = '7 footprint';
    return {
      rows: [
        row(S, `updates delivered (firehose)`, deliveredRate, '/s', o.updatesPerSecond, `${fired.sent} fills over ${((fired.endedAt - fired.startedAt) / 1000).toFixed(1)} s to ${o.orders} orders`),
        row(S, 'frame time p50', frames.p50, 'ms', 1000 / 60, `${frames.n} frames; baseline = one 60 Hz frame`),
        row(S, 'frame time p95', frames.p95, 'ms', 1000 / 60),
        row(S, 'frame time max', frames.max, 'ms', 1000 / 60),
        row(S, 'long tasks (> 50 ms)', page_.longTasks.length, 'count', undefined, `longest ${longest.toFixed(0)} ms; total ${page_.longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms`),
        row(S, 'report-to-paint p50 (FIX send → painted)', paint.p50, 'ms', undefined, `${paint.n} probes painted of ${fired.probes.length} sent (${visible}/${o.probes} probe rows on screen)`),
        row(S, 'report-to-paint p95 (FIX send → painted)', paint.p95, 'ms'),
        row(S, 'core-to-paint p50 / p95 (journaled → painted)', `${corePaint.p50.toFixed(1)} / ${corePaint.p95.toFixed(1)}`, 'ms', undefined, 'updatedAt has ms resolution'),
        row(S, 'breakdown p50: send→core | core→ws | ws→paint', `${distribution(sendToCore).p50.toFixed(1)} | ${distribution(coreToWs).p50.toFixed(1)} | ${distribution(wsToPaint).p50.toFixed(1)}`, 'ms'),
        row(S, 'breakdown p95: send→core | core→ws | ws→paint', `${distribution(sendToCore).p95.toFixed(1)} | ${distribution(coreToWs).p95.toFixed(1)} | ${distribution(wsToPaint).p95.toFixed(1)}`, 'ms'),
        row(S, 'WebSocket messages/s during the run', page_.wsMessages / o.seconds, '/s', undefined, `${(page_.wsBytes / 1e6 / o.seconds).toFixed(1)} MB/s`),
        row(S, `page load to ${o.orders} rows shown`, loadMs, 'ms'),
        row(F, `host start → ready at ${o.orders} orders`, hostReadyMs, 'ms', undefined, `logon reconciliation (${status.statusRequests} status requests) ${reconcileMs.toFixed(0)} ms more`),
        row(F, `core (host process) RSS at ${o.orders} orders`, hostRss, 'MB', undefined, 'after the update run'),
        row(F, `renderer process RSS`, rendererRss, 'MB', undefined, `${renderers.length} renderer process(es)`),
        row(F, `renderer JS heap used (CDP)`, metric('JSHeapUsedSize') / 1e6, 'MB', undefined, `total ${(metric('JSHeapTotalSize') / 1e6).toFixed(0)} MB, ${metric('Nodes')} DOM nodes`),
      ],
      budgets: [
        { budget: 'blotter p95 frame ≤ 16.7 ms', measured: `${frames.p95.toFixed(1)} ms (p50 ${frames.p50.toFixed(1)}, max ${frames.max.toFixed(0)})`, pass: frames.p95 <= 16.7 },
        { budget: 'no long task > 50 ms', measured: `${page_.longTasks.length} long tasks, longest ${longest.toFixed(0)} ms`, pass: page_.longTasks.length === 0 },
        { budget: 'report-to-paint p95 ≤ 100 ms', measured: paint.n > 0 ? `${paint.p95.toFixed(1)} ms (p50 ${paint.p50.toFixed(1)}, n=${paint.n})` : 'no probe painted', pass: paint.n > 0 ? paint.p95 <= 100 : false },
      ],
      details: { frames, paint, corePaint, longTasks: page_.longTasks, skipped, buildMs, hostReadyMs, reconcileMs, loadMs, metrics, hostRss, rendererRss, deliveredRate, probesSent: fired.probes.length, probesVisible: visible },
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await firehose?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
