import { join } from 'node:path';
import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import { parseCommand } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { SessionView } from '../../../shared/contract/views';
import type { BrokerConnection, BrokerListener } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { SqliteJournal } from '../journal/sqlite-journal';
import type { Logger } from '../log/logger';
import { silentLogger } from '../log/logger';
import { OrderBook } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import { systemClock } from '../time/clock';
import { onBrokerLoggedOn, onBrokerMalformed, onBrokerMessage, onBrokerSent, sessionView } from './broker-inbound';
import type { Desk, DeskOptions } from './desk';
import type { DeskContext } from './desk-context';
import { amendOrder, cancelOrder, cancelOrders, submitOrder } from './order-commands';
import { orderHistory } from './order-history';
import { StreamPublisher } from './stream-publisher';

export type BrokerConnector = (config: BrokerConfig, listener: BrokerListener, log: Logger) => BrokerConnection;

export interface CreateDeskOptions extends DeskOptions {
  /** How to reach a broker. Defaults to FIX over TCP; unit tests pass a fake. */
  readonly connectBroker?: BrokerConnector;
  /** Journal group-sync interval (ms); 0 = commit only (process-crash safe, not power-loss safe). */
  readonly journalSyncMs?: number;
}

export function createDesk(options: CreateDeskOptions): Desk {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const journal = new SqliteJournal(join(options.dataDir, 'desk.sqlite'), { syncIntervalMs: options.journalSyncMs ?? 5 });
  const book = new OrderBook();
  const sessions = new Map<string, SessionView>();
  const brokers = new Map<string, BrokerConnection>();
  const now = () => clock.now().toISOString();

  const publisher = new StreamPublisher(
    clock,
    (): Extract<DeskStreamMessage, { kind: 'snapshot' }> => ({
      kind: 'snapshot',
      orders: [...book.allOrders()].map(orderView),
      executions: [...book.allExecutions()],
      sessions: [...sessions.values()],
      alerts: [...book.alerts()],
      reference: {
        brokers: options.config.brokers.map((b) => b.name),
        accounts: options.config.accounts,
        instruments: options.config.instruments,
      },
    }),
    16,
    (error) => log.error('stream subscriber failed', { error: String(error) }),
  );

  const ctx: DeskContext = { config: options.config, journal, book, publisher, clock, log, brokers, now };
  let malformedCount = 0;
  let started = false;

  const listener: BrokerListener = {
    onState(broker, state, error) {
      const config = options.config.brokers.find((b) => b.name === broker);
      if (config === undefined) return;
      const view = sessionView(config, state, now(), error);
      sessions.set(broker, view);
      publisher.session(view);
      log.info('broker session', { broker, state, error });
      if (state === 'loggedOn') onBrokerLoggedOn(ctx, broker);
    },
    onMessage(broker, message) {
      guarded(() => onBrokerMessage(ctx, broker, message), 'broker message');
    },
    onSent(broker, msgType, raw) {
      guarded(() => onBrokerSent(ctx, broker, msgType, raw), 'audit of a sent message');
    },
    onMalformed(broker, reason, raw) {
      onBrokerMalformed(ctx, broker, reason, raw, ++malformedCount);
    },
  };

  function guarded<T>(fn: () => T, what: string): T | undefined {
    try {
      return fn();
    } catch (error) {
      log.error(`${what} failed`, { error: error instanceof Error ? error.stack : String(error) });
      return undefined;
    }
  }

  const handlers: { [C in CommandName]: (params: CommandParams<C>) => Result<CommandResults[C]> } = {
    submitOrder: (p) => submitOrder(ctx, p),
    amendOrder: (p) => amendOrder(ctx, p),
    cancelOrder: (p) => cancelOrder(ctx, p),
    cancelOrders: (p) => cancelOrders(ctx, p),
    getOrderHistory: (p) => orderHistory(ctx, p.orderId),
  };

  return {
    async start() {
      if (started) return;
      started = true;
      journal.replay((event, seq) => book.apply(event, seq));
      log.info('journal replayed', { events: journal.eventCount });
      const connect = options.connectBroker ?? (await defaultConnector());
      for (const config of options.config.brokers) {
        sessions.set(config.name, sessionView(config, 'stopped', now()));
        const connection = connect(config, listener, log.child(`broker.${config.name}`));
        brokers.set(config.name, connection);
      }
      for (const connection of brokers.values()) connection.start();
    },

    async stop() {
      await Promise.allSettled([...brokers.values()].map((b) => b.stop()));
      publisher.flush();
      publisher.close();
      journal.close();
    },

    async call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
      const parsed = parseCommand(command, params);
      if (!parsed.ok) return parsed.result;
      if (!started) return fail('INTERNAL', 'the desk is not started');
      const result = guarded(() => handlers[command](parsed.params), `command ${command}`);
      return result ?? fail('INTERNAL', `${command} failed inside the desk: see the log`);
    },

    subscribe(listener: (message: DeskStreamMessage) => void) {
      return publisher.subscribe(listener);
    },
  };
}

async function defaultConnector(): Promise<BrokerConnector> {
  const fix = await import('../fix/fix-broker-connection');
  return (config, listener, log) => fix.createFixBrokerConnection(config, listener, { log });
}
