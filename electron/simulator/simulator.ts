import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/log/logger';
import { ClOrdIdJournal } from './clordid-journal';
import type { ControlServer } from './control-server';
import { startControlServer } from './control-server';
import { SimulatedBroker } from './simulated-broker';
import type { SimulatedInstruments } from './simulated-instruments';
import { loadSimulatedInstruments } from './simulated-instruments';
import type { SimulatorConfig } from './simulator-config';
import { brokerSettings } from './simulator-config';

export interface RunningSimulator {
  /** What the brokers trade and the market they share. */
  readonly instruments: SimulatedInstruments;
  /** The control channel's port, when configured (script mode). */
  readonly controlPort?: number;
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
  const marketTimer = setInterval(() => instruments.market.tick(), config.tickIntervalMs);
  let control: ControlServer | undefined;
  const stop = async () => {
    clearInterval(marketTimer);
    await control?.close();
    await Promise.all(brokers.map((b) => b.close()));
  };
  try {
    const ports = await Promise.all(brokers.map((b) => b.listen()));
    if (config.control !== undefined) control = await startControlServer(config.control.port, brokers, log);
    return {
      instruments,
      ...(control !== undefined && { controlPort: control.port }),
      brokers: brokers.map((broker, i) => ({ name: broker.name, ...ports[i]!, broker })),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
