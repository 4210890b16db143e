/**
 * Captures: ways to persist the read models, measured side by side on one generated journal (issue
 * 12). Each candidate restores in a process of its own, rounds alternating; the hot-path variants
 * append the journal's last events again with their extra writes. See bench/lib/capture-candidates.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candidate, HotPathVariant } from '../lib/capture-candidates';
import { REPO_ROOT } from '../lib/firehose';
import { generateMixedJournal } from '../lib/journal-gen';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { median } from '../lib/stats';

export interface CapturesOptions {
  readonly events: number;
  readonly rounds: number;
  /** Events appended again for the hot-path variants. */
  readonly tail: number;
}

function child(args: readonly string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/lib/capture-candidates.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

export async function runCaptures(o: CapturesOptions): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-captures-'));
  try {
    const path = join(dir, 'desk.sqlite');
    const journal = generateMixedJournal(path, o.events, 'SIM-A', 'BENCH', { cleanStop: false });
    const prepared = child(['prepare', path]) as {
      replayMs: number;
      counts: { orders: number; rows: number; seen: number };
    } & Record<Candidate, { writeMs: number; bytes: number }>;
    const candidates: Candidate[] = ['blocks', 'v8', 'projection'];
    const restoreMs = new Map<Candidate, number[]>(candidates.map((c) => [c, []]));
    const rss = new Map<Candidate, number[]>(candidates.map((c) => [c, []]));
    const variants: HotPathVariant[] = ['plain', 'projection', 'execIdIndex'];
    const hot = new Map<HotPathVariant, number[]>(variants.map((v) => [v, []]));
    for (let r = 0; r < o.rounds; r++) {
      for (const c of r % 2 === 0 ? candidates : [...candidates].reverse()) {
        const result = child(['restore', path, c]) as { ms: number; rssMb: number };
        restoreMs.get(c)?.push(result.ms);
        rss.get(c)?.push(result.rssMb);
      }
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        hot.get(v)?.push((child(['hotpath', path, v, String(o.tail)]) as { usPerEvent: number }).usPerEvent);
      }
    }
    const S = '4b captures';
    const n = journal.events.toLocaleString('en-US');
    const blocks = median(restoreMs.get('blocks') ?? []);
    const plain = median(hot.get('plain') ?? []);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    const rounds = (values: readonly number[]) => `rounds [${values.map((v) => v.toFixed(0)).join(', ')}]`;
    const names: Record<Candidate, string> = { blocks: 'block codec (today)', v8: 'v8.serialize, chunks of 1,024', projection: 'projection tables (JSON per order / row)' };
    const hotNames: Record<HotPathVariant, string> = { plain: 'journal only (today)', projection: '+ projection upserts in the same commit', execIdIndex: '+ ExecID unique index (de-dup by the database)' };
    const c = prepared.counts;
    return {
      rows: [
        ...candidates.map((k) =>
          row(S, `restore to ready in process, ${n} events: ${names[k]}`, median(restoreMs.get(k) ?? []), 'ms', blocks, `${mb(prepared[k].bytes)}; write from scratch ${prepared[k].writeMs.toFixed(0)} ms; RSS ${median(rss.get(k) ?? []).toFixed(0)} MB; ${rounds(restoreMs.get(k) ?? [])}`),
        ),
        ...variants.map((v) => row(S, `hot path: append + fold, ${hotNames[v]}`, median(hot.get(v) ?? []), 'µs/event', plain, `${o.tail.toLocaleString('en-US')} events in batches of 1,000`)),
        row(S, 'full replay in process (for scale)', prepared.replayMs, 'ms', undefined, `${c.orders.toLocaleString('en-US')} orders, ${c.rows.toLocaleString('en-US')} execution rows, ${c.seen.toLocaleString('en-US')} ExecIDs`),
      ],
      budgets: [],
      details: { prepared, restoreMs: Object.fromEntries(restoreMs), rss: Object.fromEntries(rss), hot: Object.fromEntries(hot) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
