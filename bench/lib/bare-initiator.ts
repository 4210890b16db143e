import 'reflect-metadata';
import { AsciiSession, MsgTransport, TcpDuplex } from 'jspurefix';
import type { IJsFixConfig, ILooseObject, MsgView } from 'jspurefix';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { BrokerConfig } from '../../electron/core/config/desk-config';
import { initiatorDescription } from '../../electron/integration-tests/support/jspurefix-initiator-description';
import { makeSessionConfig } from '../../electron/integration-tests/support/jspurefix-runtime';
import { silentLogger } from '../../electron/core/log/logger';

/**
 * The baseline: a jspurefix initiator that only sends and receives. Same dictionary, same engine
 * configuration and the same socket options as the desk's adapter, and nothing else: no validation,
 * no mapping, no journal, no state, no publishing. `onReport` gets ClOrdID and ExecType as text.
 */
class BareSession extends AsciiSession {
  onReport: (clOrdId: string, execType: string) => void = () => {};
  private readyResolve: (() => void) | undefined;
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  constructor(config: IJsFixConfig) {
    super(config);
    this.logReceivedMsgs = false;
    this.on('error', () => {});
  }

  sendOrder(fields: ILooseObject): void {
    this.send('D', fields);
  }

  protected override onApplicationMsg(_msgType: string, view: MsgView): void {
    this.onReport(view.getString(11) ?? '', view.getString(150) ?? '');
  }

  protected override onReady(_view: MsgView): void {
    this.readyResolve?.();
  }

  protected override onStopped(_error?: Error): void {}
  protected override onDecoded(_msgType: string, _txt: string): void {}
  protected override onEncoded(_msgType: string, _txt: string): void {}
  protected override onLogon(_view: MsgView, _user: string, _password: string): boolean {
    return true;
  }
}

export interface BareInitiator {
  readonly session: BareSession;
  send(clOrdId: string, symbol: string, limitPrice: string): void;
  stop(): Promise<void>;
}

export async function connectBareInitiator(broker: BrokerConfig, options: { noDelay?: boolean } = {}): Promise<BareInitiator> {
  const config = await makeSessionConfig(initiatorDescription(broker, undefined), silentLogger);
  const session = new BareSession(config);
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = createConnection({ host: broker.host, port: broker.port, noDelay: options.noDelay ?? true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => {});
  const running = session.run(new MsgTransport(1, config, new TcpDuplex(socket))).catch(() => undefined);
  await session.ready;
  return {
    session,
    send(clOrdId, symbol, limitPrice) {
      // The same NewOrderSingle the desk's outbound mapping produces for a limit day order.
      session.sendOrder({
        ClOrdID: clOrdId,
        Account: 'FUND-ALPHA',
        HandlInst: '1',
        Instrument: { Symbol: symbol },
        Side: '1',
        TransactTime: new Date(),
        OrderQtyData: { OrderQty: '100' },
        OrdType: '2',
        Price: limitPrice,
        TimeInForce: '0',
      });
    },
    async stop() {
      session.done();
      await Promise.race([running, new Promise((r) => setTimeout(r, 1_000))]);
      socket.destroy();
    },
  };
}
