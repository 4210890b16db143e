/**
 * 8. Orders of any day: the orders view opened on the journal's order summaries, filtered to one
 * symbol, through the headless host process (WebSocket, the contract's `searchOrders`).
 *
 * Two journals (bench/lib/journal-gen.ts#generateDaysJournal, written through the desk's own path:
 * journal, fold, order summaries): one day of N orders, and D days of M orders (1,000,000 across 30
 * days at full size), over 50 symbols; the host starts with its clock on the last day (--start-time).
 * Measured from the request sent to the page of rows parsed: the first search once the live book's
 * snapshot has arrived (the page is open; SQLite's page cache in the host is cold), then searches for other symbols (warm), the next page by cursor, an order of the first
 * day found by its ID, a whole-range page with the Rejected view. Baseline: a trivial command's round
 * trip over the same socket (getWorkspace). Journals are cached in .bench/cache (they take minutes),
 * keyed by the sources that decide their content.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandName, CommandParams } from '../../shared/contract/commands';
import { DeskWsClient } from '../../electron/integration-tests/support/desk-ws-client';
import { deskConfigFor } from '../lib/desk-harness';
import { REPO_ROOT } from '../lib/firehose';
import { generateDaysJournal, symbolList } from '../lib/journal-gen';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { distribution } from '../lib/stats';
import { closedPort, startHostProcess } from './startup';

export interface SearchOptions {
  /** Orders in the one-day journal. */
  readonly oneDay: number;
  /** Days, and orders a day, of the many-day journal. */
  readonly days: number;
  readonly ordersPerDay: number;
  readonly symbols: number;
  /** Warm searches per journal. */
  readonly rounds: number;
}

/**
 * The sources that decide what a generated journal holds (its events, schema and snapshot sections):
 * a cached journal is used only while they are unchanged (a snapshot of another section version would
 * be ignored by the host, which would then replay millions of events).
 */
const JOURNAL_SOURCES = [
  'bench/lib/journal-gen.ts',
  'electron/core/journal/migrations.ts',
  'electron/core/journal/snapshots.ts',
  'electron/core/orders/book-snapshot.ts',
  'electron/core/orders/order-book-snapshot.ts',
  'electron/core/desk/drop-copy-snapshot.ts',
  'electron/core/alerts/alert-log-snapshot.ts',
  'electron/core/desk/order-summaries.ts',
];

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of JOURNAL_SOURCES) hash.update(existsSync(join(REPO_ROOT, file)) ? readFileSync(join(REPO_ROOT, file)) : file);
  return hash.digest('hex').slice(0, 12);
}
const LAST_DAY = '2026-03-31';
const BUDGET_MS = 200;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** A journal from the cache, or generated into it; returns a working copy's folder. */
function journalFor(days: number, ordersPerDay: number, symbols: number, into: string): { generateMs: number; cached: boolean } {
  const key = `days-${sourcesHash()}-${days}x${ordersPerDay}-s${symbols}`;
  const cacheDir = join(REPO_ROOT, '.bench', 'cache', key);
  const cachedFile = join(cacheDir, 'desk.sqlite');
  let generateMs = 0;
  const cached = existsSync(cachedFile);
  if (!cached) {
    rmSync(cacheDir, { recursive: true, force: true });
    const t0 = performance.now();
    generateDaysJournal(join(cacheDir, 'generating', 'desk.sqlite'), { days, ordersPerDay, symbols: symbolList(symbols), lastDay: LAST_DAY });
    generateMs = performance.now() - t0;
    copyFileSync(join(cacheDir, 'generating', 'desk.sqlite'), cachedFile);
    rmSync(join(cacheDir, 'generating'), { recursive: true, force: true });
  }
  mkdirSync(into, { recursive: true });
  copyFileSync(cachedFile, join(into, 'desk.sqlite'));
  return { generateMs, cached };
}

interface Figures {
  readonly orders: number;
  readonly cold: number;
  readonly warm: ReturnType<typeof distribution>;
  readonly nextPage: ReturnType<typeof distribution>;
  readonly byId: ReturnType<typeof distribution>;
  readonly rejectedView: ReturnType<typeof distribution>;
  readonly baseline: ReturnType<typeof distribution>;
  readonly readyMs: number;
  readonly generateMs: number;
  readonly cached: boolean;
  readonly rowsFirstPage: number;
}

