import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokerConfigSchema, loadDeskConfig } from '../core/config/desk-config';
import { loadDeskInstruments } from '../core/desk/desk-instruments';
import { loadSimulatedInstruments } from './simulated-instruments';
import { brokerSettings, loadSimulatorConfig, parseSimulatorConfig } from './simulator-config';

const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('simulator configuration', () => {
  it('the default config/simulator.json is valid and matches config/desk.json', () => {
    const sim = loadSimulatorConfig(repoFile('config/simulator.json'));
    const desk = loadDeskConfig(repoFile('config/desk.json'));
    for (const broker of desk.brokers) {
      const simulated = sim.brokers.find((b) => b.name === broker.name);
      expect(simulated).toMatchObject({ port: broker.port, senderCompId: broker.targetCompId, targetCompId: broker.senderCompId });
    }
    // Every instrument of the desk's master trades at the simulated brokers (bases priced, options and forwards from them).
    const traded = loadSimulatedInstruments(sim, () => '2026-11-27').master;
    expect(loadDeskInstruments(desk).all().filter((i) => traded.get(i.id) === undefined)).toEqual([]);
  });

  it('names a market entry for no instrument of the file, and a base instrument without its reference price', () => {
    const config = parseSimulatorConfig({
      brokers: [{ name: 'A', port: 1, senderCompId: 'A', targetCompId: 'D' }],
      instruments: { 'AAPL.XNAS': { referencePrice: '1' }, 'NOPE.XNAS': { referencePrice: '1' }, 'ESZ6.XCME': { volatility: 0 }, 'AAPL261218C200': { volatility: 0 } },
    });
    expect(() => loadSimulatedInstruments(config, () => '2026-11-27')).toThrow(/instruments\.NOPE\.XNAS: no instrument NOPE\.XNAS in [\s\S]*instruments\.ESZ6\.XCME: a future needs its referencePrice/);
    expect(() => loadSimulatedInstruments(config, () => '2026-11-27')).not.toThrow(/AAPL261218C200/);
  });

  it('fills in defaults and lets a broker override latency and fills', () => {
    const config = parseSimulatorConfig({
      brokers: [
        { name: 'A', port: 1, senderCompId: 'A', targetCompId: 'D' },
        { name: 'B', port: 2, senderCompId: 'B', targetCompId: 'D', ackDelayMs: 50, fills: { enabled: false } },
      ],
      instruments: { 'AAPL.XNAS': { referencePrice: '1' } },
    });
    expect(brokerSettings(config, config.brokers[0]!)).toEqual({ ackDelayMs: 0, fills: { enabled: true, intervalMs: 200, fraction: 0.25 } });
    expect(brokerSettings(config, config.brokers[1]!)).toEqual({ ackDelayMs: 50, fills: { enabled: false, intervalMs: 200, fraction: 0.25 } });
    expect(config.brokers[0]!.host).toBe('127.0.0.1');
  });

  it('names every bad field', () => {
    expect(() =>
      parseSimulatorConfig({
        brokers: [{ name: 'A', port: 70000, senderCompId: 'A', targetCompId: 'D', extra: 1 }],
        instruments: { 'AAPL.XNAS': { referencePrice: '-1' } },
        fills: { fraction: 2 },
      }),
    ).toThrow(/brokers\[0\]\.port: port must be 0-65535[\s\S]*brokers\[0\]: Unrecognized key[\s\S]*instruments\.AAPL\.XNAS\.referencePrice: referencePrice must be a positive decimal/);
  });

  it('refuses duplicate broker names and ports', () => {
    const broker = { name: 'A', port: 1, senderCompId: 'A', targetCompId: 'D' };
    expect(() => parseSimulatorConfig({ brokers: [broker, broker], instruments: { 'AAPL.XNAS': { referencePrice: '1' } } })).toThrow(
      /brokers\[1\]: duplicate broker name A[\s\S]*brokers\[1\]: duplicate port 1/,
    );
  });

  it('a broker config of the desk parses against the desk schema too (sanity of the shared shape)', () => {
    expect(brokerConfigSchema.safeParse({ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }).success).toBe(true);
  });

  it('speaks the FIX version each broker is configured for, and has a script mode with a control channel', () => {
    const config = parseSimulatorConfig({
      control: { port: 0 },
      brokers: [
        { name: 'A', port: 1, senderCompId: 'A', targetCompId: 'D' },
        { name: 'B', port: 2, senderCompId: 'B', targetCompId: 'D', fixVersion: 'FIX.4.2', auto: false },
      ],
      instruments: { 'AAPL.XNAS': { referencePrice: '1' } },
    });
    expect(config.brokers.map((b) => [b.fixVersion, b.auto])).toEqual([
      ['FIX.4.4', true],
      ['FIX.4.2', false],
    ]);
    expect(config.control).toEqual({ port: 0 });
    expect(() => parseSimulatorConfig({ ...config, brokers: [{ ...config.brokers[0], fixVersion: 'FIX.4.3' }] })).toThrow(/fixVersion must be one of FIX.4.2, FIX.4.4, FIX.5.0SP2/);
  });

  it('takes a broker behaviour of real engines, and names one it does not know', () => {
    const base = { brokers: [{ name: 'A', port: 1, senderCompId: 'A', targetCompId: 'D', behaviour: { noCancelReplace: true, sendingTimeWithoutColons: true } }], instruments: { 'AAPL.XNAS': { referencePrice: '1' } } };
    expect(parseSimulatorConfig(base).brokers[0]?.behaviour).toEqual({ noCancelReplace: true, sendingTimeWithoutColons: true });
    expect(() => parseSimulatorConfig({ ...base, brokers: [{ ...base.brokers[0], behaviour: { noAmends: true } }] }, 'sim.json')).toThrow(/brokers\[0\]\.behaviour/);
  });
});

