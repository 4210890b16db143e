/**
 * 5. Blotter and 7. footprint at N orders, in Chromium through the headless host process.
 *
 * Setup: a generated journal of N open orders (broker FH), the host process on it (built, as the app
 * ships: bench/lib/host-entry.ts; the row "host start → ready" names what ran), the bench's FIX
 * counterparty (fix-firehose) as broker FH. After the page shows all N orders, the firehose streams
 * partial fills at R reports/s for D seconds over FIX/TCP through the real path (FIX → desk → journal →
 * publisher → WebSocket → store → ag-grid).
 *
 * Report-to-paint: every 100 ms one fill goes to a "probe" order among the newest (on screen, the grid
 * sorts by time, newest first); each probe raises that order's CumQty by one, so (order, CumQty) names
 * the report. The firehose records the wall-clock time it wrote the report to the socket (before the
 * report enters the core: a conservative start). In the page a MutationObserver sees the Cum qty cell
 * change; a message posted during the rendering of the first frame that shows it (from the page's
 * requestAnimationFrame callback that made the change, or from the next frame's when the change came
 * from any other task) runs once that frame has been produced: its time is "painted". Both clocks are the machine's wall clock (performance.timeOrigin +
 * performance.now()). The page also notes when the WebSocket message carrying the probe arrived and the
 * order's updatedAt (the desk's clock when it journaled the report), for a breakdown.
 *
 * Phases, reported apart: 'load' (navigation until the toolbar counts N orders and the grid holds
 * them), then a second of 'settle', then 'live' (the stream: the budgets), see page-instrument.ts.
 * BENCH_BLOTTER_RATE / _SECONDS / _ORDERS / _PROBES override the sizes (e.g. a rate the core sustains,
 * to isolate the renderer and the host's WebSocket side); BENCH_PROFILE=live|load|all|alloc and
 * BENCH_TRACE=1 write profiles to .bench/prof/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession } from 'playwright-core';
import { deskConfigFor } from '../lib/desk-harness';
import { Firehose, QuoteFirehose, REPO_ROOT, TARGET_ROOT } from '../lib/firehose';
import { benchInstrumentIds, benchSymbolOf, quoteToPaint, waitForAsync, writeBenchInstruments, writeWatchWorkspace } from '../lib/quote-bench';
import { BENCH_LIMIT_PRICE, generateOpenOrdersJournal } from '../lib/journal-gen';
import { pageInstrumentScript } from '../lib/page-instrument';
import { descendants, rssMb } from '../lib/processes';
import type { SuiteResult } from '../lib/report';
import { row, sideBySide } from '../lib/report';
import { distribution, sleep } from '../lib/stats';
import { startHostProcess } from './startup';
import type { HostProcess } from './startup';
import { chromiumLaunchOptions } from '../../e2e/support/chromium';
import { positiveEnvNumber } from '../lib/env-number';

export interface BlotterOptions {
  readonly orders: number;
  readonly updatesPerSecond: number;
  readonly seconds: number;
  readonly probes: number;
}

/**
 * Quotes streamed beside the fills (suite `quotes`): `instruments` instruments of a generated master,
 * all in the market watch (seeded in the workspace), refreshed at `rate` per second by the bench's
 * market-data counterparty over FIX; every 100 ms a probe trade on one of the first `probes` rows.
 */
export interface QuoteLoad {
  readonly instruments: number;
  readonly rate: number;
  readonly probes: number;
}

const TAG = 'BENCH';

/** The little of the page's globals the bench reads (its tsconfig has no DOM types). */
interface PageGlobals {
  readonly document: {
    readonly body: { readonly innerText: string };
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
}
/** Builds the renderer of the tree at `root` into `staticDir` (so the run measures the code in that working tree). */
export function buildRenderer(root: string = TARGET_ROOT, staticDir: string = join(REPO_ROOT, '.bench', 'renderer')): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'app/vite.config.mts', '--outDir', staticDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}