async function measure(dir: string, configPath: string, days: number, ordersPerDay: number, o: SearchOptions): Promise<Figures> {
  const dataDir = join(dir, `data-${days}`);
  const { generateMs, cached } = journalFor(days, ordersPerDay, o.symbols, dataDir);
  const host = await startHostProcess(configPath, dataDir, undefined, undefined, ['--start-time', `${LAST_DAY}T16:30:00.000Z`]);
  const client = await DeskWsClient.connect(host.url);
  try {
    // The page is open (the live book's snapshot arrived whole) before the trader opens the view.
    await client.until('the whole snapshot', () => client.loaded, 120_000);
    const call = async <C extends CommandName>(command: C, params: CommandParams<C>) => {
      const { ms, value } = await timed(() => client.call(command, params, 60_000));
      if (!value.ok) throw new Error(`${command}: ${value.error.message}`);
      return { ms, value: value.value };
    };
    const range = { from: `${isoDay(LAST_DAY, -days)}T00:00:00.000Z`, to: `${isoDay(LAST_DAY, 1)}T00:00:00.000Z` };
    const symbols = symbolList(o.symbols);
    const search = (symbol: string, extra: Partial<CommandParams<'searchOrders'>> = {}) => call('searchOrders', { ...range, symbol, view: 'all', limit: 200, ...extra });
    const first = await search(symbols[7]!);
    const warm: number[] = [];
    const nextPage: number[] = [];
    const byId: number[] = [];
    const rejected: number[] = [];
    const baseline: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const symbol = symbols[(r * 7 + 3) % symbols.length]!;
      const page = await search(symbol);
      warm.push(page.ms);
      if (page.value.nextCursor !== undefined) nextPage.push((await search(symbol, { cursor: page.value.nextCursor })).ms);
      // An order of the first day, by its ID (generateDaysJournal numbers orders DAYS-1, DAYS-2… oldest first).
      const id = `DAYS-${1 + ((r * 97) % ordersPerDay)}`;
      const found = await call('searchOrders', { text: id, view: 'all', limit: 200 });
      if (found.value.orders[0]?.orderId !== id) throw new Error(`order ${id} not found by its ID`);
      byId.push(found.ms);
      rejected.push((await call('searchOrders', { ...range, view: 'rejected', limit: 200 })).ms);
      baseline.push((await call('getWorkspace', {})).ms);
    }
    return {
      orders: days * ordersPerDay,
      cold: first.ms,
      rowsFirstPage: first.value.orders.length,
      warm: distribution(warm),
      nextPage: distribution(nextPage),
      byId: distribution(byId),
      rejectedView: distribution(rejected),
      baseline: distribution(baseline),
      readyMs: host.readyMs,
      generateMs,
      cached,
    };
  } finally {
    client.close();
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function isoDay(day: string, offset: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

export async function runSearch(o: SearchOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-search-'));
  try {
    const configPath = join(dir, 'desk.json');
    writeFileSync(configPath, JSON.stringify(deskConfigFor([{ name: 'SIM-A', port: await closedPort() }])));
    // A first start that neither journal's start pays for (the build if it is due: bench/lib/host-entry.ts; the tsx compile cache).
    await (await startHostProcess(configPath, join(dir, 'warm'))).stop();
    const oneDay = await measure(dir, configPath, 1, o.oneDay, o);
    const many = await measure(dir, configPath, o.days, o.ordersPerDay, o);
    const S = '8 orders of any day';
    const rowsFor = (f: Figures, label: string) => [
      row(S, `${label}: first search, one symbol (first rows; page loaded, host caches cold)`, f.cold, 'ms', f.baseline.p50, `${f.rowsFirstPage} rows; baseline = a trivial command's round trip (p50); host ready in ${(f.readyMs / 1000).toFixed(1)} s`),
      row(S, `${label}: one symbol, p50 / p95 (warm)`, `${f.warm.p50.toFixed(1)} / ${f.warm.p95.toFixed(1)}`, 'ms', undefined, `${f.warm.n} symbols`),
      row(S, `${label}: next page by cursor p50 / p95`, `${f.nextPage.p50.toFixed(1)} / ${f.nextPage.p95.toFixed(1)}`, 'ms'),
      row(S, `${label}: an order of the first day by its ID p50 / p95`, `${f.byId.p50.toFixed(1)} / ${f.byId.p95.toFixed(1)}`, 'ms'),
      row(S, `${label}: Rejected view over the whole range p50 / p95`, `${f.rejectedView.p50.toFixed(1)} / ${f.rejectedView.p95.toFixed(1)}`, 'ms'),
    ];
    const worst = (f: Figures) => Math.max(f.cold, f.warm.p95);
    return {
      rows: [...rowsFor(oneDay, `${oneDay.orders.toLocaleString('en-US')} orders, 1 day`), ...rowsFor(many, `${many.orders.toLocaleString('en-US')} orders, ${o.days} days`)],
      budgets: [oneDay, many].map((f) => ({
        budget: `orders view, one symbol, ${f.orders.toLocaleString('en-US')} orders: first rows ≤ ${BUDGET_MS} ms`,
        measured: `${f.cold.toFixed(1)} ms first, warm p95 ${f.warm.p95.toFixed(1)} ms`,
        pass: worst(f) <= BUDGET_MS,
      })),
      details: { options: o, oneDay, many },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
