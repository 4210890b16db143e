import { userInfo } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import { parseCommand } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { BrokerCapabilities, SessionRole } from '../../../shared/contract/views';
import { AlertLog } from '../alerts/alert-log';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, SessionAlert } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { Snapshotter } from '../journal/snapshots';
import { SqliteJournal } from '../journal/sqlite-journal';
import type { Logger } from '../log/logger';
import { silentLogger } from '../log/logger';
import { OrderBook } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';
import { onBrokerMalformed, onBrokerMessage, onBrokerSent } from './broker-inbound';
import { onBrokerLoggedOn, sendStatusRequest } from './logon-reconciliation';
import type { Desk, DeskOptions } from './desk';
import type { DeskContext } from './desk-context';
import { raiseAlert, record } from './desk-context';
import { DropCopyChecker, deskSnapshotSections, dropCopyConfig, foldDeskEvent } from './drop-copy';
import { acknowledgeAlerts, amendOrder, cancelOrder, cancelOrders, settleOrder, submitOrder } from './order-commands';
import { RequestTimeouts } from './request-timeouts';
import { orderHistory } from './order-history';
import { connectSession, fixLog, logoutSession, setNextSequenceNumbers } from './session-commands';
import { SessionMonitor } from './session-monitor';
import { StreamPublisher } from './stream-publisher';

export interface BrokerConnectOptions {
  /** The broker's trading session, or its drop-copy session (whose config is the `dropCopy` block laid over the broker's). */
  readonly role: SessionRole;
  /** The desk's data folder. */
  readonly dataDir: string;
  /** The desk's clock: session timers, schedules and the session store's retention run on it. */
  readonly clock: Clock;
  /**
   * The journal's database. A connection that stores anything on the order's path (the FIX session:
   * sequence numbers, messages) stores it here, in the journal's transaction, and lets nothing out
   * of the process before that commits: a command's send is called inside its batch.
   */
  readonly database: Database.Database;
}

