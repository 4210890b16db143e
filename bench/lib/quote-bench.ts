import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isinCheckDigit } from '../../shared/domain/instrument-codes';
import type { QuotesFired } from './firehose';
import { REPO_ROOT } from './firehose';
import type { BudgetCheck, ResultRow } from './report';
import { row } from './report';
import { distribution, sleep } from './stats';

/** The quotes benchmark's instruments: equities BQ1…BQn on a made-up venue, ids BQ1.XBNC… */
export const benchInstrumentIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `BQ${i + 1}.XBNC`);
export const benchSymbolOf = (id: string): string => id.slice(0, id.indexOf('.'));

/** Writes the shipped instrument file (what the blotter's orders trade) plus `n` generated equities; returns its path. */
export function writeBenchInstruments(path: string, n: number): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/instruments.csv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = shipped[0]!;
  const columns = header.split(',').length;
  const lines = benchInstrumentIds(n).map((id, i) => {
    const body = `US${String(900_000_000 + i).padStart(9, '0')}`;
    const cells = [id, 'equity', benchSymbolOf(id), `Bench Quote ${i + 1} Inc.`, 'USD', 'XBNC', `${body}${isinCheckDigit(body)}`, '0.01', '1'];
    return [...cells, ...Array.from({ length: columns - cells.length }, () => '')].join(',');
  });
  writeFileSync(path, [...shipped, ...lines].join('\n') + '\n');
  return path;
}

/** A stored workspace whose market watch shows `ids` (the host's `workspace.json`, as a person would have left it). */
export function writeWatchWorkspace(dataDir: string, ids: readonly string[]): void {
  mkdirSync(dataDir, { recursive: true });
  const off = { fill: false, reject: false, cancel: false, alert: false };
  const workspace = {
    version: 1,
    current: { blotters: {}, panels: { ticketWidth: 260, ordersShare: 0.62, watchHeight: 240 }, marketWatch: { instruments: ids } },
    layouts: [],
    attention: { sounds: off, notifications: off, flash: false },
    windows: [],
  };
  writeFileSync(join(dataDir, 'workspace.json'), JSON.stringify({ revision: 1, workspace }), { mode: 0o600 });
}

export async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Quote-to-paint: each probe trade (instrument, last) from when the counterparty wrote it to the
 * socket until the frame that showed it in the market watch's Last cell was produced.
 */
export function quoteToPaint(
  fired: QuotesFired,
  seen: ReadonlyArray<{ instrumentId: string; last: string; paintedAt?: number }>,
  wsQuotes: ReadonlyArray<{ instrumentId: string; last: string; wsAt: number; updatedAt: string }>,
  load: { readonly instruments: number; readonly rate: number },
  seconds: number,
): { rows: ResultRow[]; budgets: BudgetCheck[]; details: Record<string, unknown> } {
  const sentAt = new Map(fired.probes.map((p) => [`${p.symbol}:${p.last}`, p.sentAt]));
  // The first WebSocket message that carried each probe (a later quote of the instrument may carry the same last).
  const ws = new Map<string, { wsAt: number; updatedAt: string }>();
  for (const w of wsQuotes) {
    const key = `${benchSymbolOf(w.instrumentId)}:${w.last}`;
    if (!ws.has(key)) ws.set(key, w);
  }
  const latencies: number[] = [];
  const sendToCore: number[] = [];
  const coreToWs: number[] = [];
  const wsToPaint: number[] = [];
  for (const s of seen) {
    const key = `${benchSymbolOf(s.instrumentId)}:${s.last}`;
    const at = sentAt.get(key);
    if (at === undefined || s.paintedAt === undefined) continue;
    latencies.push(s.paintedAt - at);
    const w = ws.get(key);
    if (w === undefined) continue;
    const coreAt = Date.parse(w.updatedAt);
    sendToCore.push(coreAt - at);
    coreToWs.push(w.wsAt - coreAt);
    wsToPaint.push(s.paintedAt - w.wsAt);
  }
  const d = distribution(latencies);
  const b = { sendToCore: distribution(sendToCore), coreToWs: distribution(coreToWs), wsToPaint: distribution(wsToPaint) };
  const triple = (p: 'p50' | 'p95') => `${b.sendToCore[p].toFixed(1)} | ${b.coreToWs[p].toFixed(1)} | ${b.wsToPaint[p].toFixed(1)}`;
  const delivered = (fired.sent / (fired.endedAt - fired.startedAt)) * 1000;
  const Q = '13 quotes';
  const rows = [
    row(Q, `quote updates delivered (asked ${load.rate.toLocaleString('en-US')}/s on ${load.instruments} instruments × ${seconds} s)`, delivered, '/s', load.rate, `${fired.sent} MarketDataIncrementalRefresh over FIX; all ${load.instruments} in the market watch`),
    row(Q, 'live: quote-to-paint p50 (FIX send → market watch painted)', d.n > 0 ? d.p50 : Number.NaN, 'ms', undefined, `${d.n} probe trades painted of ${fired.probes.length} sent`),
    row(Q, 'live: quote-to-paint p95', d.n > 0 ? d.p95 : Number.NaN, 'ms', undefined, d.n > 0 ? `max ${d.max.toFixed(1)} ms` : 'none painted'),
    row(Q, 'live: breakdown p50: send→desk | desk→ws | ws→paint', triple('p50'), 'ms', undefined, `${b.wsToPaint.n} probes traced; desk = the quote's updatedAt (ms resolution)`),
    row(Q, 'live: breakdown p95: send→desk | desk→ws | ws→paint', triple('p95'), 'ms'),
  ];
  const budgets: BudgetCheck[] = [
    { budget: `quote-to-paint p95 ≤ 100 ms at ${load.rate.toLocaleString('en-US')} quotes/s on ${load.instruments} instruments`, measured: d.n > 0 ? `${d.p95.toFixed(1)} ms (p50 ${d.p50.toFixed(1)}, n=${d.n} of ${fired.probes.length})` : 'no probe painted', pass: d.n > 0 ? d.p95 <= 100 : false },
  ];
  return { rows, budgets, details: { quoteToPaint: d, breakdown: b, probesSent: fired.probes.length, delivered } };
}
