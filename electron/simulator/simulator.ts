import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/log/logger';
import { ClOrdIdJournal } from './clordid-journal';
import type { ControlServer } from './control-server';
import { startControlServer } from './control-server';
import { SimulatedBroker } from './simulated-broker';
import { MarketDataFeed } from './market-data-feed';
import type { SimulatedInstruments } from './simulated-instruments';
import { loadSimulatedInstruments } from './simulated-instruments';
import type { SimulatedMarketDataConfig, SimulatorConfig } from './simulator-config';
import type { InstrumentMarket } from './instrument-market';
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
  let marketTimer: NodeJS.Timeout | undefined;
  const moves: MarketMoves = {
    start: () => void (marketTimer ??= setInterval(() => instruments.market.tick(), config.tickIntervalMs)),
    stop: () => {
      clearInterval(marketTimer);
      marketTimer = undefined;
    },
  };
  moves.start();
  const venue = config.marketData === undefined ? undefined : marketDataVenue(config.marketData, instruments, moves, log);
  let control: ControlServer | undefined;
  const stop = async () => {
    moves.stop();
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

/** The market's own moves (its ticks): running from the start, paused and resumed with the venue. */
interface MarketMoves {
  start(): void;
  stop(): void;
}

/**
 * The market-data venue: it quotes the brokers' own market (what they trade and fill from), every
 * change as it happens — each market tick's and each fill the brokers print — so a quote and a fill
 * at the same moment agree. Paused (the control channel), the market stands still and the venue
 * sends nothing; resumed, it sends what changed (the brokers' fills meanwhile) and the market moves.
 */
function marketDataVenue(md: SimulatedMarketDataConfig, instruments: SimulatedInstruments, moves: MarketMoves, log: Logger): MarketDataVenue {
  const market = instruments.market;
  const feed = new MarketDataFeed({
    name: md.name,
    host: md.host,
    port: md.port,
    fixVersion: md.fixVersion,
    senderCompId: md.senderCompId,
    targetCompId: md.targetCompId,
    heartbeatSeconds: md.heartbeatSeconds,
    market,
    master: instruments.quoted,
    log: log.child(`marketData.${md.name}`),
  });
  let stopListening: (() => void) | undefined;
  const venue: MarketDataVenue = {
    feed,
    market,
    startUpdates() {
      if (stopListening !== undefined) return;
      stopListening = market.onChange((changed) => feed.publish(changed));
      feed.publish(market.instrumentIds()); // what changed while paused (each subscription sends only its differences)
      moves.start();
    },
    stopUpdates() {
      moves.stop();
      stopListening?.();
      stopListening = undefined;
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
