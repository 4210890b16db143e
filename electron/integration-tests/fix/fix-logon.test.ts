import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/order-types';
import { freePort, startSimulatorProcess } from '../../simulator/launch';
import type { SimulatorProcess } from '../../simulator/launch';
import type { BrokerConnection, BrokerListener } from '../../core/broker/broker-port';
import { brokerConfigSchema } from '../../core/config/desk-config';
import { createLogger } from '../../core/log/logger';
import { systemClock } from '../../core/time/clock';
import { createFixBrokerConnection } from '../../core/fix/fix-broker-connection';

const PASSWORD = 'hunter2-secret';

let sim: SimulatorProcess;
let port: number;
const connections: BrokerConnection[] = [];
const logLines: string[] = [];
const log = createLogger({ level: 'debug', write: (line) => logLines.push(line) });

function connect(password: string) {
  const states: Array<{ state: SessionState; error?: string }> = [];
  const listener: BrokerListener = {
    onState: (_b, state, error) => states.push({ state, ...(error !== undefined ? { error } : {}) }),
    onMessage: () => {},
    onMalformed: () => {},
  };
  const config = brokerConfigSchema.parse({
    name: 'SIM-AUTH',
    port,
    senderCompId: 'MERIDIAN',
    targetCompId: 'SIM-AUTH',
    reconnectSeconds: 5,
    username: 'desk',
    passwordEnv: 'TEST_SIM_PASSWORD',
  });
  const connection = createFixBrokerConnection(config, listener, { log, clock: systemClock, env: { TEST_SIM_PASSWORD: password } });
  connections.push(connection);
  connection.start();
  return { connection, states };
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  port = await freePort();
  sim = await startSimulatorProcess({
    config: {
      brokers: [{ name: 'SIM-AUTH', port, senderCompId: 'SIM-AUTH', targetCompId: 'MERIDIAN', username: 'desk', password: PASSWORD }],
      instruments: { 'AAPL.XNAS': { referencePrice: '100' } },
    },
  });
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await sim?.stop();
});

describe('logon with Username/Password (553/554)', () => {
  it('is refused with the broker’s reason when the password is wrong', async () => {
    const { connection, states } = connect('wrong');
    await until('disconnected', () => states.some((s) => s.state === 'disconnected'));
    expect(states.find((s) => s.state === 'disconnected')?.error).toBe('logged out by the broker: wrong password');
    await connection.stop();
    expect(connection.state).toBe('stopped');
  });

  it('logs on with the password from the environment, and never logs it', async () => {
    const { connection } = connect(PASSWORD);
    await until('loggedOn', () => connection.state === 'loggedOn');
    await connection.stop();
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('\n')).not.toContain(PASSWORD);
    expect(sim.stderr()).not.toContain(PASSWORD);
  });
});
