/**
 * 14. Positions in Chromium: fill-to-painted-position at R fills/s over P positions, through the
 * blotter suite's harness (the headless host process, built as the app ships (bench/lib/host-entry.ts,
 * named in the host CPU row), on a generated journal, the bench's FIX
 * counterparty as broker FH, the page instrumented by page-instrument.ts).
 *
 * Setup: P open orders, each in its own instrument (so each is one position of FUND-ALPHA), then one
 * fill to each over FIX (the positions exist), then the page on the Positions tab with no grouping (P
 * rows, virtual: the grid sorts them by key, the probe positions first, on screen).
 *
 * Fill-to-paint: every 100 ms one fill goes to a probe order; each raises the order's CumQty, and its
 * position's quantity, by one, so (order, quantity) names the fill. From when the firehose wrote the
 * fill to the socket (before it enters the core) until the first frame showing the probe position's new
 * Quantity was produced (the page's MutationObserver and a message posted from that frame). The rest of
 * the fills go round-robin to the other P − K orders at R/s (every one moves a position).
 * Beside it, the live phase's frames and long tasks (the blotter's budgets: p95 frame ≤ 16.7 ms, no
 * long task > 50 ms), with the positions screen shown.
 *
 * The fills are at the orders' limit: at the firehose's default price (below the limit) every sell's
 * fill was beyond its limit and raised an alert (a second journaled event, a log line, a row to the
 * page): half the fills, a load no real desk streaming 5,000 fills/s has. BENCH_POSITIONS_BEYOND_LIMIT=1
 * brings it back to compare. Beside the latencies, the CPU time the host and the browser used in the
 * live phase (Linux /proc), per fill: what the box's load does not change much.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { chromiumLaunchOptions } from '../../e2e/support/chromium';
import { deskConfigFor } from '../lib/desk-harness';
import { Firehose, REPO_ROOT, TARGET_ROOT } from '../lib/firehose';
import { BENCH_LIMIT_PRICE, generateOpenOrdersJournal } from '../lib/journal-gen';
import { pageInstrumentScript } from '../lib/page-instrument';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution, sleep } from '../lib/stats';
import { buildRenderer, cpuByProcess } from './blotter';
import { startHostProcess } from './startup';
import type { HostProcess } from './startup';

export interface PositionsBrowserOptions {
  readonly positions: number;
  readonly fillsPerSecond: number;
  readonly seconds: number;
  readonly probes: number;
}

const TAG = 'BPOS';

/** The little of the page's globals the bench reads (its tsconfig has no DOM types). */
interface PageGlobals {
  readonly document: { readonly body: { readonly innerText: string }; querySelectorAll(selector: string): { readonly length: number } };
}

/**
 * The symbol of each order's instrument (order n trades symbols[n mod P]): the probes' (the last K
 * orders) sort first (PA…, the others S…), so their positions are the grid's first rows.
 */
function symbolsFor(positions: number, probes: number): { symbols: string[]; probeOrders: number[] } {
  const probeOrders = Array.from({ length: probes }, (_, k) => positions - k);
  const probeIndex = new Map(probeOrders.map((n, k) => [n % positions, k]));
  const symbols = Array.from({ length: positions }, (_, i) => {
    const k = probeIndex.get(i);
    return k === undefined ? `S${String(i).padStart(5, '0')}` : `PA${String(k).padStart(3, '0')}`;
  });
  return { symbols, probeOrders };
}