/**
 * Overrides from the environment, to measure at a rate the core sustains (isolating the renderer and
 * the host's WebSocket side) or for a shorter run:
 *   BENCH_BLOTTER_RATE=2500 BENCH_BLOTTER_SECONDS=15 BENCH_BLOTTER_ORDERS=100000 npm run bench -- --only=blotter
 */
export function blotterOptionsFromEnv(o: BlotterOptions, env: Readonly<Record<string, string | undefined>> = process.env): BlotterOptions {
  const num = (name: string, fallback: number): number => positiveEnvNumber(env, name, fallback);
  return {
    orders: Math.round(num('BENCH_BLOTTER_ORDERS', o.orders)),
    updatesPerSecond: num('BENCH_BLOTTER_RATE', o.updatesPerSecond),
    seconds: num('BENCH_BLOTTER_SECONDS', o.seconds),
    probes: Math.round(num('BENCH_BLOTTER_PROBES', o.probes)),
  };
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), or NaN. */
async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of the host and of the browser's processes by type (renderer, gpu-process, the rest). */
export async function cpuByProcess(hostPid: number): Promise<Record<'host' | 'renderer' | 'gpu' | 'browser', number>> {
  const browser = await descendants(process.pid);
  const sum = async (pids: number[]) => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const ofType = (type: string) => browser.filter((p) => p.cmdline.includes(`--type=${type}`)).map((p) => p.pid);
  const chromium = browser.filter((p) => /chrom/.test(p.cmdline) && !p.cmdline.includes('--type=')).map((p) => p.pid);
  return { host: await cpuSeconds(hostPid), renderer: await sum(ofType('renderer')), gpu: await sum(ofType('gpu-process')), browser: await sum(chromium) };
}

/** The renderer's cumulative main-thread durations (CDP Performance metrics), in seconds. */
async function durations(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const names = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'];
  return Object.fromEntries(metrics.filter((m) => names.includes(m.name)).map((m) => [m.name, m.value]));
}

/**
 * The page's composited layers (CDP LayerTree), and how many are grid rows' pinned sections: each layer
 * costs every frame's layerisation and commit, whatever changed (see app/src/grid/pinned-sections.ts).
 */
async function compositedLayers(cdp: CDPSession): Promise<{ total: number; sticky: number }> {
  const layers = await new Promise<Array<{ backendNodeId?: number }>>((resolveLayers, reject) => {
    const timer = setTimeout(() => reject(new Error('no LayerTree.layerTreeDidChange within 5 s')), 5_000);
    cdp.once('LayerTree.layerTreeDidChange', (e: { layers?: Array<{ backendNodeId?: number }> }) => {
      clearTimeout(timer);
      resolveLayers(e.layers ?? []);
    });
    void cdp.send('LayerTree.enable');
  });
  await cdp.send('LayerTree.disable');
  let sticky = 0;
  for (const layer of layers) {
    if (layer.backendNodeId === undefined) continue;
    const { node } = (await cdp.send('DOM.describeNode', { backendNodeId: layer.backendNodeId })) as { node: { attributes?: string[] } };
    const classes = node.attributes?.[node.attributes.indexOf('class') + 1] ?? '';
    if (node.attributes?.includes('class') === true && /\bag-grid-pinned-(left|right)-cells\b/.test(classes)) sticky++;
  }
  return { total: layers.length, sticky };
}

/** A sampled CPU profile of the renderer (0.5 ms); stopProfile writes it to .bench/prof/. */
async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}

