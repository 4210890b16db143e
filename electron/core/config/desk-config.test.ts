import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerPassword, ConfigError, loadDeskConfig, parseDeskConfig } from './desk-config';

const good = {
  accounts: ['FUND-A'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'ME', targetCompId: 'SIM-A' }],
};

describe('desk config', () => {
  it('accepts the shipped configuration', () => {
    const c = loadDeskConfig(join(import.meta.dirname, '../../../config/desk.json'));
    expect(c.brokers.map((b) => b.name)).toEqual(['SIM-A', 'SIM-B']);
  });

  it('fills defaults', () => {
    const c = parseDeskConfig(good);
    expect(c.brokers[0]).toMatchObject({ host: '127.0.0.1', heartbeatSeconds: 30, fixVersion: 'FIX.4.4' });
    expect(c.tradingDay).toEqual({ timeZone: 'UTC', rollTime: '00:00' });
  });

  it('takes the trading day in the desk’s time zone, and names a bad one', () => {
    expect(parseDeskConfig({ ...good, tradingDay: { timeZone: 'America/New_York', rollTime: '17:00' } }).tradingDay).toEqual({ timeZone: 'America/New_York', rollTime: '17:00' });
    expect(() => parseDeskConfig({ ...good, tradingDay: { timeZone: 'Mars/Olympus' } })).toThrow(/tradingDay\.timeZone must be an IANA time zone/);
    expect(() => parseDeskConfig({ ...good, tradingDay: { rollTime: '25:00' } })).toThrow(/tradingDay\.rollTime must be HH:MM/);
  });

  it('names every bad field', () => {
    const bad = { ...good, brokers: [{ ...good.brokers[0], port: 70000 }, { ...good.brokers[0], senderCompId: '' }] };
    expect(() => parseDeskConfig(bad, 'desk.json')).toThrow(ConfigError);
    try {
      parseDeskConfig(bad, 'desk.json');
    } catch (e) {
      expect((e as Error).message).toMatch(/brokers\[0\]\.port/);
      expect((e as Error).message).toMatch(/brokers\[1\]\.senderCompId/);
    }
  });

  it('refuses duplicate broker names and unknown keys', () => {
    expect(() => parseDeskConfig({ ...good, brokers: [good.brokers[0], good.brokers[0]] })).toThrow(/duplicate broker name/);
    expect(() => parseDeskConfig({ ...good, colour: 'red' })).toThrow(ConfigError);
  });

  it('reports unreadable or non-JSON files clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    try {
      const path = join(dir, 'desk.json');
      writeFileSync(path, '{ not json');
      expect(() => loadDeskConfig(path)).toThrow(/not valid JSON/);
      expect(() => loadDeskConfig(join(dir, 'missing.json'))).toThrow(/cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the password from the named environment variable', () => {
    const c = parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], passwordEnv: 'SIM_A_PASSWORD' }] });
    expect(brokerPassword(c.brokers[0]!, { SIM_A_PASSWORD: 's3cret' })).toBe('s3cret');
  });

  it('takes the session knobs: sub-IDs, TLS as PEM contents, custom tags, a schedule, a drop copy', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const c = parseDeskConfig({
      ...good,
      brokers: [
        {
          ...good.brokers[0],
          senderSubId: 'DESK1',
          targetSubId: 'ALGO',
          tls: { caPem: pem, serverName: 'fix.broker.example' },
          logonTags: { '6867': 'Y' },
          headerTags: { '115': 'FUND-A' },
          schedule: { start: '07:00', end: '17:00', timeZone: 'Europe/London', resetSeqNumsDaily: true },
          dropCopy: { port: 9991, senderCompId: 'ME-DC', targetCompId: 'SIM-A-DC', passwordEnv: 'DC_PASSWORD' },
        },
      ],
    });
    expect(c.brokers[0]).toMatchObject({ senderSubId: 'DESK1', tls: { rejectUnauthorized: true }, schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'] } });
    expect(c.brokers[0]!.dropCopy).toMatchObject({ port: 9991 });
  });

  it('refuses file paths as PEM, session tags as custom tags, and a drop copy equal to the trading session', () => {
    const broker = good.brokers[0]!;
    const messages = (b: object) => {
      try {
        parseDeskConfig({ ...good, brokers: [{ ...broker, ...b }] });
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(messages({ tls: { caPem: '/etc/ssl/ca.pem' } })).toMatch(/tls\.caPem: .*PEM contents/);
    expect(messages({ tls: { certPem: '-----BEGIN CERTIFICATE-----' } })).toMatch(/needs its key/);
    expect(messages({ headerTags: { '34': '1' } })).toMatch(/headerTags\.34: .*set by the session/);
    expect(messages({ logonTags: { '554': 'x' } })).toMatch(/logonTags\.554/);
    expect(messages({ logonTags: { abc: 'x' } })).toMatch(/not a tag number/);
    expect(messages({ dropCopy: { port: broker.port, senderCompId: broker.senderCompId, targetCompId: broker.targetCompId } })).toMatch(/drop-copy session must differ/);
    expect(messages({ schedule: { start: '25:00', end: '17:00' } })).toMatch(/schedule\.start/);
  });

  it('resolves each broker\'s capability profile from its FIX version, overridable; FIX 4.2 never takes 35=AF', () => {
    const c = parseDeskConfig({
      ...good,
      brokers: [
        good.brokers[0],
        { ...good.brokers[0], name: 'OLD', port: 9882, fixVersion: 'FIX.4.2' },
        { ...good.brokers[0], name: 'NEW', port: 9883, fixVersion: 'FIX.5.0SP2', capabilities: { cancelReplace: false, chainedRequests: true } },
      ],
    });
    expect(c.brokers.map((b) => b.capabilities)).toEqual([
      { cancelReplace: true, orderStatusRequest: true, massStatusRequest: true, chainedRequests: false },
      { cancelReplace: true, orderStatusRequest: true, massStatusRequest: false, chainedRequests: false },
      { cancelReplace: false, orderStatusRequest: true, massStatusRequest: true, chainedRequests: true },
    ]);
    expect(() => parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], fixVersion: 'FIX.4.2', capabilities: { massStatusRequest: true } }] }, 'desk.json')).toThrow(
      /brokers\[0\]\.capabilities\.massStatusRequest: FIX 4\.2 has no OrderMassStatusRequest/,
    );
    expect(() => parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], capabilities: { amend: false } }] })).toThrow(/capabilities/);
    expect(() => parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], allowChainedRequests: true }] })).toThrow(ConfigError); // moved into capabilities
  });

  it('takes request timeouts and status attempts per broker, with defaults, and names a bad one', () => {
    const c = parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], timeouts: { cancelSeconds: 5 } }] });
    expect(c.brokers[0]).toMatchObject({ timeouts: { newOrderSeconds: 30, cancelSeconds: 5, replaceSeconds: 30, statusSeconds: 30 }, statusRequestAttempts: 3 });
    expect(() => parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], timeouts: { statusSeconds: 0 } }] }, 'desk.json')).toThrow(/brokers\[0\]\.timeouts\.statusSeconds/);
    expect(() => parseDeskConfig({ ...good, brokers: [{ ...good.brokers[0], statusRequestAttempts: 0 }] }, 'desk.json')).toThrow(/brokers\[0\]\.statusRequestAttempts/);
  });
});

