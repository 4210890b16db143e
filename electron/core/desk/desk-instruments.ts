import { fileURLToPath } from 'node:url';
import type { DeskConfig } from '../config/desk-config';
import { loadInstrumentFile } from '../instruments/instrument-file';
import { InstrumentMaster } from '../instruments/instrument-master';

/** The reference file shipped with the desk (config/instruments.csv), where the sources run from. */
export const SHIPPED_INSTRUMENT_FILE = fileURLToPath(new URL('../../../config/instruments.csv', import.meta.url));

/**
 * The desk's instrument master: the config's `instruments` file (made absolute by loadDeskConfig),
 * else `shipped` (a host that knows where its shipped file is: the packaged app), else the sources'
 * config/instruments.csv. Throws a ConfigError naming every bad line and field: nothing half-loaded.
 */
export function loadDeskInstruments(config: DeskConfig, shipped: string = SHIPPED_INSTRUMENT_FILE): InstrumentMaster {
  return new InstrumentMaster(loadInstrumentFile(config.instruments ?? shipped));
}
