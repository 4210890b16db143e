import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener } from '../broker/broker-port';
import { brokerConfigSchema } from '../config/desk-config';
import { silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import { allConnectionTransitions, CONNECTION_PHASES, connectionTransition } from './connection-state-table';
import { createFixBrokerConnection } from './fix-broker-connection';

/**
 * The connection's timers on the test clock: reconnect backoff, the logon and connect timeouts.
 * The broker is a bare TCP server on 127.0.0.1 (what it does with the socket is the test).
 */

const servers: Server[] = [];
const connections: BrokerConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) await Promise.race([c.stop(), new Promise((r) => setTimeout(r, 1_000))]);
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A broker endpoint that hands each accepted socket to `behave`. */
async function broker(behave: (socket: Socket) => void): Promise<{ port: number; accepted: Socket[]; received: string[] }> {
  const accepted: Socket[] = [];
  const received: string[] = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('data', (d) => received.push(d.toString('latin1')));
    socket.on('error', () => {});
    behave(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, accepted, received };
}

function connect(port: number, clock: TestClock, options: { maxReconnectSeconds?: number; logonTimeoutMs?: number; connectTimeoutMs?: number; tls?: boolean } = {}) {
  const states: Array<{ state: SessionState; error?: string }> = [];
  const listener: BrokerListener = { onState: (_b, state, error) => states.push({ state, ...(error !== undefined && { error }) }), onMessage: () => {}, onMalformed: () => {} };
  const config = brokerConfigSchema.parse({
    name: 'BRK',
    host: '127.0.0.1',
    port,
    senderCompId: 'MERIDIAN',
    targetCompId: 'BRK',
    reconnectSeconds: 1,
    ...(options.tls === true && { tls: { caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } }),
  });
  const connection = createFixBrokerConnection(config, listener, { log: silentLogger, clock, ...options });
  connections.push(connection);
  return { connection, states };
}

/** Socket events are real: wait for what they do (bounded), never for time to pass. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`never: ${what}`);
}
const settle = () => new Promise((r) => setTimeout(r, 60));

describe('the broker connection on the test clock', () => {
  it('reconnects after a doubling delay, capped, and only when the clock says so', async () => {
    const endpoint = await broker((socket) => socket.destroy()); // accepts, then drops every connection
    const clock = new TestClock();
    const { connection } = connect(endpoint.port, clock, { maxReconnectSeconds: 4 });
    connection.start();
    await until(() => connection.state === 'disconnected', 'the first connection dropped');
    expect(endpoint.accepted).toHaveLength(1);
    const delays = [1_000, 2_000, 4_000, 4_000];
    for (const [i, delay] of delays.entries()) {
      clock.advance(delay - 1);
      await settle();
      expect(endpoint.accepted).toHaveLength(i + 1); // not yet
      clock.advance(1);
      await until(() => endpoint.accepted.length === i + 2, `reconnect ${i + 2}`);
      await until(() => connection.state === 'disconnected', `connection ${i + 2} dropped`);
    }
    await connection.stop();
    expect(connection.state).toBe('stopped');
  });

  it('gives up a Logon the broker does not answer when the logon timeout runs out on the clock', async () => {
    const endpoint = await broker(() => {}); // accepts and says nothing
    const clock = new TestClock();
    const { connection, states } = connect(endpoint.port, clock, { logonTimeoutMs: 5_000 });
    connection.start();
    await until(() => endpoint.received.join('').includes('\x0135=A\x01'), 'our Logon reached the broker');
    expect(connection.state).toBe('connecting');
    clock.advance(4_999);
    await settle();
    expect(connection.state).toBe('connecting');
    clock.advance(1);
    await until(() => connection.state === 'disconnected', 'the logon timed out');
    expect(states.at(-1)).toEqual({ state: 'disconnected', error: 'no answer to our Logon within 5 s' });
    await until(() => endpoint.accepted[0]?.readableEnded === true || endpoint.accepted[0]?.destroyed === true, 'the socket closed');
  });

  it('gives up a connection that never completes (TLS to a silent server) when the connect timeout runs out on the clock', async () => {
    const endpoint = await broker(() => {});
    const clock = new TestClock();
    const { connection, states } = connect(endpoint.port, clock, { connectTimeoutMs: 3_000, tls: true });
    connection.start();
    await until(() => endpoint.accepted.length === 1, 'the TCP connection');
    clock.advance(2_999);
    await settle();
    expect(connection.state).toBe('connecting');
    clock.advance(1);
    await until(() => connection.state === 'disconnected', 'the connect timed out');
    expect(states.at(-1)?.error).toMatch(/no connection within 3 s/);
  });

  it('a person’s logout keeps it down, whatever the clock does, until connect()', async () => {
    const endpoint = await broker((socket) => socket.destroy());
    const clock = new TestClock();
    const { connection } = connect(endpoint.port, clock);
    connection.start();
    await until(() => connection.state === 'disconnected', 'the first connection dropped');
    await connection.logout('checking with the broker');
    expect([connection.state, connection.stats().idle, connection.stats().lastError]).toEqual(['stopped', 'loggedOut', 'logged out: checking with the broker']);
    clock.advance(600_000);
    await settle();
    expect(endpoint.accepted).toHaveLength(1);
    connection.connect();
    await until(() => endpoint.accepted.length === 2, 'connect() connects at once');
  });
});

describe('the connection state table', () => {
  it('lists each (phase, event) once, from and to phases that exist', () => {
    const rows = allConnectionTransitions();
    expect(new Set(rows.map(([from, event]) => `${from}|${event}`)).size).toBe(rows.length);
    for (const [from, , to] of rows) {
      expect(CONNECTION_PHASES).toContain(from);
      if (to !== 'connectIfScheduled') expect(CONNECTION_PHASES).toContain(to);
    }
  });

  it('leads every phase back to stopped on stop(), and reaches every phase from stopped', () => {
    for (const phase of CONNECTION_PHASES) {
      if (phase === 'stopped' || phase === 'stopping') continue;
      const next = connectionTransition(phase, 'stop');
      expect(next === 'stopped' || (next === 'stopping' && connectionTransition('stopping', 'logoutTimedOut') === 'stopped'), phase).toBe(true);
    }
    const reached = new Set<string>(['stopped']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [from, , to] of allConnectionTransitions()) {
        const targets = to === 'connectIfScheduled' ? ['connecting', 'idleOutsideSchedule'] : [to];
        for (const t of targets) if (reached.has(from) && !reached.has(t)) grew = reached.add(t) !== undefined;
      }
    }
    expect([...reached].sort()).toEqual([...CONNECTION_PHASES].sort());
  });

  it('a late event changes nothing (a socket failing after the session was logged out by a person)', () => {
    expect(connectionTransition('idleLoggedOut', 'socketFailed')).toBeUndefined();
    expect(connectionTransition('idleLoggedOut', 'scheduleOpened')).toBeUndefined(); // a person's logout outlasts the schedule
    expect(connectionTransition('loggedOn', 'connect')).toBeUndefined();
  });
});