export type BrokerConnector = (config: BrokerConfig, listener: BrokerListener, log: Logger, options: BrokerConnectOptions) => BrokerConnection;

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
  const alerts = new AlertLog();
  const brokers = new Map<string, BrokerConnection>();
  const dropCopies = new Map<string, BrokerConnection>();
  const now = () => clock.now().toISOString();

  const publisher = new StreamPublisher(
    clock,
    (): Extract<DeskStreamMessage, { kind: 'snapshot' }> => ({
      kind: 'snapshot',
      orders: [...book.allOrders()].map(orderView),
      executions: [...book.allExecutions()],
      sessions: monitor.all(),
      alerts: alerts.views(),
      reference: {
        brokers: options.config.brokers.map((b) => b.name),
        accounts: options.config.accounts,
        instruments: options.config.instruments,
        capabilities: Object.fromEntries(options.config.brokers.map((b): [string, BrokerCapabilities] => [b.name, b.capabilities])),
      },
    }),
    16,
    (error) => log.error('stream subscriber failed', { error: String(error) }),
    (flush) => journal.afterCommit(flush),
  );

  const requests = new RequestTimeouts({
    clock,
    log: log.child('requests'),
    brokers: options.config.brokers,
    book,
    connections: brokers,
    record: (event) => record(ctx, event),
    raise: (alert) => raiseAlert(ctx, alert),
    askStatus: (order) => journal.batch(() => sendStatusRequest(ctx, order)),
    now,
  });
  const ctx: DeskContext = {
    config: options.config,
    journal,
    book,
    alerts,
    requests,
    publisher,
    clock,
    log,
    brokers,
    dropCopies,
    loggedOut: new Map(),
    refreshSession: (broker) => monitor.refresh(broker),
    operator: options.operator ?? localUser(),
    now,
  };
  const dropCopy = new DropCopyChecker(ctx);
  const monitor = new SessionMonitor({
    brokers: options.config.brokers,
    clock,
    log,
    connections: brokers,
    dropCopies,
    dropCopyFigures: (broker) => dropCopy.figures(broker),
    publish: (view) => publisher.session(view),
  });
  let started = false;
  let snapshots: Snapshotter | undefined;
  const lastState = new Map<string, SessionState>();

  const listener: BrokerListener = {
    onState(broker, state, error) {
      if (!brokers.has(broker)) return;
      const before = lastState.get(broker);
      lastState.set(broker, state);
      log.info('broker session', { broker, state, error });
      // Requests in flight when the session dropped may or may not have reached the broker.
      if (before === 'loggedOn' && state !== 'loggedOn') {
        requests.sessionDown(broker);
        guarded(() => interrupted(broker, 'sessionDropped'), 'marking uncertain orders');
      }
      monitor.stateChanged(broker, 'trading', error);
      if (state === 'loggedOn') guarded(() => onBrokerLoggedOn(ctx, broker), 'reconciliation at logon');
    },
    onMessage(broker, message) {
      if (message.type === 'executionReport') guarded(() => dropCopy.observe(broker, 'trading', message), 'drop-copy check');
      guarded(() => onBrokerMessage(ctx, broker, message), 'broker message');
    },
    batch: (fn) =>
      journal.batch(() => {
        // Once the read is journaled (with the session's own bookkeeping, in the same commit), the
        // screens need not wait for the end of the turn.
        journal.afterCommit(() => publisher.flush());
        return fn();
      }),
    onSent(broker, msgType, raw) {
      guarded(() => onBrokerSent(ctx, broker, msgType, raw), 'audit of a sent message');
    },
    onMalformed(broker, reason, raw) {
      onBrokerMalformed(ctx, broker, reason, raw);
    },
    onSessionAlert(broker, alert) {
      sessionAlert(broker, 'trading', alert);
      const clOrdIds = alert.clOrdIds ?? [];
      if (clOrdIds.length > 0) guarded(() => record(ctx, { type: 'sessionInterrupted', at: now(), broker, reason: 'notReplayed', clOrdIds }), 'marking uncertain orders');
    },
  };

  function sessionAlert(broker: string, role: SessionRole, alert: SessionAlert): void {
    const who = role === 'trading' ? broker : `${broker} drop copy`;
    raiseAlert(ctx, { level: alert.level, code: 'SESSION', message: `${who}: ${alert.text}`, broker });
    monitor.refresh(broker);
  }

  /** The drop copy's listener: its reports are journaled for the audit trail and cross-checked, never applied. */
  function dropCopyListener(broker: string): BrokerListener {
    return {
      onState(_session, state, error) {
        log.info('drop-copy session', { broker, state, error });
        monitor.stateChanged(broker, 'dropCopy', error);
      },
      batch: (fn) => journal.batch(fn),
      onMessage(_session, message) {
        if (message.type !== 'executionReport') return; // a drop copy carries no cancel rejects of ours
        guarded(() => {
          if (dropCopy.isRepeat(broker, message)) return;
          record(ctx, { type: 'dropCopyReceived', at: now(), broker, report: message });
          dropCopy.observe(broker, 'dropCopy', message);
        }, 'drop-copy report');
      },
      onSessionAlert(_session, alert) {
        sessionAlert(broker, 'dropCopy', alert);
      },
      onMalformed(_session, reason, raw) {
        log.warn('malformed message on the drop copy ignored', { broker, reason, raw });
        raiseAlert(ctx, { level: 'warning', code: 'MALFORMED_MESSAGE', message: `${broker} drop copy sent a malformed message (ignored): ${reason}`, broker });
      },
    };
  }

  function interrupted(broker: string, reason: 'sessionDropped' | 'deskRestarted'): void {
    if (book.awaitingAnswer(broker).length === 0) return;
    record(ctx, { type: 'sessionInterrupted', at: now(), broker, reason });
  }

  function guarded<T>(fn: () => T, what: string): T | undefined {
    try {
      return fn();
    } catch (error) {
      log.error(`${what} failed`, { error: error instanceof Error ? error.stack : String(error) });
      return undefined;
    }
  }

  const handlers: { [C in CommandName]: (params: CommandParams<C>) => Result<CommandResults[C]> | Promise<Result<CommandResults[C]>> } = {
    submitOrder: (p) => submitOrder(ctx, p),
    amendOrder: (p) => amendOrder(ctx, p),
    cancelOrder: (p) => cancelOrder(ctx, p),
    cancelOrders: (p) => cancelOrders(ctx, p),
    getOrderHistory: (p) => orderHistory(ctx, p.orderId),
    connectSession: (p) => connectSession(ctx, p),
    logoutSession: (p) => logoutSession(ctx, p),
    setNextSequenceNumbers: (p) => setNextSequenceNumbers(ctx, p),
    getFixLog: (p) => fixLog(ctx, p),
    settleOrder: (p) => settleOrder(ctx, p),
    acknowledgeAlerts: (p) => acknowledgeAlerts(ctx, p),
  };

  return {
    async start() {
      if (started) return;
      started = true;
      // The newest usable snapshot, then the events after it (all of them when there is none).
      const t0 = performance.now();
      snapshots = new Snapshotter(journal, deskSnapshotSections(book, dropCopy.delivered, alerts), { log: log.child('snapshots'), now });
      const restored = await snapshots.restore();
      const t1 = performance.now();
      let replayed = 0;
      journal.replay((event, seq) => {
        foldDeskEvent(book, dropCopy.delivered, alerts, event, seq);
        replayed += 1;
      }, restored.seq);
      const t2 = performance.now();
      log.info('journal replayed', {
        lastSeq: journal.latestSeq,
        snapshot: restored.snapshot?.id ?? null,
        snapshotSeq: restored.seq,
        snapshotMs: Math.round(t1 - t0),
        replayed,
        replayMs: Math.round(t2 - t1),
      });
      // The ExecID and broker-OrderID indexes a restore fills in the background (or on first use).
      if (restored.seq > 0) void book.restoreComplete().then(() => log.info('indexes complete after restore', { ms: Math.round(performance.now() - t2) }));
      snapshots.start();
      // Whatever was in flight when the desk last stopped (or crashed) is unknown until the broker says;
      // its timeouts run from when it was sent.
      for (const config of options.config.brokers) interrupted(config.name, 'deskRestarted');
      requests.recover();
      const connect = options.connectBroker ?? (await defaultConnector());
      for (const config of options.config.brokers) {
        const connection = connect(config, listener, log.child(`broker.${config.name}`), { role: 'trading', dataDir: options.dataDir, database: journal.db, clock });
        brokers.set(config.name, connection);
        const dc = dropCopyConfig(config);
        if (dc !== undefined) {
          dropCopies.set(config.name, connect(dc, dropCopyListener(config.name), log.child(`dropCopy.${config.name}`), { role: 'dropCopy', dataDir: options.dataDir, database: journal.db, clock }));
        }
      }
      for (const config of options.config.brokers) monitor.refresh(config.name);
      monitor.start();
      for (const connection of brokers.values()) connection.start();
      for (const connection of dropCopies.values()) connection.start();
    },

    async stop() {
      monitor.stop();
      dropCopy.stop();
      requests.stop();
      await Promise.allSettled([...brokers.values(), ...dropCopies.values()].map((b) => b.stop()));
      publisher.flush();
      publisher.close();
      // Nothing is journaled once the sessions have stopped: the next start restores this state and replays nothing.
      if (snapshots !== undefined) {
        snapshots.stop();
        try {
          snapshots.writeNow();
        } catch (error) {
          log.error('snapshot at stop failed: the next start replays more of the journal', { error: error instanceof Error ? error.stack : String(error) });
        }
      }
      journal.close();
    },

    async call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
      const parsed = parseCommand(command, params);
      if (!parsed.ok) return parsed.result;
      if (!started) return fail('INTERNAL', 'the desk is not started');
      let result: Result<CommandResults[C]> | undefined;
      try {
        result = await handlers[command](parsed.params);
      } catch (error) {
        log.error(`command ${command} failed`, { error: error instanceof Error ? error.stack : String(error) });
      }
      return result ?? fail('INTERNAL', `${command} failed inside the desk: see the log`);
    },

    subscribe(listener: (message: DeskStreamMessage) => void) {
      return publisher.subscribe(listener);
    },
  };
}

/** Who runs the desk process: the operator of record for the audit trail. */
function localUser(): string {
  try {
    return userInfo().username || 'desk user';
  } catch {
    return 'desk user';
  }
}

async function defaultConnector(): Promise<BrokerConnector> {
  const fix = await import('../fix/fix-broker-connection');
  return (config, listener, log, { role, dataDir, database, clock }) => fix.createFixBrokerConnection(config, listener, { log, dataDir, database, role, clock });
}
