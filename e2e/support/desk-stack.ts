import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startHostProcess } from '../../electron/integration-tests/support/host-process';
import type { SimulatorProcess } from '../../electron/simulator/launch';
import { startSimulatorProcess } from '../../electron/simulator/launch';
import { brokerEntriesFor } from '../../electron/integration-tests/support/broker-entries';
import type { BrokerBehaviour } from '../../electron/simulator/simulator-config';

/** Per broker (SIM-A, SIM-B): how the simulated broker answers, and what the desk's config says it takes. */
export interface DeskStackOptions {
  readonly behaviour?: Readonly<Record<string, BrokerBehaviour>>;
  readonly capabilities?: Readonly<Record<string, Record<string, boolean>>>;
}

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

export async function startDeskStack(options: DeskStackOptions = {}): Promise<DeskStack> {
  const sim = await startSimulatorProcess({
    config: {
      seed: 7,
      tickIntervalMs: 250,
      ackDelayMs: 0,
      // Slow, half-quantity fills: a test sees New, then Partially filled, then Filled.
      fills: { enabled: true, intervalMs: 700, fraction: 0.5 },
      brokers: [
        ...['SIM-A', 'SIM-B'].map((name) => ({
          name,
          port: 0,
          senderCompId: name,
          targetCompId: 'MERIDIAN',
          ...(options.behaviour?.[name] !== undefined && { behaviour: options.behaviour[name] }),
        })),
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
      brokers: brokerEntriesFor(sim.brokers, { reconnectSeconds: 0.5 }).map((b) => {
        const capabilities = options.capabilities?.[b.name as string];
        return capabilities === undefined ? b : { ...b, capabilities };
      }),
    }),
  );
  const token = randomBytes(16).toString('hex');
  const dataDir = join(dir, 'data');
  const startHost = () => startHostProcess({ configPath, dataDir, token });
  let host = await startHost();

  return {
    sim,
    get url() {
      return host.url;
    },
    get hostPid() {
      return host.child.pid ?? -1;
    },
    async crashAndRestartHost() {
      await host.crash();
      host = await startHost();
    },
    async stop() {
      await host.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