describe('the market-data venue in the simulator configuration', () => {
  it('the default venue is where config/desk.json looks for it, and quotes the one market: every instrument of the master', async () => {
    const sim = loadSimulatorConfig(repoFile('config/simulator.json'));
    const desk = loadDeskConfig(repoFile('config/desk.json'));
    expect(sim.marketData).toMatchObject({ port: desk.marketData?.port, senderCompId: desk.marketData?.targetCompId, targetCompId: desk.marketData?.senderCompId, fixVersion: desk.marketData?.fixVersion });
    const { loadInstrumentFile } = await import('../core/instruments/instrument-file');
    const { loadSimulatedInstruments } = await import('./simulated-instruments');
    const instruments = loadInstrumentFile(repoFile('config/instruments.csv'));
    const simulated = loadSimulatedInstruments(sim, () => '2026-12-07');
    expect(simulated.market.instrumentIds().sort()).toEqual(instruments.map((i) => i.id).sort());
    expect(simulated.quoted.all().map((i) => i.id).sort()).toEqual(instruments.map((i) => i.id).sort());
  });

  it('names every bad field of the venue, refuses a port a broker uses, and takes no market of its own (it quotes the brokers\' one)', () => {
    const base = { brokers: [{ name: 'A', port: 9881, senderCompId: 'A', targetCompId: 'D' }], instruments: {} };
    expect(() => parseSimulatorConfig({ ...base, marketData: { port: 9882, senderCompId: 'MD', targetCompId: 'D', heartbeatSeconds: 0, instruments: { 'A.X': { referencePrice: '-3' } } } })).toThrow(
      /marketData\.heartbeatSeconds[\s\S]*marketData\.instruments\.A\.X\.referencePrice: referencePrice must be a positive decimal/,
    );
    expect(() => parseSimulatorConfig({ ...base, marketData: { port: 9881, senderCompId: 'MD', targetCompId: 'D' } })).toThrow(/marketData\.port: port 9881 is broker A's/);
    for (const field of ['instrumentsFile', 'updateIntervalMs', 'seed', 'rates', 'tradeDate']) {
      expect(() => parseSimulatorConfig({ ...base, marketData: { port: 9882, senderCompId: 'MD', targetCompId: 'D', [field]: 1 } })).toThrow(new RegExp(field));
    }
  });
});
