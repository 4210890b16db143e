import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerConnection } from '../../core/broker/broker-port';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { connection, order, sleep, SYMBOLS, until } from './session-support';

const PASSWORD = 'tls-s3cret-pw';

/** A self-signed certificate for "localhost", made for this test run with the openssl CLI. */
function selfSigned(dir: string, name: string): { certPem: string; keyPem: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

describe('TLS, credentials and the drop copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-tls-'));
  let sim: SimulatorProcess;
  let server: { certPem: string; keyPem: string };
  let stranger: { certPem: string; keyPem: string };
  const connections: BrokerConnection[] = [];

  beforeAll(async () => {
    server = selfSigned(dir, 'broker');
    stranger = selfSigned(dir, 'stranger');
    sim = await startSimulatorProcess({
      config: {
        fills: { enabled: true, intervalMs: 50, fraction: 0.5 },
        brokers: [
          {
            name: 'SIM-TLS',
            port: 0,
            senderCompId: 'SIM-TLS',
            targetCompId: 'MERIDIAN',
            heartbeatSeconds: 5,
            username: 'desk',
            password: PASSWORD,
            tls: { certPem: server.certPem, keyPem: server.keyPem },
            dropCopy: { port: 0, senderCompId: 'SIM-TLS-DC', targetCompId: 'MERIDIAN-DC', heartbeatSeconds: 5 },
          },
        ],
        instruments: SYMBOLS,
      },
    });
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.stop()));
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const port = () => sim.brokers[0]!.port;
  const open = (password: string, ca: string) => {
    const c = connection(
      { name: 'SIM-TLS', port: port(), username: 'desk', passwordEnv: 'TLS_TEST_PASSWORD', tls: { caPemEnv: 'TLS_TEST_CA', serverName: 'localhost', rejectUnauthorized: true } },
      { env: { TLS_TEST_PASSWORD: password, TLS_TEST_CA: ca } },
    );
    connections.push(c.connection);
    return c;
  };

  it('logs on over TLS to a broker whose certificate it trusts, and trades', async () => {
    const { connection: conn, recorder, logLines } = open(PASSWORD, server.certPem);
    conn.start();
    await until('logged on', () => conn.state === 'loggedOn');
    const o = order({ limitPrice: '1000', quantity: '4' });
    expect(conn.send(o)).toMatchObject({ msgType: 'D' }); // stored and on its way
    await until('filled', () => recorder.executions(o.clOrdId).some((m) => m.ordStatus === 'filled'));
    await conn.stop();
    const everything = [logLines.join('\n'), JSON.stringify(conn.messageLog({ limit: 100 })), sim.stderr()].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(conn.messageLog({ limit: 100, msgType: 'A', direction: 'out' })[0]!.raw).toContain('554=***');
  });

  it('refuses a broker certificate signed by nobody it trusts, saying so', async () => {
    const { connection: conn, recorder } = open(PASSWORD, stranger.certPem);
    conn.start();
    await until('a TLS error', () => recorder.states.find((s) => s.state === 'disconnected' && s.error));
    expect(recorder.states.find((s) => s.state === 'disconnected')!.error).toMatch(/self.signed|certificate/i);
    expect(conn.state).not.toBe('loggedOn');
    await conn.stop();
  });

  it('is refused with a wrong password, with the broker’s reason', async () => {
    const { connection: conn, recorder } = open('wrong-password', server.certPem);
    conn.start();
    await until('refused', () => recorder.states.find((s) => s.state === 'disconnected' && s.error));
    expect(recorder.states.find((s) => s.state === 'disconnected')!.error).toBe('logged out by the broker: wrong password');
    await conn.stop();
  });

  it('a drop-copy session only receives, and gets a copy of every execution of the trading session', async () => {
    const trading = open(PASSWORD, server.certPem);
    const copy = connection(
      {
        name: 'SIM-TLS',
        port: sim.brokers[0]!.dropCopyPort!,
        senderCompId: 'MERIDIAN-DC',
        targetCompId: 'SIM-TLS-DC',
        username: 'desk',
        passwordEnv: 'TLS_TEST_PASSWORD',
        tls: { caPem: server.certPem, serverName: 'localhost' },
      },
      { env: { TLS_TEST_PASSWORD: PASSWORD }, role: 'dropCopy' },
    );
    connections.push(trading.connection, copy.connection);
    trading.connection.start();
    copy.connection.start();
    await until('both logged on', () => trading.connection.state === 'loggedOn' && copy.connection.state === 'loggedOn');
    const o = order({ limitPrice: '1000', quantity: '6' });
    trading.connection.send(o);
    expect(copy.connection.send(order())).toBeUndefined(); // nothing sent
    await until('filled on both', () => [trading, copy].every((c) => c.recorder.executions(o.clOrdId).some((m) => m.ordStatus === 'filled')));
    await sleep(200);
    const ids = (c: typeof trading) => c.recorder.executions(o.clOrdId).map((m) => m.execId);
    expect(ids(copy)).toEqual(ids(trading));
  });
});
