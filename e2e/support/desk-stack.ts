import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startHostProcess } from '../../electron/integration-tests/support/host-process';
import type { SimulatorProcess } from '../../electron/simulator/launch';
import { startSimulatorProcess } from '../../electron/simulator/launch';
import { brokerEntriesFor } from '../../electron/integration-tests/support/broker-entries';
import type { BrokerBehaviour } from '../../electron/simulator/simulator-config';

/** Per broker (SIM-A, SIM-B): how the simulated broker answers, and what the desk's config says it takes. */
export interface DeskStackOptions {
  /** Funds (each account in one); their accounts join FUND-ALPHA and FUND-BETA. Without: one fund, DESK in USD. */
  readonly funds?: ReadonlyArray<{ readonly name: string; readonly baseCurrency: string; readonly accounts: readonly string[] }>;
  readonly behaviour?: Readonly<Record<string, BrokerBehaviour>>;
  readonly capabilities?: Readonly<Record<string, Record<string, boolean>>>;
  /** The desk's clock starts at this instant (ISO), not the machine's (tests of other days). */
  readonly startTime?: string;
  /** Per broker: the FIXatdl file of its own algorithms the desk's config names. */
  readonly algoDefinitions?: Readonly<Record<string, string>>;
  /** The desk's pre-trade risk limits (written to a file the config names, reloadable). */
  readonly riskLimits?: unknown;
}

/** The real thing, small: the broker simulator process, and the headless desk host process on top. */
export interface DeskStack {
  readonly sim: SimulatorProcess;
  readonly url: string;
  readonly hostPid: number;
  /** SIGKILL the host (a crash: nothing flushed, no logout), then start it again on the same journal. */
  crashAndRestartHost(): Promise<void>;
  /** Stops the host cleanly and starts it again on the same journal, its clock starting at `startTime` if given. */
  restartHost(options?: { startTime?: string }): Promise<void>;
  stop(): Promise<void>;
}

/** What the simulated brokers trade (NVDA.XNAS, in the desk's master, they do not: "unknown symbol"). */
const INSTRUMENTS = {
  // Volatility 0: prices stand still, so which orders are marketable is known in advance.
  'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, liquidity: '1000000' },
  'MSFT.XNAS': { referencePrice: '420.00', volatility: 0, liquidity: '1000000' },
  'EURUSD.SPOT': { referencePrice: '1.08500', volatility: 0, liquidity: '100000000' },
  // One of each other class (issue 13's e2e): a future, an FX forward and an option (priced from
  // their spot and underlying), a bond.
  'ESZ6.XCME': { referencePrice: '6000.00', volatility: 0, liquidity: '10000' },
  'EURUSD.3M': { volatility: 0, liquidity: '100000000' },
  'AAPL261218C200': { volatility: 0, liquidity: '10000' },
  'UST.4.25.2034': { referencePrice: '98.5', volatility: 0, liquidity: '100000000' },
};
const RATES = { USD: 0.045, EUR: 0.025, GBP: 0.04, JPY: 0.005, CHF: 0.01 };

const INSTRUMENTS_FILE = resolve(import.meta.dirname, '../../config/instruments.csv');

/** Reference prices the e2e tests see; every other base instrument of the master trades near a default of its class. */
const KNOWN_PRICES: Readonly<Record<string, string>> = {
  'AAPL.XNAS': '190.00',
  'MSFT.XNAS': '420.00',
  'ESZ6.XCME': '6000.00',
  'GCG7.XCEC': '2650.0',
  'EURUSD.SPOT': '1.08500',
  'USDJPY.SPOT': '151.200',
  'UST.4.25.2034': '98.5',
};
const CLASS_PRICES: Readonly<Record<string, string>> = { equity: '100', future: '1000', fx: '1', bond: '100' };

/** The venue's reference price of each base instrument (options and forwards are derived from theirs). */
function venuePrices(): Record<string, { referencePrice: string }> {
  const prices: Record<string, { referencePrice: string }> = {};
  for (const line of readFileSync(INSTRUMENTS_FILE, 'utf8').split('\n').slice(1)) {
    const [id, assetClass, , , , , , , , , , , , , , tenor] = line.split(',');
    if (id === undefined || id === '' || assetClass === 'option' || (assetClass === 'fx' && tenor !== 'SPOT')) continue;
    const price = KNOWN_PRICES[id] ?? CLASS_PRICES[assetClass ?? ''];
    if (price !== undefined) prices[id] = { referencePrice: price };
  }
  return prices;
}

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
      instruments: INSTRUMENTS,
      ...(options.startTime !== undefined && { tradeDate: options.startTime.slice(0, 10) }),
      rates: RATES,
      // The market-data venue: one FIX session for the desk, quoting the whole instrument master.
      marketData: {
        port: 0,
        senderCompId: 'SIM-MD',
        targetCompId: 'MERIDIAN-MD',
        heartbeatSeconds: 5,
        // Beyond what the brokers trade (one market: theirs are priced as above).
        instruments: venuePrices(),
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'meridian-e2e-'));
  const configPath = join(dir, 'desk.json');
  if (options.riskLimits !== undefined) writeFileSync(join(dir, 'risk-limits.json'), JSON.stringify(options.riskLimits));
  writeFileSync(
    configPath,
    JSON.stringify({
      accounts: [...new Set(['FUND-ALPHA', 'FUND-BETA', ...(options.funds ?? []).flatMap((f) => f.accounts)])],
      ...(options.funds !== undefined && { funds: options.funds }),
      ...(options.riskLimits !== undefined && { riskLimits: 'risk-limits.json' }),
      ...(sim.marketDataPort !== undefined && {
        marketData: { port: sim.marketDataPort, senderCompId: 'MERIDIAN-MD', targetCompId: 'SIM-MD', heartbeatSeconds: 5, reconnectSeconds: 0.5, staleAfterSeconds: 10 },
      }),
      brokers: brokerEntriesFor(sim.brokers, { reconnectSeconds: 0.5 }).map((b) => {
        const capabilities = options.capabilities?.[b.name as string];
        const algoDefinitions = options.algoDefinitions?.[b.name as string];
        return { ...b, ...(capabilities !== undefined && { capabilities }), ...(algoDefinitions !== undefined && { algoDefinitions }) };
      }),
    }),
  );
  const token = randomBytes(16).toString('hex');
  const dataDir = join(dir, 'data');
  // The desk's clock, moved when asked (a test of another day never reads the real date).
  const startHost = (startTime = options.startTime) => startHostProcess({ configPath, dataDir, token, ...(startTime !== undefined && { args: ['--start-time', startTime] }) });
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
    async restartHost(restart = {}) {
      await host.stop();
      host = await startHost(restart.startTime ?? options.startTime);
    },
    async stop() {
      await host.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