describe('the market-data session in the desk config', () => {
  it('fills its defaults', () => {
    const c = parseDeskConfig({ ...good, marketData: { port: 9890, senderCompId: 'ME-MD', targetCompId: 'MD' } });
    expect(c.marketData).toEqual({ name: 'MD', host: '127.0.0.1', port: 9890, fixVersion: 'FIX.4.4', senderCompId: 'ME-MD', targetCompId: 'MD', heartbeatSeconds: 30, reconnectSeconds: 2, staleAfterSeconds: 10 });
  });

  it('names every bad field, and refuses a session that is a broker session', () => {
    expect(() => parseDeskConfig({ ...good, marketData: { port: 0, senderCompId: '', targetCompId: 'MD', staleAfterSeconds: 0, fixVersion: 'FIX.4.3', password: 'x', passwordEnv: 'X' } })).toThrow(
      /marketData\.port: marketData\.port must be 1-65535[\s\S]*marketData\.fixVersion: marketData\.fixVersion must be one of[\s\S]*marketData\.senderCompId[\s\S]*marketData\.staleAfterSeconds: marketData\.staleAfterSeconds must be at least 0\.1/,
    );
    expect(() => parseDeskConfig({ ...good, marketData: { port: 9890, senderCompId: 'ME', targetCompId: 'MD', password: 'x', passwordEnv: 'X' } })).toThrow(/marketData\.passwordEnv: give password or passwordEnv, not both/);
    expect(() => parseDeskConfig({ ...good, marketData: { port: 9881, senderCompId: 'ME', targetCompId: 'SIM-A' } })).toThrow(/marketData: the market-data session must differ from broker SIM-A/);
  });
});

describe('funds in the desk config', () => {
  it('gives a config without funds one fund, DESK in USD, holding every account', () => {
    expect(parseDeskConfig(good).funds).toEqual([{ name: 'DESK', baseCurrency: 'USD', accounts: ['FUND-A'] }]);
  });

  it('takes each account in one fund with a base currency', () => {
    const c = parseDeskConfig({ ...good, accounts: ['A1', 'A2'], funds: [{ name: 'EU', baseCurrency: 'EUR', accounts: ['A1'] }, { name: 'US', baseCurrency: 'USD', accounts: ['A2'] }] });
    expect(c.funds.map((f) => [f.name, f.baseCurrency, f.accounts])).toEqual([['EU', 'EUR', ['A1']], ['US', 'USD', ['A2']]]);
  });

  it('names an account in no fund, in two, unknown, and a bad base currency', () => {
    const bad = { ...good, accounts: ['A1', 'A2', 'A3'], funds: [{ name: 'F', baseCurrency: 'EURO', accounts: ['A1', 'ZZ'] }, { name: 'G', baseCurrency: 'USD', accounts: ['A1', 'A2'] }] };
    expect(() => parseDeskConfig(bad, 'desk.json')).toThrow(ConfigError);
    expect(() => parseDeskConfig(bad, 'desk.json')).toThrow(/funds\[0\]\.baseCurrency[\s\S]*ISO 4217/);
    expect(() => parseDeskConfig({ ...bad, funds: [{ ...bad.funds[0], baseCurrency: 'EUR' }, bad.funds[1]] }, 'desk.json')).toThrow(
      /funds\[0\]\.accounts\[1\]: account ZZ is not one of the desk's accounts[\s\S]*funds\[1\]\.accounts\[0\]: account A1 is already in fund F[\s\S]*account A3 belongs to no fund/,
    );
  });
});
