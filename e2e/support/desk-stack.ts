import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { SimulatorProcess } from '../../electron/simulator/launch';
import { startSimulatorProcess } from '../../electron/simulator/launch';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The real thing, small: the broker simulator process, and the headless desk host process on top. */
export interface DeskStack {
  readonly sim: SimulatorProcess;
  readonly url: string;
  readonly hostPid: number;
  /** SIGKILL the host (a crash: nothing flushed, no logout), then start it again on the same journal. */
  crashAndRestartHost(): Promise<void>;
  stop(): Promise<void>;
}

const SYMBOLS = [
  // Volatility 0: prices stand still, so which orders are marketable is known in advance.
  { symbol: 'AAPL', referencePrice: '190.00', tickSize: '0.01', volatility: 0, liquidity: '1000000' },
  { symbol: 'MSFT', referencePrice: '420.00', tickSize: '0.01', volatility: 0, liquidity: '1000000' },
  { symbol: 'EURUSD', referencePrice: '1.08500', tickSize: '0.00001', volatility: 0, liquidity: '100000000' },
];

export async function startDeskStack(): Promise<DeskStack> {
  const sim = await startSimulatorProcess({
    config: {
      seed: 7,
      tickIntervalMs: 250,
      ackDelayMs: 0,
      // Slow, half-quantity fills: a test sees New, then Partially filled, then Filled.
      fills: { enabled: true, intervalMs: 700, fraction: 0.5 },
      brokers: [
        { name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' },
        { name: 'SIM-B', port: 0, senderCompId: 'SIM-B', targetCompId: 'MERIDIAN' },
      ],
      symbols: SYMBOLS,
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'meridian-e2e-'));
  const configPath = join(dir, 'desk.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      accounts: ['FUND-ALPHA', 'FUND-BETA'],
      instruments: SYMBOLS.map((s) => ({ symbol: s.symbol, assetClass: s.symbol === 'EURUSD' ? 'fx' : 'equity' })),
      brokers: sim.brokers.map((b) => ({
        name: b.name,
        host: '127.0.0.1',
        port: b.port,
        senderCompId: 'MERIDIAN',
        targetCompId: b.name,
        heartbeatSeconds: 5,
        reconnectSeconds: 0.5,
      })),
    }),
  );
  const token = randomBytes(16).toString('hex');
  const dataDir = join(dir, 'data');
  let host = await startHost(configPath, dataDir, token);

  return {
    sim,
    get url() {
      return host.url;
    },
    get hostPid() {
      return host.child.pid ?? -1;
    },
    async crashAndRestartHost() {
      host.child.kill('SIGKILL');
      await host.exited;
      host = await startHost(configPath, dataDir, token);
    },
    async stop() {
      host.child.kill('SIGTERM');
      const force = setTimeout(() => host.child.kill('SIGKILL'), 5_000);
      await host.exited;
      clearTimeout(force);
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface HostProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

async function startHost(configPath: string, dataDir: string, token: string): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/host/serve-main.ts', '--no-sim', '--config', configPath, '--data-dir', dataDir, '--port', '0'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MERIDIAN_TOKEN: token } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => {
    stderr = (stderr + c).slice(-20_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`host not ready in 30 s\n${stderr}`)), 30_000);
    void exited.then(() => reject(new Error(`host exited before it was ready\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { event?: string; url?: string };
      if (message.event === 'ready' && message.url) {
        clearTimeout(timer);
        resolveUrl(message.url);
      }
    });
  });
  return { child, url, exited };
}
