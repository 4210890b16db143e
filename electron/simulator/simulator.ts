import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/log/logger';
import { ClOrdIdJournal } from './clordid-journal';
import type { ControlServer } from './control-server';
import { startControlServer } from './control-server';
import { SimulatedBroker } from './simulated-broker';
import { loadInstrumentFile } from '../core/instruments/instrument-file';
import { InstrumentMaster } from '../core/instruments/instrument-master';
import { InstrumentMarket } from './instrument-market';
import { MarketDataFeed } from './market-data-feed';
import type { SimulatedInstruments } from './simulated-instruments';
import { loadSimulatedInstruments } from './simulated-instruments';
import type { SimulatedMarketDataConfig, SimulatorConfig } from './simulator-config';
import { brokerSettings } from './simulator-config';

export interface RunningSimulator {
  /** What the brokers trade and the market they share. */
  readonly instruments: SimulatedInstruments;
  /** The control channel's port, when configured (script mode). */
  readonly controlPort?: number;
  /** The market-data venue's port, when configured. */
  readonly marketDataPort?: number;
  readonly marketData?: MarketDataFeed;
  readonly brokers: ReadonlyArray<{ readonly name: string; readonly port: number; readonly dropCopyPort?: number; readonly broker: SimulatedBroker }>;
  stop(): Promise<void>;
}

/**
 * One market, one acceptor per configured broker. Resolves when every acceptor listens. A bad
 * instrument file or market entry throws a ConfigError naming it.
 */
export async function startSimulator(config: SimulatorConfig, log: Logger): Promise<RunningSimulator> {
  // The market's date: the configured one (tests), else today's (UTC) at each use.
  const today = config.tradeDate !== undefined ? () => config.tradeDate as string : () => new Date().toISOString().slice(0, 10);
  const instruments = loadSimulatedInstruments(config, today);
  const journal = new ClOrdIdJournal(config.journalFile);
  const runId = Date.now().toString(36) + randomBytes(2).toString('hex');
  const brokers = config.brokers.map(
    (b) => new SimulatedBroker({ config: b, ...brokerSettings(config, b), instruments, journal, log, runId, ...(config.stateDir !== undefined && { stateDir: config.stateDir }) }),
  );
  const venue = config.marketData === undefined ? undefined : marketDataVenue(config, config.marketData, log);
  const marketTimer = setInterval(() => instruments.market.tick(), config.tickIntervalMs);
  let control: ControlServer | undefined;
  const stop = async () => {
    clearInterval(marketTimer);
    venue?.stopUpdates();
    await control?.close();
    await Promise.all([...brokers.map((b) => b.close()), ...(venue !== undefined ? [venue.feed.close()] : [])]);
  };
  try {
    const ports = await Promise.all(brokers.map((b) => b.listen()));
    const marketDataPort = await venue?.feed.listen();
    venue?.startUpdates();
    if (config.control !== undefined) control = await startControlServer(config.control.port, brokers, log, venue);
    return {
      instruments,
      ...(control !== undefined && { controlPort: control.port }),
      ...(venue !== undefined && marketDataPort !== undefined && { marketDataPort, marketData: venue.feed }),
      brokers: brokers.map((broker, i) => ({ name: broker.name, ...ports[i]!, broker })),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The market-data venue: the instrument master's market (a seeded random walk per instrument, options
 * and forwards priced from their underlying), moved every `updateIntervalMs`, its changes sent to
 * every subscription.
 */
function marketDataVenue(config: SimulatorConfig, md: SimulatedMarketDataConfig, log: Logger): MarketDataVenue {
  const instruments = loadInstrumentFile(md.instrumentsFile);
  const tradeDate = md.tradeDate ?? new Date().toISOString().slice(0, 10);
  const market = new InstrumentMarket(instruments, md.instruments, { seed: md.seed ?? config.seed, rates: md.rates, today: () => tradeDate });
  const feed = new MarketDataFeed({
    name: md.name,
    host: md.host,
    port: md.port,
    fixVersion: md.fixVersion,
    senderCompId: md.senderCompId,
    targetCompId: md.targetCompId,
    heartbeatSeconds: md.heartbeatSeconds,
    market,
    master: new InstrumentMaster(instruments),
    log: log.child(`marketData.${md.name}`),
  });
  let timer: NodeJS.Timeout | undefined;
  const venue: MarketDataVenue = {
    feed,
    market,
    startUpdates() {
      if (timer === undefined) timer = setInterval(() => feed.publish(market.tick()), md.updateIntervalMs);
    },
    stopUpdates() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  return venue;
}

/** The market-data venue, for the control channel: its feed and market, its updates paused and resumed. */
export interface MarketDataVenue {
  readonly feed: MarketDataFeed;
  readonly market: InstrumentMarket;
  startUpdates(): void;
  stopUpdates(): void;
}
