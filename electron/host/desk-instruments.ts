import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Instrument } from '../../shared/domain/instrument';
import { loadInstrumentFile } from '../core/instruments/instrument-file';

/**
 * The desk's instrument master: `instruments.csv` beside the desk's config file (none when there is
 * no such file). A bad row is a ConfigError naming its line and field: the desk does not start.
 */
export function deskInstruments(configPath: string): Instrument[] {
  const path = join(dirname(configPath), 'instruments.csv');
  return existsSync(path) ? loadInstrumentFile(path) : [];
}
