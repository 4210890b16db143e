import type { ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnTracked, stopChild, waitForJsonLine } from './processes';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The tree whose host process and renderer the start-up and blotter suites run: this one, or another
 * checkout given as BENCH_TARGET_ROOT (e.g. `git archive HEAD` unpacked, with node_modules linked) to
 * measure "before" and "after" side by side.
 */
export const TARGET_ROOT = process.env.BENCH_TARGET_ROOT !== undefined ? resolve(process.env.BENCH_TARGET_ROOT) : REPO_ROOT;

export interface FiredEvent {
  readonly sent: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly probes: ReadonlyArray<{ clOrdId: string; cum: number; sentAt: number }>;
}

/** A bench process driven by JSON lines: commands on its stdin, events on its stdout (one answer per command). */
export class JsonLineProcess {
  private readonly waiters: Array<{ event: string; resolve: (v: Record<string, unknown>) => void }> = [];

  protected constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const value = JSON.parse(line) as Record<string, unknown>;
      const i = this.waiters.findIndex((w) => w.event === value.event);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(value);
    });
  }

  /** Starts `script` (a TypeScript file of the repository) and waits for its ready line with the port it listens on. */
  protected static async spawn(script: string, args: readonly string[], what: string): Promise<{ child: ChildProcess; port: number }> {
    const child = spawnTracked(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const ready = await waitForJsonLine<{ port: number }>(child, (v) => v.event === 'ready', 30_000, what);
    return { child, port: ready.port };
  }

  protected request(command: Record<string, unknown>, event: string, timeoutMs = 600_000): Promise<Record<string, unknown>> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`${String(command.cmd)}: no '${event}' within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        event,
        resolve: (v) => {
          clearTimeout(timer);
          resolvePromise(v);
        },
      });
      this.child.stdin!.write(JSON.stringify(command) + '\n');
    });
  }

  async stop(): Promise<void> {
    this.child.stdin?.end();
    await stopChild(this.child);
  }
}

/** The bench's own FIX counterparty process (bench/lib/fix-firehose.ts), driven over stdin/stdout. */
export class Firehose extends JsonLineProcess {
  static async start(senderCompId: string): Promise<Firehose> {
    const { child, port } = await JsonLineProcess.spawn('bench/lib/fix-firehose.ts', ['--sender', senderCompId], 'firehose');
    return new Firehose(child, port);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Orders the desk already has, ClOrdIDs <tag>-<from>..<to>; order n trades symbols[n mod length] (default AAPL, MSFT, NVDA). */
  loadRange(tag: string, from: number, to: number, qty: number, symbols?: readonly string[]): Promise<Record<string, unknown>> {
    return this.request({ cmd: 'loadRange', tag, from, to, qty, ...(symbols !== undefined && { symbols }) }, 'loaded');
  }

  stats(): Promise<{ newOrders: number; statusRequests: number; orders: number; connected: boolean }> {
    return this.request({ cmd: 'stats' }, 'stats') as never;
  }

  fire(options: { rate: number; count?: number; durationMs?: number; probeEveryMs?: number; probeClOrdIds?: readonly string[]; from?: number; to?: number; price?: string }): Promise<FiredEvent> {
    return this.request({ cmd: 'fire', ...options }, 'fired') as never;
  }

  /**
   * Waits out the desk's logon reconciliation (a status request per open order): done when the count
   * reaches `openOrders` or stops growing for a second; fails after five minutes.
   */
  async reconciled(openOrders: number): Promise<{ readonly statusRequests: number; readonly ms: number }> {
    const start = performance.now();
    let status = await this.stats();
    let last = -1;
    let stableSince = performance.now();
    while (status.statusRequests < openOrders) {
      await new Promise((r) => setTimeout(r, 100));
      status = await this.stats();
      if (status.statusRequests !== last) {
        last = status.statusRequests;
        stableSince = performance.now();
      } else if (status.statusRequests > 0 && performance.now() - stableSince > 1_000) break;
      if (performance.now() - start > 300_000) throw new Error(`reconciliation stalled at ${status.statusRequests} status requests`);
    }
    return { statusRequests: status.statusRequests, ms: performance.now() - start };
  }
}

export interface QuotesFired {
  readonly sent: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly probes: ReadonlyArray<{ symbol: string; last: string; sentAt: number }>;
}

/** The bench's FIX market-data counterparty (bench/lib/quote-firehose.ts): quotes at a rate, with probe trades. */
export class QuoteFirehose extends JsonLineProcess {
  static async start(senderCompId: string): Promise<QuoteFirehose> {
    const { child, port } = await JsonLineProcess.spawn('bench/lib/quote-firehose.ts', ['--sender', senderCompId], 'quote firehose');
    return new QuoteFirehose(child, port);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  stats(): Promise<{ subscriptions: number; connected: boolean }> {
    return this.request({ cmd: 'stats' }, 'stats') as never;
  }

  fire(options: { rate: number; durationMs: number; probeEveryMs: number; probeSymbols: readonly string[] }): Promise<QuotesFired> {
    return this.request({ cmd: 'fire', ...options }, 'fired') as never;
  }
}
