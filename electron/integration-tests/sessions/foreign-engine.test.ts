import 'reflect-metadata';
import { MemorySessionStore, MsgTransport, SessionRegistry, TcpDuplex } from 'jspurefix';
import type { IFixSessionStore, ISessionDescription, SessionId } from 'jspurefix';
import { makeSessionScope } from 'jspurefix/dist/runtime/session-scope.js';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineLogFactory, makeSessionConfig } from '../support/jspurefix-runtime';
import { createLogger } from '../../core/log/logger';
import { AcceptorSession } from './jspurefix-acceptor-session';
import { connection, order, sleep, until } from './session-support';

/**
 * Our initiator against a FIX engine we did not write: a jspurefix acceptor, which checks every
 * inbound message's BodyLength, CheckSum, CompIDs and required fields (checkMsgIntegrity).
 */
describe('against another FIX engine (jspurefix acceptor)', () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();
  const received: Array<{ msgType: string; raw: string }> = [];
  const ended: string[] = [];
  const log = createLogger({ level: 'warn', write: () => {} });

  beforeAll(async () => {
    const description: ISessionDescription = {
      application: { name: 'ENGINE', type: 'acceptor', protocol: 'ascii', dictionary: 'qf44', resilient: false, reconnectSeconds: 0, tcp: { host: '127.0.0.1', port: 0 } },
      Name: 'ENGINE',
      BeginString: 'FIX.4.4',
      SenderCompId: 'ENGINE',
      TargetCompID: 'MERIDIAN',
      SenderSubID: undefined as unknown as string,
      TargetSubID: undefined as unknown as string,
      HeartBtInt: 1,
      ResetSeqNumFlag: false,
      Username: undefined as unknown as string,
      Password: undefined as unknown as string,
    };
    const engineConfig = await makeSessionConfig(description, log);
    engineConfig.sessionRegistry = new SessionRegistry(new EngineLogFactory(log));
    const stores = new Map<string, IFixSessionStore>();
    engineConfig.sessionStoreFactory = {
      create: (id: SessionId) => stores.get(id.toString()) ?? (stores.set(id.toString(), new MemorySessionStore(id)), stores.get(id.toString())!),
    };
    let transportId = 0;
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      const scoped = makeSessionScope(engineConfig);
      const session = new AcceptorSession(scoped, {
        checkLogon: (_sender, user, password) => (user === 'desk' && password === 'pw' ? undefined : 'bad credentials'),
        onLoggedOn: () => {},
        onRequest: (s, msgType, fields, raw) => {
          received.push({ msgType, raw });
          if (msgType !== 'D') return;
          s.sendReport('8', {
            OrderID: 'ENG-1',
            ClOrdID: fields.get(11)!,
            ExecID: `ENG-E-${received.length}`,
            ExecType: '0',
            OrdStatus: '0',
            Instrument: { Symbol: fields.get(55)! },
            Side: fields.get(54)!,
            LeavesQty: fields.get(38)!,
            CumQty: '0',
            AvgPx: '0',
          });
        },
        onEnded: (_s, error) => ended.push(error?.message ?? 'clean'),
      });
      session.run(new MsgTransport(++transportId, scoped, new TcpDuplex(socket))).catch(() => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('logs on, keeps the session alive with heartbeats, gets its order acknowledged, and logs out cleanly', async () => {
    const { connection: conn, recorder } = connection({ name: 'ENGINE', port, heartbeatSeconds: 1, username: 'desk', password: 'pw' });
    conn.start();
    await until('logged on', () => conn.state === 'loggedOn');
    const o = order();
    expect(conn.send(o)).toBe(true);
    const ack = await until('the ack', () => recorder.executions(o.clOrdId)[0]);
    expect(ack).toMatchObject({ execType: 'new', ordStatus: 'new', brokerOrderId: 'ENG-1', leavesQty: '100' });
    expect(received.map((r) => r.msgType)).toEqual(['D']);
    await sleep(2_500); // several heartbeat intervals: the engine's checks accept our heartbeats
    expect(conn.state).toBe('loggedOn');
    expect(conn.stats().lastHeartbeatAt).toBeDefined();
    await conn.stop();
    expect(conn.state).toBe('stopped');
    await until('the engine ended the session', () => ended.length > 0);
    expect(ended).toEqual(['clean']);
    expect(recorder.malformed).toEqual([]);
  });
});
