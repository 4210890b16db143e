import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_INSTRUMENTS_PATH } from '../core/instruments/shipped-instruments.test-support';
import { runHostToExit } from './support/host-process';

/**
 * The desk's instrument file is read and validated whole before anything starts: a bad row is a
 * config error like any other (one message naming the file, the line and the field; exit code 2;
 * no data folder made, nothing half-loaded).
 */
describe('the instrument file at the start of the headless host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-instruments-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start on a bad row, naming its line and field, exit code 2', async () => {
    const lines = readFileSync(SHIPPED_INSTRUMENTS_PATH, 'utf8').split('\n');
    const es = lines.findIndex((l) => l.startsWith('ESZ6.XCME,'));
    lines[es] = (lines[es] as string).replace(',50,12.50,', ',50,12.75,'); // tickValue ≠ tickSize × multiplier
    writeFileSync(join(dir, 'bad-instruments.csv'), lines.join('\n'));
    const configPath = join(dir, 'desk.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        accounts: ['FUND-ALPHA'],
        instruments: 'bad-instruments.csv', // relative to the config file
        brokers: [{ name: 'SIM-A', host: '127.0.0.1', port: 1, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
      }),
    );
    const dataDir = join(dir, 'data');
    const outcome = await runHostToExit({ configPath, dataDir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`${join(dir, 'bad-instruments.csv')}: 1 problem, nothing loaded`);
    expect(outcome.stderr).toMatch(new RegExp(`line ${es + 1}, tickValue: tickValue 12\\.75 is not tickSize × multiplier \\(12\\.5\\)`));
    expect(() => statSync(dataDir)).toThrow(/ENOENT/);
  }, 60_000);

  it('names a file that is not there', async () => {
    const configPath = join(dir, 'missing.json');
    writeFileSync(configPath, JSON.stringify({ accounts: ['FUND-ALPHA'], instruments: 'nowhere.csv', brokers: [{ name: 'SIM-A', host: '127.0.0.1', port: 1, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }] }));
    const outcome = await runHostToExit({ configPath, dataDir: join(dir, 'data2') });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`cannot read the instrument file ${join(dir, 'nowhere.csv')}`);
  }, 60_000);
});