export async function measurePositionsBrowser(o: PositionsBrowserOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-positions-'));
  const staticDir = join(REPO_ROOT, '.bench', 'renderer');
  let firehose: Firehose | undefined;
  let host: HostProcess | undefined;
  let browser: Browser | undefined;
  try {
    buildRenderer(TARGET_ROOT, staticDir); // BENCH_TARGET_ROOT: another tree's host and page, for before/after
    const dataDir = join(dir, 'data');
    const qty = 1_000_000_000;
    const { symbols, probeOrders } = symbolsFor(o.positions, o.probes);
    generateOpenOrdersJournal(join(dataDir, 'desk.sqlite'), o.positions, 'FH', TAG, qty, { symbols });
    firehose = await Firehose.start('FH');
    await firehose.loadRange(TAG, 1, o.positions, qty, symbols);
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(deskConfigFor([{ name: 'FH', port: firehose.port }])));
    host = await startHostProcess(configPath, dataDir, staticDir, TARGET_ROOT);
    const hostRan = host.entry;
    const fh = firehose;
    // Logon reconciliation asks the status of every open order: let it finish.
    await fh.reconciled(o.positions);
    const price = process.env.BENCH_POSITIONS_BEYOND_LIMIT === '1' ? '100.25' : BENCH_LIMIT_PRICE;
    // One fill to every order: P positions (each of one order's fills; quantity = ±CumQty).
    const opened = await fh.fire({ rate: Math.max(o.fillsPerSecond, 5_000), count: o.positions, from: 0, to: o.positions, price });

    const probeIds = probeOrders.map((n) => `${TAG}-${n}`);
    const positionProbes = Object.fromEntries(probeOrders.map((n) => [`FUND-ALPHA|${symbols[n % o.positions]}.XNAS`, `${TAG}-${n}`]));
    browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    if (process.env.BENCH_DEBUG === '1') {
      page.on('console', (m) => console.error(m.type(), m.text().slice(0, 1500)));
      page.on('websocket', (ws) => ws.on('framereceived', (f) => {
        if (f.payload.length > 900_000) console.error('big frame', f.payload.length, String(f.payload).slice(0, 300));
      }));
    }
    await page.addInitScript({ content: pageInstrumentScript([], [], positionProbes) });
    const loadStart = performance.now();
    await page.goto(host.url);
    // The page first loads every order (the blotter's snapshot) and every position: minutes at full size on a busy box.
    const view = page.getByRole('region', { name: 'Positions' });
    const explain = async (e: Error): Promise<never> => {
      const text = (await page.evaluate('document.body.innerText.slice(0, 800)').catch(() => '?')) as string;
      throw new Error(`${e.message}\npage errors: ${pageErrors.slice(0, 10).join(' | ')}\npage text: ${text.replace(/\s+/g, ' ')}`);
    };
    await page.getByRole('tab', { name: 'Positions' }).click({ timeout: 300_000 }).catch(explain);
    await view.getByLabel('Group by').selectOption({ label: 'No grouping' }, { timeout: 300_000 }).catch(explain);
    await page
      .waitForFunction(
        ([n, firstProbe]) => {
          const doc = (globalThis as unknown as PageGlobals).document;
          return doc.body.innerText.includes(`Total (${n})`) && doc.querySelectorAll(`.positions-grid [row-id="${firstProbe}"]`).length > 0;
        },
        [o.positions, Object.keys(positionProbes)[0] ?? ''] as const,
        { timeout: 300_000, polling: 200 },
      )
      .catch(explain);
    const loadMs = performance.now() - loadStart;
    await page.evaluate("window.__bench.setPhase('settle')");
    await sleep(1_000);
    const visible = (await page.evaluate(`${JSON.stringify(Object.keys(positionProbes))}.filter((id) => document.querySelector('.positions-grid [row-id="' + id + '"] [col-id="quantity"]') !== null).length`)) as number;

    // BENCH_PAGE_PROFILE=<file>: a CPU profile of the page's main thread over the live phase (Chrome DevTools format).
    const pageProfile = process.env.BENCH_PAGE_PROFILE;
    const cdp = pageProfile !== undefined ? await page.context().newCDPSession(page) : undefined;
    if (cdp !== undefined) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.evaluate("window.__bench.setPhase('live')");
    const cpuBefore = await cpuByProcess(host.pid);
    const fired = await fh.fire({ rate: o.fillsPerSecond, durationMs: o.seconds * 1000, probeEveryMs: 100, probeClOrdIds: probeIds, from: 0, to: o.positions - o.probes, price });
    // The tail drains and paints: until every probe position shows its last fill (the host may be seconds
    // behind), so the CPU below is what absorbing every fill sent cost. At most two minutes.
    const firedAt = performance.now();
    const lastSent = new Map<string, number>();
    for (const p of fired.probes) lastSent.set(p.clOrdId, Math.max(lastSent.get(p.clOrdId) ?? 0, p.cum));
    const expectShown = Object.fromEntries(Object.entries(positionProbes).map(([rowId, orderId]) => [rowId, lastSent.get(orderId) ?? 0]));
    await page
      .waitForFunction(
        (expected) => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
          return Object.entries(expected).every(([rowId, cum]) => Number((doc.querySelector(`.positions-grid [row-id="${rowId}"] [col-id="quantity"]`)?.textContent ?? '').replace(/[^0-9]/g, '')) >= cum);
        },
        expectShown,
        { timeout: 120_000, polling: 100 },
      )
      .catch(() => undefined);
    const drainMs = performance.now() - firedAt;
    await sleep(200);
    const cpuAfter = await cpuByProcess(host.pid);
    if (cdp !== undefined && pageProfile !== undefined) writeFileSync(pageProfile, JSON.stringify(((await cdp.send('Profiler.stop')) as { profile: unknown }).profile));
    const liveSeconds = o.seconds + drainMs / 1000;
    const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - cpuBefore[k as keyof typeof cpuBefore]])) as typeof cpuAfter;
    await page.evaluate("window.__bench.setPhase('done')");
    await sleep(200); // long-task entries arrive after the task
    type Phased<T> = Record<'load' | 'settle' | 'live' | 'done', T>;
    const page_ = (await page.evaluate('JSON.parse(JSON.stringify(window.__bench))')) as {
      frames: Phased<number[]>;
      longTasks: Phased<number[]>;
      seen: Array<{ orderId: string; cum: number; paintedAt?: number }>;
      wsPositions: Array<{ orderId: string; cum: number; wsAt: number }>;
    };
    // Convergence: each probe position shows the quantity of the last fill sent to its order.
    const shown = (await page.evaluate(`Object.fromEntries(Object.entries(${JSON.stringify(positionProbes)}).map(([rowId, orderId]) => [orderId, document.querySelector('.positions-grid [row-id="' + rowId + '"] [col-id="quantity"]')?.textContent ?? null]))`)) as Record<string, string | null>;
    const lastCum = new Map<string, number>();
    for (const p of fired.probes) lastCum.set(p.clOrdId, Math.max(lastCum.get(p.clOrdId) ?? 0, p.cum));
    const converged = [...lastCum].filter(([id, cum]) => Number((shown[id] ?? '').replace(/[^0-9]/g, '')) === cum).length;

    const key = (id: string, cum: number) => `${id}:${cum}`;
    const sent = new Map(fired.probes.map((p) => [key(p.clOrdId, p.cum), p.sentAt]));
    const ws = new Map(page_.wsPositions.map((p) => [key(p.orderId, p.cum), p.wsAt]));
    const toPaint: number[] = [];
    const sendToWs: number[] = [];
    const wsToPaint: number[] = [];
    for (const s of page_.seen) {
      const sentAt = sent.get(key(s.orderId, s.cum));
      if (sentAt === undefined || s.paintedAt === undefined) continue;
      toPaint.push(s.paintedAt - sentAt);
      const wsAt = ws.get(key(s.orderId, s.cum));
      if (wsAt !== undefined) {
        sendToWs.push(wsAt - sentAt);
        wsToPaint.push(s.paintedAt - wsAt);
      }
    }
    if (process.env.BENCH_DEBUG === '1') {
      // The backlog's course: per second of the live phase, the longest send → ws of its probes.
      const t0 = fired.probes.reduce((m, p) => Math.min(m, p.sentAt), Number.POSITIVE_INFINITY);
      const worst: number[] = [];
      for (const p of fired.probes) {
        const at = ws.get(key(p.clOrdId, p.cum));
        if (at === undefined) continue;
        const second = Math.floor((p.sentAt - t0) / 1000);
        worst[second] = Math.max(worst[second] ?? 0, at - p.sentAt);
      }
      console.error('send→ws, worst per second:', worst.map((w) => (w ?? 0).toFixed(0)).join(' '));
    }
    const paint = distribution(toPaint);
    const frames = distribution(page_.frames.live);
    const long = page_.longTasks.live;
    const longMax = long.length > 0 ? Math.max(...long) : 0;
    const delivered = (fired.sent / (fired.endedAt - fired.startedAt)) * 1000;
    const S = '14 positions (browser)';
    const rate = `${o.fillsPerSecond.toLocaleString('en-US')}/s × ${o.seconds} s over ${o.positions.toLocaleString('en-US')} positions`;
    const breakdown = { sendToWs: distribution(sendToWs), wsToPaint: distribution(wsToPaint) };
    return {
      rows: [
        row(S, `fills delivered (firehose, asked ${rate})`, delivered, '/s', o.fillsPerSecond, `${fired.sent} fills; ${opened.sent} first fills opened the positions before`),
        row(S, 'live: fill-to-painted-position p50 (FIX send → painted)', paint.p50, 'ms', undefined, `${paint.n} probes painted of ${fired.probes.length} sent (${visible}/${o.probes} probe rows on screen)`),
        row(S, 'live: fill-to-painted-position p95', paint.p95, 'ms', 100, `max ${paint.max.toFixed(1)} ms; baseline = the budget`),
        row(S, 'live: breakdown p50 / p95: send→ws | ws→paint', `${breakdown.sendToWs.p50.toFixed(1)} | ${breakdown.wsToPaint.p50.toFixed(1)} / ${breakdown.sendToWs.p95.toFixed(1)} | ${breakdown.wsToPaint.p95.toFixed(1)}`, 'ms'),
        row(S, 'live: frame time p95 (positions screen)', frames.p95, 'ms', 1000 / 60, `p50 ${frames.p50.toFixed(1)}, max ${frames.max.toFixed(0)}, ${frames.n} frames; baseline = one 60 Hz frame (the blotter's budget)`),
        row(S, 'live: the last probe painted after the firehose stopped', drainMs, 'ms', undefined, 'the backlog the host (or the page) built up; the CPU figures below run until then'),
        row(S, 'live: host CPU per fill (all its threads)', (cpu.host / fired.sent) * 1e6, 'µs', undefined, `${cpu.host.toFixed(1)} s CPU for ${fired.sent} fills (${((cpu.host / liveSeconds) * 100).toFixed(0)}% of a core over ${liveSeconds.toFixed(1)} s, host: ${hostRan}); a fill every ${(1e6 / o.fillsPerSecond).toFixed(0)} µs at the asked rate`),
        row(S, 'live: browser CPU per fill (renderer | gpu | browser)', `${((cpu.renderer / fired.sent) * 1e6).toFixed(0)} | ${((cpu.gpu / fired.sent) * 1e6).toFixed(0)} | ${((cpu.browser / fired.sent) * 1e6).toFixed(0)}`, 'µs', undefined, price === BENCH_LIMIT_PRICE ? 'fills at the limit' : 'fills beyond the sells\' limit (alerts)'),
        row(S, 'live: long tasks (> 50 ms)', long.length, 'count', undefined, `longest ${longMax.toFixed(0)} ms`),
        row(S, 'live: probe positions showing their last fill', converged, 'count', undefined, `of ${lastCum.size} probed`),
        row(S, `load: page to ${o.positions.toLocaleString('en-US')} positions shown`, loadMs, 'ms', undefined, `long tasks ${page_.longTasks.load.length}`),
      ],
      budgets: [
        { budget: 'positions: fill-to-painted-position p95 ≤ 100 ms (browser)', measured: paint.n > 0 ? `${paint.p95.toFixed(1)} ms (p50 ${paint.p50.toFixed(1)}, n=${paint.n}) at ${rate}` : 'no probe painted', pass: paint.n > 0 && paint.p95 <= 100 },
        { budget: 'positions screen: p95 frame ≤ 16.7 ms while fills stream (the blotter’s budget)', measured: `${frames.p95.toFixed(1)} ms (p50 ${frames.p50.toFixed(1)}, max ${frames.max.toFixed(0)}); ${long.length} long tasks, longest ${longMax.toFixed(0)} ms`, pass: frames.p95 <= 16.7 },
      ],
      details: { options: o, price, cpu, drainMs, paint, frames, breakdown, longTasks: long, loadMs, visible, converged, delivered, opened: opened.sent },
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await firehose?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