async function stopProfile(cdp: CDPSession, phase: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop');
  mkdirSync(join(REPO_ROOT, '.bench', 'prof'), { recursive: true });
  writeFileSync(join(REPO_ROOT, '.bench', 'prof', `renderer-${phase}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
}

/**
 * BENCH_BLOTTER_BASELINE_ROOT=<another tree> measures that tree's host and renderer too, in the same
 * run, alternating with this one (BENCH_BLOTTER_ROUNDS rounds each, default 1): every row of this tree
 * is printed beside the other's as its baseline (suite '5 blotter vs baseline'), and the budgets are
 * this tree's.
 */
export async function runBlotter(options: BlotterOptions): Promise<SuiteResult> {
  const o = blotterOptionsFromEnv(options);
  const baselineRoot = process.env.BENCH_BLOTTER_BASELINE_ROOT;
  if (baselineRoot === undefined || baselineRoot === '') return measureBlotter(o, TARGET_ROOT);
  const rounds = Math.max(1, Number(process.env.BENCH_BLOTTER_ROUNDS ?? '1'));
  const ours: SuiteResult[] = [];
  const theirs: SuiteResult[] = [];
  for (let round = 0; round < rounds; round++) {
    theirs.push(await measureBlotter(o, resolve(baselineRoot)));
    ours.push(await measureBlotter(o, TARGET_ROOT));
  }
  return sideBySide(ours, theirs, resolve(baselineRoot));
}

export async function measureBlotter(o: BlotterOptions, root: string, quotes?: QuoteLoad): Promise<SuiteResult> {
  const staticDir = join(REPO_ROOT, '.bench', root === REPO_ROOT ? 'renderer' : `renderer-${basename(root)}`);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-blotter-'));
  let firehose: Firehose | undefined;
  let quoteFirehose: QuoteFirehose | undefined;
  let host: HostProcess | undefined;
  let browser: Browser | undefined;
  try {
    const t0 = performance.now();
    buildRenderer(root, staticDir);
    const buildMs = performance.now() - t0;
    const dataDir = join(dir, 'data');
    const qty = 1_000_000_000;
    // Each tree writes its own journal (its schema, its fold): another tree's host may not read this one's.
    const generate = root === REPO_ROOT ? generateOpenOrdersJournal : ((await import(pathToFileURL(join(root, 'bench/lib/journal-gen.ts')).href)) as { generateOpenOrdersJournal: typeof generateOpenOrdersJournal }).generateOpenOrdersJournal;
    generate(join(dataDir, 'desk.sqlite'), o.orders, 'FH', TAG, qty);
    firehose = await Firehose.start('FH');
    await firehose.loadRange(TAG, 1, o.orders, qty);
    const configPath = join(dir, 'desk.json');
    // Each tree's host reads its own config schema.
    const configFor = root === REPO_ROOT ? deskConfigFor : ((await import(pathToFileURL(join(root, 'bench/lib/desk-harness.ts')).href)) as { deskConfigFor: typeof deskConfigFor }).deskConfigFor;
    const config: Record<string, unknown> = { ...configFor([{ name: 'FH', port: firehose.port }]) };
    const quoteIds = quotes === undefined ? [] : benchInstrumentIds(quotes.instruments);
    if (quotes !== undefined) {
      quoteFirehose = await QuoteFirehose.start('QF');
      config['instruments'] = writeBenchInstruments(join(dir, 'instruments.csv'), quotes.instruments);
      config['marketData'] = { port: quoteFirehose.port, senderCompId: 'MERIDIAN-MD', targetCompId: 'QF', heartbeatSeconds: 300, reconnectSeconds: 1, staleAfterSeconds: 60 };
      writeWatchWorkspace(dataDir, quoteIds);
    }
    writeFileSync(configPath, JSON.stringify(config));

    host = await startHostProcess(configPath, dataDir, staticDir, root);
    const hostReadyMs = host.readyMs;
    const hostRan = host.entry;
    // Logon reconciliation: the desk asks the status of every open order. Let it finish first.
    const fh = firehose;
    const { statusRequests, ms: reconcileMs } = await fh.reconciled(o.orders);

    const probeIds = Array.from({ length: o.probes }, (_, i) => `${TAG}-${o.orders - i}`);
    browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`${m.type()}: ${m.text()}`.slice(0, 300));
    });
    const quoteProbeIds = quoteIds.slice(0, quotes?.probes ?? 0);
    await page.addInitScript({ content: pageInstrumentScript(probeIds, quoteProbeIds) });
    const cdp = await page.context().newCDPSession(page);
    const profileMode = process.env.BENCH_PROFILE ?? '';
    const profile = {
      load: profileMode === 'load' || profileMode === 'all',
      live: profileMode === '1' || profileMode === 'live' || profileMode === 'all',
      alloc: profileMode === 'alloc',
    };
    if (profile.load) await startProfile(cdp);
    const loadStart = performance.now();
    await page.goto(host.url);
    // A function, not a string: the page's CSP forbids eval, which a string predicate would need.
    await page
      .waitForFunction(
        (n) => {
          const doc = (globalThis as unknown as PageGlobals).document;
          // The count in the toolbar (the store) and the grid's own row count (aria-rowcount = rows + header).
          const grid = doc.querySelector('.orders-blotter [aria-rowcount]');
          const text = doc.body.innerText;
          // "100000 orders" (a tree before the views) or "100,000 shown of 100,000 orders".
          return (text.includes(`${n} orders`) || text.includes(`${n.toLocaleString('en-US')} orders`)) && grid !== null && Number(grid.getAttribute('aria-rowcount')) > n;
        },
        o.orders,
        { timeout: 300_000, polling: 200 },
      )
      .catch(async (e: Error) => {
        const text = (await page.evaluate('document.body.innerText.slice(0, 600)').catch(() => '?')) as string;
        throw new Error(`${e.message}\npage errors: ${pageErrors.slice(0, 10).join(' | ')}\npage text: ${text.replace(/\s+/g, ' ')}`);
      });
    const loadMs = performance.now() - loadStart;
    // The live phase runs with a filter on (the Working view, all N orders in it) and the pinned totals
    // row (always there), where the tree has them; BENCH_BLOTTER_FILTER=0 leaves the view at All.
    const filtered = process.env.BENCH_BLOTTER_FILTER !== '0' && (await page.getByRole('button', { name: 'Working', exact: true }).count()) > 0;
    if (filtered) {
      await page.getByRole('button', { name: 'Working', exact: true }).click();
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[aria-pressed="true"][title^="Orders still working"]') !== null, undefined, { timeout: 30_000, polling: 100 });
    }
    await page.evaluate("window.__bench.setPhase('settle')");
    if (profile.load) await stopProfile(cdp, 'load');
    // The market watch subscribed every instrument (the desk asked the feed for each).
    const qf = quoteFirehose;
    if (qf !== undefined && quotes !== undefined) await waitForAsync(async () => (await qf.stats()).subscriptions >= quotes.instruments, 60_000, `${quotes.instruments} market-data subscriptions`);
    await sleep(1_000);
    const visible = (await page.evaluate(`${JSON.stringify(probeIds)}.filter((id) => document.querySelector('[row-id="' + id + '"] [col-id="cumQty"]') !== null).length`)) as number;

    // BENCH_PROFILE=1 (or live): a CPU profile of the renderer during the update run; =load: during the
    // page load (snapshot); =all: both; =alloc: a sampling heap profile of the update run instead.
    if (profile.live) await startProfile(cdp);
    // BENCH_PROFILE=alloc: a sampling heap profile (where the live phase allocates), for DevTools' Memory panel.
    if (profile.alloc) await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    // BENCH_TRACE=1: a Chrome timeline trace of the update run (style, layout, paint, GC…), for chrome://tracing or Perfetto.
    const tracePath = join(REPO_ROOT, '.bench', 'prof', `renderer-live-${Date.now()}.trace.json`);
    if (process.env.BENCH_TRACE === '1') {
      mkdirSync(join(REPO_ROOT, '.bench', 'prof'), { recursive: true });
      await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
    }
    await cdp.send('Performance.enable');
    const cpuBefore = await cpuByProcess(host.pid);
    const durationsBefore = await durations(cdp);
    await page.evaluate("window.__bench.setPhase('live')");
    const [fired, quotesFired] = await Promise.all([
      // At the orders' limit: a fill beyond a sell's limit raises an alert, a flood no real blotter at this rate has (BENCH_BLOTTER_BEYOND_LIMIT=1 brings it back).
      fh.fire({ rate: o.updatesPerSecond, durationMs: o.seconds * 1000, probeEveryMs: 100, probeClOrdIds: probeIds, from: 0, to: o.orders - o.probes, price: process.env.BENCH_BLOTTER_BEYOND_LIMIT === '1' ? '100.25' : BENCH_LIMIT_PRICE }),
      qf !== undefined && quotes !== undefined ? qf.fire({ rate: quotes.rate, durationMs: o.seconds * 1000, probeEveryMs: 100, probeSymbols: quoteProbeIds.map(benchSymbolOf) }) : undefined,
    ]);
    await sleep(2_000); // let the tail drain and paint
    await page.evaluate("window.__bench.setPhase('done')");
    const cpuAfter = await cpuByProcess(host.pid);
    const durationsAfter = await durations(cdp);
    const isolated = (await page.evaluate('globalThis.crossOriginIsolated === true')) as boolean;
    // Convergence: each probe row on screen shows the Cum qty of the last report sent to it.
    const shownCum = (await page.evaluate(`Object.fromEntries(${JSON.stringify(probeIds)}.map((id) => [id, document.querySelector('[row-id="' + id + '"] [col-id="cumQty"]')?.textContent ?? null]))`)) as Record<string, string | null>;
    const lastCum = new Map<string, number>();
    for (const p of fired.probes) lastCum.set(p.clOrdId, Math.max(lastCum.get(p.clOrdId) ?? 0, p.cum));
    const converged = [...lastCum].filter(([id, cum]) => shownCum[id] !== null && shownCum[id] !== undefined && Number((shownCum[id] ?? '').replace(/[^0-9]/g, '')) === cum).length;
    // The executions tape: its rows on screen are the newest fills, newest first (the firehose numbers its ExecIDs …-E1, -E2…).
    const tapeIds = (await page.evaluate(`[...document.querySelectorAll('.executions-blotter .ag-row [col-id="execId"]')].map((c) => [Number(c.closest('[row-index]').getAttribute('row-index')), c.textContent])`)) as Array<[number, string]>;
    const tapeInOrder = tapeIds.filter(([index, id]) => id.endsWith(`-E${fired.sent - index}`)).length;
    const layers = await compositedLayers(cdp);
    await sleep(200); // long-task entries are delivered after the task
    type Phased<T> = Record<'load' | 'settle' | 'live' | 'done', T>;
    const page_ = (await page.evaluate('JSON.parse(JSON.stringify(window.__bench))')) as {
      frames: Phased<number[]>;
      longTasks: Phased<number[]>;
      longTaskStarts: Phased<number[]>;
      seen: Array<{ orderId: string; cum: number; mutatedAt: number; paintedAt?: number; inFrame?: boolean }>;
      quoteSeen: Array<{ instrumentId: string; last: string; mutatedAt: number; paintedAt?: number }>;
      wsQuotes: Array<{ instrumentId: string; last: string; wsAt: number; updatedAt: string }>;
      wsProbes: Array<{ orderId: string; cum: number; wsAt: number; updatedAt: string }>;
      wsMessages: Phased<number>;
      wsBytes: Phased<number>;
    };
    if (profile.live) await stopProfile(cdp, 'live');
    if (profile.alloc) {
      const { profile: heap } = await cdp.send('HeapProfiler.stopSampling');
      mkdirSync(join(REPO_ROOT, '.bench', 'prof'), { recursive: true });
      writeFileSync(join(REPO_ROOT, '.bench', 'prof', `renderer-alloc-${Date.now()}.heapprofile`), JSON.stringify(heap));
    }
    if (process.env.BENCH_TRACE === '1') await browser.stopTracing();
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
    const frames = distribution(page_.frames.live);
    const loadFrames = distribution(page_.frames.load);
    const paint = distribution(toPaint);
    const corePaint = distribution(coreToPaint);
    const tasks = (phase: 'load' | 'settle' | 'live') => {
      const list = page_.longTasks[phase];
      return { n: list.length, max: list.length > 0 ? Math.max(...list) : 0, total: list.reduce((a, b) => a + b, 0) };
    };
    const live = tasks('live');
    const load = tasks('load');
    const settle = tasks('settle');
    const deliveredRate = (fired.sent / (fired.endedAt - fired.startedAt)) * 1000;
    const liveSeconds = o.seconds + 2;
    const cpu = (k: keyof typeof cpuBefore) => (cpuAfter[k] - cpuBefore[k]) / liveSeconds;
    const main = (k: string) => ((durationsAfter[k] ?? Number.NaN) - (durationsBefore[k] ?? Number.NaN)) / liveSeconds;
    const breakdown = { sendToCore: distribution(sendToCore), coreToWs: distribution(coreToWs), wsToPaint: distribution(wsToPaint) };
    const quoteRows = quotesFired === undefined || quotes === undefined ? undefined : quoteToPaint(quotesFired, page_.quoteSeen, page_.wsQuotes, quotes, o.seconds);
    const S = '5 blotter';
    const L = '5 blotter load';
    const F = '7 footprint';
    const rate = `${o.updatesPerSecond.toLocaleString('en-US')}/s × ${o.seconds} s`;
    return {
      rows: [
        row(S, `updates delivered (firehose, asked ${rate})`, deliveredRate, '/s', o.updatesPerSecond, `${fired.sent} fills over ${((fired.endedAt - fired.startedAt) / 1000).toFixed(1)} s to ${o.orders} orders${filtered ? '; Working view and totals row on' : ''}`),
        row(S, 'live: frame time p50', frames.p50, 'ms', 1000 / 60, `${frames.n} frames; baseline = one 60 Hz frame`),
        row(S, 'live: frame time p95', frames.p95, 'ms', 1000 / 60),
        row(S, 'live: frame time max', frames.max, 'ms', 1000 / 60),
        row(S, 'live: frames longer than 25 ms (missed vsyncs)', page_.frames.live.filter((f) => f > 25).length, 'count', undefined, `of ${frames.n}; timer resolution ${isolated ? '5 µs (page cross-origin isolated)' : '0.1 ms: a 60 Hz frame reads 16.6–16.8'}`),
        row(S, 'live: long tasks (> 50 ms)', live.n, 'count', undefined, `longest ${live.max.toFixed(0)} ms; total ${live.total.toFixed(0)} ms`),
        row(S, 'live: report-to-paint p50 (FIX send → painted)', paint.p50, 'ms', undefined, `${paint.n} probes painted of ${fired.probes.length} sent (${visible}/${o.probes} probe rows on screen); ${page_.seen.filter((x) => x.inFrame === true).length} changed inside a frame's rAF callbacks`),
        row(S, 'live: report-to-paint p95 (FIX send → painted)', paint.p95, 'ms', undefined, `max ${paint.max.toFixed(1)} ms`),
        row(S, 'live: core-to-paint p50 / p95 (journaled → painted)', `${corePaint.p50.toFixed(1)} / ${corePaint.p95.toFixed(1)}`, 'ms', undefined, 'updatedAt has ms resolution'),
        row(S, 'live: breakdown p50: send→core | core→ws | ws→paint', `${breakdown.sendToCore.p50.toFixed(1)} | ${breakdown.coreToWs.p50.toFixed(1)} | ${breakdown.wsToPaint.p50.toFixed(1)}`, 'ms'),
        row(S, 'live: breakdown p95: send→core | core→ws | ws→paint', `${breakdown.sendToCore.p95.toFixed(1)} | ${breakdown.coreToWs.p95.toFixed(1)} | ${breakdown.wsToPaint.p95.toFixed(1)}`, 'ms'),
        row(S, 'live: CPU host | renderer | gpu | browser', `${cpu('host').toFixed(2)} | ${cpu('renderer').toFixed(2)} | ${cpu('gpu').toFixed(2)} | ${cpu('browser').toFixed(2)}`, 'cores', undefined, 'CPU seconds per second of the live phase (/proc), all processes of each kind'),
        row(S, 'live: renderer main thread task | script | layout | style', `${(main('TaskDuration') * 1000).toFixed(0)} | ${(main('ScriptDuration') * 1000).toFixed(0)} | ${(main('LayoutDuration') * 1000).toFixed(0)} | ${(main('RecalcStyleDuration') * 1000).toFixed(0)}`, 'ms/s', undefined, 'CDP Performance metrics over the live phase (wall time, includes preemption)'),
        row(S, 'live: probe rows showing their last report', converged, 'count', undefined, `of ${lastCum.size} probed (Cum qty cell after the stream)`),
        row(S, 'live: executions rows showing the newest fills in order', tapeInOrder, 'count', undefined, `of ${tapeIds.length} on screen after the stream`),
        row(S, 'live: composited layers (end of the stream)', layers.total, 'count', undefined, `${layers.sticky} of them pinned-column sections of grid rows and headers; every frame produced re-layerises them all`),
        row(S, 'live: WebSocket messages/s', page_.wsMessages.live / liveSeconds, '/s', undefined, `${(page_.wsBytes.live / 1e6 / liveSeconds).toFixed(2)} MB/s`),
        row(L, `load: page load to ${o.orders} rows shown`, loadMs, 'ms', undefined, `${page_.wsMessages.load} WebSocket messages, ${(page_.wsBytes.load / 1e6).toFixed(1)} MB`),
        row(L, 'load: long tasks (> 50 ms)', load.n, 'count', undefined, `longest ${load.max.toFixed(0)} ms; total ${load.total.toFixed(0)} ms (navigation → all rows shown)`),
        row(L, 'load: frame time p95 / max', `${loadFrames.p95.toFixed(1)} / ${loadFrames.max.toFixed(0)}`, 'ms', undefined, `${loadFrames.n} frames`),
        row(L, 'settle: long tasks (> 50 ms)', settle.n, 'count', undefined, `longest ${settle.max.toFixed(0)} ms (the second after all rows are shown, before the stream)`),
        row(F, `host start → ready at ${o.orders} orders`, hostReadyMs, 'ms', undefined, `host: ${hostRan}; logon reconciliation (${statusRequests} status requests) ${reconcileMs.toFixed(0)} ms more`),
        row(F, `core (host process) RSS at ${o.orders} orders`, hostRss, 'MB', undefined, 'after the update run'),
        row(F, `renderer process RSS`, rendererRss, 'MB', undefined, `${renderers.length} renderer process(es)`),
        row(F, `renderer JS heap used (CDP)`, metric('JSHeapUsedSize') / 1e6, 'MB', undefined, `total ${(metric('JSHeapTotalSize') / 1e6).toFixed(0)} MB, ${metric('Nodes')} DOM nodes`),
        ...(quoteRows?.rows ?? []),
      ],
      budgets: [
        { budget: 'blotter p95 frame ≤ 16.7 ms (live)', measured: `${frames.p95.toFixed(1)} ms (p50 ${frames.p50.toFixed(1)}, max ${frames.max.toFixed(0)}) at ${rate}`, pass: frames.p95 <= 16.7 },
        { budget: 'no long task > 50 ms (live)', measured: `${live.n} long tasks, longest ${live.max.toFixed(0)} ms (load, reported apart: ${load.n}, longest ${load.max.toFixed(0)} ms)`, pass: live.n === 0 },
        { budget: 'report-to-paint p95 ≤ 100 ms (live)', measured: paint.n > 0 ? `${paint.p95.toFixed(1)} ms (p50 ${paint.p50.toFixed(1)}, n=${paint.n})` : 'no probe painted', pass: paint.n > 0 ? paint.p95 <= 100 : false },
        ...(quoteRows?.budgets ?? []),
      ],
      details: { options: o, quotes, quoteDetails: quoteRows?.details, filtered, frames, loadFrames, paint, corePaint, breakdown, cpu: { host: cpu('host'), renderer: cpu('renderer'), gpu: cpu('gpu'), browser: cpu('browser') }, mainThread: { task: main('TaskDuration'), script: main('ScriptDuration'), layout: main('LayoutDuration'), style: main('RecalcStyleDuration') }, longTasks: page_.longTasks, longTaskStarts: page_.longTaskStarts, skipped, buildMs, hostReadyMs, reconcileMs, loadMs, metrics, hostRss, rendererRss, deliveredRate, probesSent: fired.probes.length, probesVisible: visible, probesConverged: converged, tapeRowsInOrder: tapeInOrder, tapeRows: tapeIds.length, layers },
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await firehose?.stop();
    await quoteFirehose?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
