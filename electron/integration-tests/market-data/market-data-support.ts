import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import type { FixVersion } from '../../core/config/desk-config';
import { marketDataConfigSchema } from '../../core/config/desk-config';
import { loadInstrumentFile } from '../../core/instruments/instrument-file';
import { InstrumentMaster } from '../../core/instruments/instrument-master';
import { createLogger } from '../../core/log/logger';
import { FixMarketDataFeed } from '../../core/marketdata/fix-market-data-feed';
import type { MarketDataListener } from '../../core/marketdata/market-data-port';
import { MarketDataService } from '../../core/marketdata/market-data-service';
import { systemClock } from '../../core/time/clock';
import { TestClock } from '../../core/time/test-clock';
import { startSimulatorProcess } from '../../simulator/launch';
import type { SimulatorProcess } from '../../simulator/launch';
import type { SimulatorConfigInput } from '../../simulator/simulator-config';

export const INSTRUMENTS_CSV = resolve(import.meta.dirname, '../../../config/instruments.csv');
export const TRADE_DATE = '2026-12-07';

/** What the venue quotes: a subset of the master (the desk knows more: MSFT.XNAS is refused there). KO.XNYS never moves. */
export const VENUE_PRICES = {
  'AAPL.XNAS': { referencePrice: '190.00' },
  'ESZ6.XCME': { referencePrice: '6000.00' },
  'EURUSD.SPOT': { referencePrice: '1.08500' },
  'UST.4.25.2034': { referencePrice: '98.5' },
  'KO.XNYS': { referencePrice: '63.00', volatility: 0, volumePerTick: 0 },
} as const;
const VENUE_IDS = [...Object.keys(VENUE_PRICES), 'EURUSD.3M', 'AAPL261218C200'];

/** The simulator as its own process with a market-data venue on `port`, quoting its one market (VENUE_IDS, what its broker trades), moved every `tickIntervalMs`. */
export async function startVenue(fixVersion: FixVersion, options: { port?: number; tickIntervalMs?: number } = {}): Promise<{ sim: SimulatorProcess; port: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-md-'));
  const lines = readFileSync(INSTRUMENTS_CSV, 'utf8').split('\n');
  const csv = join(dir, 'instruments.csv');
  writeFileSync(csv, [lines[0], ...lines.filter((l) => VENUE_IDS.includes(l.split(',')[0] ?? ''))].join('\n') + '\n');
  const config: SimulatorConfigInput = {
    seed: 11,
    tickIntervalMs: options.tickIntervalMs ?? 20,
    brokers: [{ name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' }],
    instrumentsFile: csv,
    tradeDate: TRADE_DATE,
    rates: { USD: 0.045, EUR: 0.025 },
    instruments: VENUE_PRICES,
    control: 0,
    // 0: the simulator binds a free port and reports it (a port picked here first could be handed
    // to the simulator's broker acceptor by the OS before the venue binds it).
    marketData: {
      port: options.port ?? 0,
      fixVersion,
      senderCompId: 'SIM-MD',
      targetCompId: 'DESK-MD',
      heartbeatSeconds: 5,
    },
  };
  const sim = await startSimulatorProcess({ config });
  const port = sim.marketDataPort;
  if (port === undefined) throw new Error('the simulator reported no market-data port');
  return {
    sim,
    port,
    async close() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The desk's side: the FIX feed adapter and the market-data service over it, counting what arrives per instrument. */
export class DeskMarketDataUnderTest {
  readonly master = new InstrumentMaster(loadInstrumentFile(INSTRUMENTS_CSV));
  /** The service's clock: staleness runs on it. The FIX session's own timers run on the system clock. */
  readonly clock = new TestClock('2026-12-07T14:00:00.000Z');
  readonly published = new Map<string, QuoteView>();
  readonly snapshots = new Map<string, number>();
  readonly increments = new Map<string, number>();
  readonly malformed: string[] = [];
  readonly states: string[] = [];
  readonly service: MarketDataService;
  readonly feed: FixMarketDataFeed;

  constructor(fixVersion: FixVersion, port: number, staleAfterSeconds = 5) {
    this.service = new MarketDataService({
      clock: this.clock,
      log: createLogger({ level: 'warn', component: 'md-test' }),
      instrument: (id) => this.master.get(id),
      staleAfterMs: staleAfterSeconds * 1_000,
      staleCheckMs: 100,
      publishQuote: (view) => this.published.set(view.instrumentId, view),
      publishSession: () => {},
    });
    const inner = this.service.listener;
    const counted: MarketDataListener = {
      onState: (state, error) => {
        this.states.push(state);
        inner.onState(state, error);
      },
      onSnapshot: (id, entries) => {
        this.snapshots.set(id, (this.snapshots.get(id) ?? 0) + 1);
        inner.onSnapshot(id, entries);
      },
      onIncremental: (id, entries) => {
        this.increments.set(id, (this.increments.get(id) ?? 0) + 1);
        inner.onIncremental(id, entries);
      },
      onReject: (id, reason) => inner.onReject(id, reason),
      onMalformed: (reason, raw) => {
        this.malformed.push(`${reason}: ${raw}`);
        inner.onMalformed(reason, raw);
      },
    };
    const config = marketDataConfigSchema.parse({ name: 'VENUE', port, fixVersion, senderCompId: 'DESK-MD', targetCompId: 'SIM-MD', heartbeatSeconds: 5, reconnectSeconds: 0.2, staleAfterSeconds });
    this.feed = new FixMarketDataFeed(config, counted, { log: createLogger({ level: 'warn', component: 'md-feed' }), clock: systemClock, tradeDate: () => TRADE_DATE });
  }

  instrument(id: string): Instrument {
    const i = this.master.get(id);
    if (i === undefined) throw new Error(`no instrument ${id}`);
    return i;
  }

  /** Polls (real time) until the probe holds. */
  async until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; states: ${this.states.join(' > ')}; malformed: ${this.malformed.slice(0, 3).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
