import { userInfo } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import { parseCommand } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { BrokerCapabilities, SessionRole } from '../../../shared/contract/views';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, SessionAlert } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import type { Folded } from '../journal/read-model';
import { applyAll } from '../journal/read-model';
import type { SnapshotPolicy } from '../journal/snapshots';
import { Snapshotter } from '../journal/snapshots';
import { SqliteJournal } from '../journal/sqlite-journal';
import type { Logger } from '../log/logger';
import type { WalProblem } from '../sqlite/wal-checkpointer';
import { silentLogger } from '../log/logger';
import { orderView } from '../orders/order-views';
import type { UnitOfWork } from '../sqlite/commit-batch';
import type { Clock } from '../time/clock';
import { guardedClock, systemClock } from '../time/clock';
import { tradingDays } from '../time/trading-day';
import { checkJournalInBackground } from './background-journal-check';
import { loadDeskInstruments } from './desk-instruments';
import { getAlgoDefinitions, loadBrokerAlgos } from './broker-algos';
import { getInstrument, instrumentView, previewOrder, searchInstruments } from './instrument-commands';
import { onBrokerMalformed, onBrokerMessage } from './broker-inbound';
import { DayRoll } from './day-roll';
import { onBrokerLoggedOn, sendStatusRequest } from './logon-reconciliation';
import type { Desk, DeskOptions } from './desk';
import type { DeskContext } from './desk-context';
import { raiseAlert, record } from './desk-context';
import type { Order } from '../orders/order';
import type { OrderBookView } from '../orders/order-book';
import { DropCopyChecker, dropCopyConfig } from './drop-copy';
import { ExecIdOwners } from './exec-id-owners';
import { importStartOfDay } from './position-commands';
import { PositionStream } from './position-stream';
import { acknowledgeAlerts, amendOrder, cancelOrder, cancelOrders, settleOrder, submitOrder } from './order-commands';
import { RequestTimeouts } from './request-timeouts';
import { orderHistory } from './order-history';
import type { DeskReadModels } from './read-models';
import { deskReadModels, journalEventsBefore } from './read-models';
import { searchOrders } from './order-search';
import { OrderSummaries } from './order-summaries';
import { WorkspaceStore } from './workspace-store';
import { connectSession, fixLog, logoutSession, setNextSequenceNumbers } from './session-commands';
import { SessionMonitor } from './session-monitor';
import { StreamPublisher } from './stream-publisher';
import { isStorageFailure, StorageFailure } from './storage-failure';
import type { MarketDataConfig } from '../config/desk-config';
import type { MarketDataFeed, MarketDataListener } from '../marketdata/market-data-port';
import { MarketDataService } from '../marketdata/market-data-service';
import { subscribeQuotes, unsubscribeQuotes, WorkingOrderInstruments } from './quote-subscriptions';
import { AlgoScheduler } from '../algos/algo-scheduler';
import { Dec } from '../decimal/decimal';
import type { AlgoParent } from '../algos/algo-parent';
import { algoParentView } from '../algos/algo-parents';
import { isLive } from '../algos/algo-state-table';
import type { VolumeProfiles } from '../algos/volume-profile';
import { actForParent, amendAlgo, loadVolumeProfiles, cancelAlgo, marketNow, pauseAlgo, resumeAlgo, startAlgo } from './algo-commands';
import { sendDeferredCancels, setTradingState } from './kill-switch';
import { warnNearLimits } from './risk-usage-alerts';
import { configuredRiskLimits, journalRiskLimits, reloadRiskLimits, riskLimitsView } from './risk-limits-commands';

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
  /** The desk's unit of work: each read from the broker's socket runs in it (one commit for the read). */
  readonly unitOfWork: UnitOfWork;
  /** When the algo scheduler must run next (a child's wake or send): a read's slice ends before it. */
  readonly nextDeadline?: () => number | undefined;
}

export type BrokerConnector = (config: BrokerConfig, listener: BrokerListener, log: Logger, options: BrokerConnectOptions) => BrokerConnection;

/** How to reach the market-data feed (config.marketData). Defaults to FIX over TCP; unit tests pass a fake. */
export type MarketDataConnector = (config: MarketDataConfig, listener: MarketDataListener, log: Logger, clock: Clock) => MarketDataFeed;

export interface CreateDeskOptions extends DeskOptions {
  /** How to reach a broker. Defaults to FIX over TCP; unit tests pass a fake. */
  readonly connectBroker?: BrokerConnector;
  /** Journal group-sync interval (ms), on the desk's clock; 0 = commit only (process-crash safe, not power-loss safe). */
  readonly journalSyncMs?: number;
  /**
   * The host's check before the start did not read the whole journal (data-folder/journal-integrity.ts:
   * a journal beyond a day's size): the desk checks it whole on a worker thread once started, and
   * raises an alert if that finds damage.
   */
  readonly checkJournalInBackground?: boolean;
  /**
   * The host's whole check of the journal, running while the desk restores (data-folder/
   * open-data-folder.ts, `journalChecked`). The start restores its read models (reads only), then
   * waits for it before it writes anything into the journal or acts on it; a rejection (a damaged
   * journal) ends the start with it, the journal closed as it was found.
   */
  readonly journalChecked?: Promise<void>;
  readonly connectMarketData?: MarketDataConnector;
  /**
   * Tests only, never set by a host: the journal's database handle once open, so a test can make the
   * journal full for real at a size it chooses (SQLite's `max_page_count`: SQLITE_FULL on the next
   * page) where it cannot mount a small file system (integration-tests/support/journal-space.ts).
   */
  readonly testOnlyJournalOpened?: (db: Database.Database) => void;
  /** Per-instrument VWAP volume profiles (algos/volume-profile.ts); default: the config's file, else the U-shaped default. */
  readonly volumeProfiles?: VolumeProfiles;
  /** Each algo child's scheduled and actual send time (ms on the clock): the bench's dispatch error. */
  readonly onAlgoDispatch?: (scheduledAt: number, actualMs: number) => void;
  /** The seed of each algo parent's randomisation (tests); default random, journaled either way. */
  readonly algoSeed?: () => number;
  /** How many ms before a slice's due time its child is prepared and committed, its write held until then (default ALGO_LEAD_MS; 0: at the due time). */
  readonly algoLeadMs?: number;
  /** Of the lead, the last ms polled for (default ALGO_POLL_MS; before them, a timer). */
  readonly algoPollMs?: number;
  /** The periodic snapshots' policy (default DEFAULT_SNAPSHOT_POLICY; tests snapshot sooner). */
  readonly snapshotPolicy?: Partial<SnapshotPolicy>;
}

/**
 * The algo scheduler's lead: above the desk timer's lateness p99 on the 2-core box (3–4.4 ms quiet,
 * bench/README.md "The algo scheduler"), so a child's work is done and its write waits for its time.
 */
export const ALGO_LEAD_MS = 4;

/**
 * Of the lead, the last ms polled for (a timer before it): polling all of the lead spun the thread
 * for up to 4 ms per due group, +30–50% CPU and later sends on the shared box (bench/README.md).
 */
export const ALGO_POLL_MS = 1;

export function createDesk(options: CreateDeskOptions): Desk {
  const log = options.log ?? silentLogger;
  // A timer that fails (a commit on a full disk) is logged; it never takes the desk down.
  const clock = guardedClock(options.clock ?? systemClock, (error) => log.error('a timer of the desk failed', { error: error instanceof Error ? error.stack : String(error) }));
  const syncMs = options.journalSyncMs ?? 5;
  // Files first: a bad one stops the start before the journal is opened.
  const brokerAlgos = options.brokerAlgos ?? loadBrokerAlgos(options.config);
  // Opening a journal at the current schema in WAL mode writes nothing into it, nor into a -wal a kill
  // left (only SQLite's rebuildable -shm; one that needs more is checked before:
  // data-folder/journal-integrity.ts); the checkpoints start once it is known sound.
  const journal = new SqliteJournal(
    join(options.dataDir, 'desk.sqlite'),
    syncMs > 0 ? { sync: { clock, intervalMs: syncMs, onProblem: (problem) => storageProblem(problem), checkpointsLater: true } } : {},
  );
  options.testOnlyJournalOpened?.(journal.db);
  const instruments = options.instruments ?? loadDeskInstruments(options.config);
  // Validated whole before anything starts: a bad limits file names its fields, and the desk does not start.
  const startLimits = configuredRiskLimits(options);
  const models = deskReadModels(options.config, journalEventsBefore(journal));
  const orders = models.orders.view;
  // Each order a batch changed goes to the screens at its commit; its row is written behind, coalesced (~250 ms).
  const orderSummaries = new OrderSummaries(journal.db, (view) => publisher.order(view), clock);
  const workspace = new WorkspaceStore(options.workspacePath ?? join(options.dataDir, 'workspace.json'), log.child('workspace'));
  const brokers = new Map<string, BrokerConnection>();
  const dropCopies = new Map<string, BrokerConnection>();
  const now = () => clock.now().toISOString();
  const master = instruments;
  const marketData = new MarketDataService({
    clock,
    log: log.child('marketData'),
    instrument: (id) => master.get(id),
    staleAfterMs: (options.config.marketData?.staleAfterSeconds ?? 10) * 1_000,
    publishQuote: (view) => {
      publisher.quote(view);
      positionStream.quoteMoved(view.instrumentId);
    },
    publishSession: (view) => publisher.marketDataSession(view),
  });
  // The instrument of an order: the one it was entered for.
  const workingInstruments = new WorkingOrderInstruments(marketData, (order) => order.instrument.id);
  const positionStream = new PositionStream(models.positions.view, options.config.funds, master, marketData, clock, (row) => publisher.position(row));
  const valuePositions = (keys: readonly string[]) => positionStream.publishValued(keys);

  const publisher = new StreamPublisher(
    clock,
    (): Extract<DeskStreamMessage, { kind: 'snapshot' }> => ({
      kind: 'snapshot',
      orders: [...orders.allOrders()].map(orderView),
      executions: [...orders.executions()],
      sessions: monitor.all(),
      alerts: models.alerts.view.views(),
      reference: {
        brokers: options.config.brokers.map((b) => b.name),
        accounts: options.config.accounts,
        instruments: instruments.all().map(instrumentView),
        capabilities: Object.fromEntries(options.config.brokers.map((b): [string, BrokerCapabilities] => [b.name, b.capabilities])),
        funds: options.config.funds,
      },
      positions: positionStream.rows(),
      now: now(),
      ...(options.config.marketData !== undefined && { quotes: marketData.views(), marketDataSessions: [marketData.sessionView()].filter((v) => v !== undefined) }),
      algoParents: [...models.algoParents.view.all()].map((p) => parentView(p)),
      tradingState: models.tradingState.view.state(),
    }),
    16,
    (error) => log.error('stream subscriber failed', { error: String(error) }),
    (flush) => journal.afterCommit(flush),
  );

  /** A read from a broker's socket: one commit, and its deltas to the screens right after it (not at the end of the turn). */
  const socketRead: UnitOfWork = {
    batch: (fn) => {
      storage.check(); // not while the desk reads its state back: the broker resends it
      const result = journal.batch(() => {
        journal.afterCommit(() => publisher.flush());
        return fn();
      });
      storage.committed();
      return result;
    },
    afterCommit: (fn, onFail) => journal.afterCommit(fn, onFail),
  };

  const requests = new RequestTimeouts({
    clock,
    log: log.child('requests'),
    brokers: options.config.brokers,
    book: orders,
    connections: brokers,
    record: (event) => record(ctx, event),
    raise: (alert) => raiseAlert(ctx, alert),
    askStatus: (order) => journal.batch(() => sendStatusRequest(ctx, order)),
    afterCommit: (fn) => journal.afterCommit(fn),
    now,
  });
  const execIdOwners = new ExecIdOwners(orders);
  // Asked at every order: answered from the day's interval, not Intl's time-zone arithmetic each time.
  const tradeDay = tradingDays(options.config.tradingDay);
  const ctx: DeskContext = {
    config: options.config,
    instruments,
    brokerAlgos,
    tradeDate: () => tradeDay(clock.now()),
    journal,
    models,
    orders,
    orderSummaries,
    effects: (event, seq, folded) => effects(event, seq, folded),
    requests,
    execIdOwners,
    publisher,
    clock,
    log,
    brokers,
    dropCopies,
    loggedOut: new Map(),
    refreshSession: (broker) => monitor.refresh(broker),
    operator: options.operator ?? localUser(),
    quote: (instrumentId) => marketData.quote(instrumentId),
    // Start of day plus today's fills, busts and corrections (positions/positions.ts).
    positions: models.positions.view,
    now,
  };
  const storage = new StorageFailure({
    db: journal.db,
    journal,
    models,
    restoreSnapshot: async () => (snapshots !== undefined ? await snapshots.restore() : { seq: 0 }),
    pauseSnapshots: () => snapshots?.stop(),
    resumeSnapshots: () => snapshots?.start(),
    forgetLive: () => {
      execIdOwners.forget();
      requests.rebuild();
    },
    discardDeltas: () => publisher.discardPending(),
    resnapshot: () => publisher.resnapshot(),
    showAlert: (alert) => {
      publisher.alert(alert);
      publisher.flush();
    },
    raiseAlert: (message) => raiseAlert(ctx, { level: 'error', code: 'STORAGE_FULL', message }),
    log,
    now,
  });
  ctx.storage = storage;
  const totalsOf = (instrumentId: string) => {
    const q = marketData.quote(instrumentId);
    return { ...(q?.volume !== undefined && { volume: new Dec(q.volume) }), ...(q?.vwap !== undefined && { vwap: new Dec(q.vwap) }) };
  };
  const parentView = (p: AlgoParent) => algoParentView(p, clock.now().getTime(), totalsOf(p.params.instrumentId));
  // When each parent (as a fold left it) was last published: a look that changed nothing republishes
  // it only once time has moved its progress on, not after every fill's look.
  const publishedAt = new WeakMap<AlgoParent, number>();
  const publishParent = (p: AlgoParent) => {
    publishedAt.set(p, clock.now().getTime());
    publisher.algoParent(parentView(p));
  };
  const scheduler = new AlgoScheduler({
    clock,
    parents: models.algoParents.view,
    log: log.child('algos'),
    market: (id) => marketNow(marketData.quote(id)),
    brokerUp: (broker) => brokers.get(broker)?.state === 'loggedOn',
    act: (parent, actions) => actForParent(ctx, parent, actions),
    looked: (parent) => {
      const at = publishedAt.get(parent);
      if (at === undefined || clock.now().getTime() - at >= 1_000) publishParent(parent);
    },
    ...(options.onAlgoDispatch !== undefined && { dispatched: options.onAlgoDispatch }),
    leadMs: options.algoLeadMs ?? ALGO_LEAD_MS,
    pollMs: options.algoPollMs ?? ALGO_POLL_MS,
    holdSends: (broker) => brokers.get(broker)?.holdWrites?.(),
  });
  /** Each live parent holds its instrument's quotes (its children are priced from them). */
  const algoQuotes = new Set<string>();
  const volumeProfiles = options.volumeProfiles ?? loadVolumeProfiles(options.config);
  const algoDeps = { quote: (id: string) => marketData.quote(id), ...(volumeProfiles !== undefined && { profiles: volumeProfiles }), ...(options.algoSeed !== undefined && { seed: options.algoSeed }) };
  function parentChanged(p: AlgoParent): void {
    publishParent(p);
    scheduler.changed(p.parentId);
    const holder = `algo:${p.parentId}`;
    if (isLive(p.status) && !algoQuotes.has(p.parentId)) {
      algoQuotes.add(p.parentId);
      marketData.hold(holder, [p.params.instrumentId]);
    } else if (!isLive(p.status) && algoQuotes.delete(p.parentId)) marketData.release(holder, [p.params.instrumentId]);
  }
  const dropCopy = new DropCopyChecker(ctx, models.dropCopy.view);
  const dayRoll = new DayRoll(ctx, options.config.tradingDay);
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
  /** The journal was found sound: commands are taken. */
  let checked = false;
  let snapshots: Snapshotter | undefined;
  let journalCheck: { stop(): Promise<void> } | undefined;
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
      if (state === 'loggedOn') scheduler.lookAtAll();
      if (state === 'loggedOn') guarded(() => sendDeferredCancels(ctx, broker), "the kill switch's deferred cancels");
    },
    onMessage(broker, message) {
      // Not stored is not read: the read's unit of work ends there (the broker resends it).
      guarded(() => onBrokerMessage(ctx, broker, message), 'broker message', true);
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

  /**
   * The live effects of what one event did to the read models (never on replay): deltas to the
   * screens, the alerts the book raised journaled as alerts of their own, the drop-copy cross-check,
   * a new trading day's fresh screens.
   */
  function effects(event: DeskEvent, seq: number, folded: Folded<DeskReadModels>): void {
    const book = folded.orders;
    // Every order the event changed: its summary in the batch's commit (search across days), its row to the screens.
    orderSummaries.writeChanged(book, seq, event);
    if (book.order !== undefined) workingInstruments.changed([book.order]);
    if (book.orders !== undefined) workingInstruments.changed(book.orders);
    for (const execution of book.executions) publisher.execution(execution);
    for (const row of folded.alerts) publisher.alert(row);
    if (event.type === 'alertRaised') logAlert(event);
    for (const alert of book.alerts) raiseAlert(ctx, alert, event.at);
    if (folded.dropCopy !== undefined) dropCopy.delivered(folded.dropCopy);
    if (folded.algoParents !== undefined) parentChanged(folded.algoParents);
    positionStream.followQuotesOf(folded.positions);
    publisher.positionsChanged(folded.positions, valuePositions);
    if (event.type === 'startOfDayImported' || event.type === 'dayStarted') positionStream.follow(); // let go of instruments no longer held
    if (event.type === 'startOfDayImported' || folded.day !== undefined) orderSummaries.flush(); // the screens' fresh snapshot comes after the batch's rows
    if (event.type === 'startOfDayImported') publisher.resnapshot(); // positions the file no longer holds leave the screens
    if (folded.tradingState?.mode !== undefined) publisher.tradingState(folded.tradingState.mode);
    if (event.type === 'orderSubmitted') warnNearLimits(ctx, event);
    if (folded.day !== undefined) {
      execIdOwners.forget();
      log.info('a new trading day', { day: folded.day, ordersRolledOff: book.rolledOff, ordersCarriedOver: orders.size });
      publisher.resnapshot();
    }
  }

  function logAlert(alert: Extract<DeskEvent, { type: 'alertRaised' }>): void {
    const fields = { code: alert.code, orderId: alert.orderId, broker: alert.broker };
    if (alert.level === 'error') log.error(alert.message, fields);
    else if (alert.level === 'warning') log.warn(alert.message, fields);
    else log.info(alert.message, fields);
  }

  /** The journal's database could not checkpoint its WAL off the desk's thread (or it keeps growing). */
  function storageProblem(problem: WalProblem): void {
    raiseAlert(ctx, { level: problem.level, code: 'JOURNAL_STORAGE', message: `Journal database: ${problem.text}` });
  }

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
      onMessage(_session, message) {
        if (message.type !== 'executionReport') return; // a drop copy carries no cancel rejects of ours
        guarded(() => {
          if (dropCopy.isRepeat(broker, message)) return;
          record(ctx, { type: 'dropCopyReceived', at: now(), broker, report: message });
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
    if (orders.awaitingAnswer(broker).length === 0) return;
    record(ctx, { type: 'sessionInterrupted', at: now(), broker, reason });
  }

  /**
   * Waits for the host's check of the journal (`journalChecked`). A damaged journal: closed unwritten
   * and the start ends with the refusal, even when the restore met the damage first (`restoreError`).
   * Stopped cleanly, the journal had no -wal: this connection's, empty, goes with its close; a -wal a
   * kill left is kept as it was by the data folder's read-only connection (data-folder/wal-hold.ts).
   */
  async function journalSound(restoreError?: unknown): Promise<void> {
    const w0 = performance.now();
    try {
      await options.journalChecked;
    } catch (refusal) {
      snapshots?.stop();
      orderSummaries.stop();
      try {
        journal.close();
      } catch {
        // a connection to a damaged file may fail to close: the refusal is what counts
      }
      throw refusal;
    }
    if (restoreError !== undefined) throw restoreError;
    if (options.journalChecked !== undefined) log.info('journal check answered', { waitedMs: Math.round(performance.now() - w0) });
  }

  function guarded<T>(fn: () => T, what: string, storageFailuresThrough = false): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (storageFailuresThrough && isStorageFailure(error)) throw error;
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
    searchOrders: (p) => searchOrders(ctx, p),
    getWorkspace: () => workspace.read(),
    saveWorkspace: (p) => workspace.save(p),
    settleOrder: (p) => settleOrder(ctx, p),
    acknowledgeAlerts: (p) => acknowledgeAlerts(ctx, p),
    searchInstruments: (p) => searchInstruments(ctx, p),
    getInstrument: (p) => getInstrument(ctx, p),
    previewOrder: (p) => previewOrder(ctx, p),
    subscribeQuotes: (p) => subscribeQuotes(marketData, (id) => master.get(id), p),
    unsubscribeQuotes: (p) => unsubscribeQuotes(marketData, p),
    getAlgoDefinitions: (p) => getAlgoDefinitions(ctx, p),
    startAlgo: (p) => startAlgo(ctx, p, algoDeps),
    pauseAlgo: (p) => pauseAlgo(ctx, p),
    resumeAlgo: (p) => resumeAlgo(ctx, p),
    amendAlgo: (p) => amendAlgo(ctx, p),
    cancelAlgo: (p) => cancelAlgo(ctx, p),
    importStartOfDay: (p) => importStartOfDay(ctx, p),
    setTradingState: (p) => setTradingState(ctx, p),
    reloadRiskLimits: () => reloadRiskLimits(ctx),
    getRiskLimits: () => riskLimitsView(ctx),
  };

  return {
    raiseAlert: (alert) => raiseAlert(ctx, alert),
    async start() {
      if (started) return;
      started = true;
      // The newest usable snapshot, then the events after it (all of them when there is none).
      const t0 = performance.now();
      // A snapshot is never newer than the order summaries (written first, before its capture).
      snapshots = new Snapshotter(journal, models, { log: log.child('snapshots'), clock, beforeCapture: orderSummaries.writeDue, ...(options.snapshotPolicy !== undefined && { policy: options.snapshotPolicy }) });
      // Reads only, into memory, until the journal is known sound (`journalSound`).
      const summariesSeq = orderSummaries.storedSeq();
      let restored: Awaited<ReturnType<Snapshotter['restore']>>;
      let t1: number;
      let replayed = 0;
      try {
        restored = await snapshots.restore(summariesSeq);
        t1 = performance.now();
        journal.replay((event, seq) => {
          const folded = applyAll(models, event, seq);
          // The summaries catch up on what was journaled after their last write (a kill -9 within ~250 ms of it).
          if (seq > summariesSeq) orderSummaries.caughtUp(folded.orders, seq, event);
          replayed += 1;
        }, restored.seq);
      } catch (error) {
        await journalSound(error);
        throw error;
      }
      const t2 = performance.now();
      log.info('journal replayed', {
        lastSeq: journal.latestSeq,
        summariesSeq,
        snapshot: restored.snapshot?.id ?? null,
        snapshotSeq: restored.seq,
        snapshotMs: Math.round(t1 - t0),
        replayed,
        replayMs: Math.round(t2 - t1),
        orders: orders.size,
      });
      await journalSound();
      checked = true;
      journal.startCheckpoints();
      orderSummaries.writeDue();
      orderSummaries.start();
      // A new trading day since the journal's last event: today's screens start afresh.
      dayRoll.start();
      // The config's risk limits, journaled when they differ from those the journal holds.
      await journal.groupCommit(() => journalRiskLimits(ctx, startLimits, 'start'));
      snapshots.start();
      // Whatever was in flight when the desk last stopped (or crashed) is unknown until the broker says;
      // its timeouts run from when it was sent.
      for (const config of options.config.brokers) interrupted(config.name, 'deskRestarted');
      requests.recover();
      const connect = options.connectBroker ?? (await defaultConnector());
      for (const config of options.config.brokers) {
        const connection = connect(config, listener, log.child(`broker.${config.name}`), { role: 'trading', dataDir: options.dataDir, database: journal.db, clock, unitOfWork: socketRead, nextDeadline: () => scheduler.nextDeadline() });
        brokers.set(config.name, connection);
        const dc = dropCopyConfig(config);
        if (dc !== undefined) {
          dropCopies.set(config.name, connect(dc, dropCopyListener(config.name), log.child(`dropCopy.${config.name}`), { role: 'dropCopy', dataDir: options.dataDir, database: journal.db, clock, unitOfWork: socketRead }));
        }
      }
      for (const config of options.config.brokers) monitor.refresh(config.name);
      monitor.start();
      for (const connection of brokers.values()) connection.start();
      for (const connection of dropCopies.values()) connection.start();
      if (options.checkJournalInBackground === true) journalCheck = checkJournalInBackground(ctx, journal.path);
      workingInstruments.changed(openOrders(models.openOrdersByAccount.view.ids(), orders));
      // Parents resume from the journal: children in doubt wait for the broker's answer (decide), none is sent twice.
      for (const p of models.algoParents.view.live()) parentChanged(p);
      scheduler.start();
      positionStream.follow();
      const md = options.config.marketData;
      if (md !== undefined) {
        const connectMarketData = options.connectMarketData ?? (await defaultMarketDataConnector());
        marketData.start(connectMarketData(md, marketData.listener, log.child(`marketData.${md.name}`), clock));
      }
    },

    async stop() {
      scheduler.stop();
      monitor.stop();
      dropCopy.stop();
      dayRoll.stop();
      requests.stop();
      positionStream.stop();
      await Promise.allSettled([...brokers.values(), ...dropCopies.values(), ...(journalCheck === undefined ? [] : [journalCheck]), marketData].map((b) => b.stop()));
      publisher.flush();
      publisher.close();
      orderSummaries.stop();
      guarded(() => orderSummaries.writeDue(), 'writing the order summaries at stop');
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
      if (!checked) return fail('INTERNAL', 'the desk is not started');
      const writes = WRITING_COMMANDS.has(command);
      const refused = writes ? storage.refuseWhileRecovering() : undefined;
      if (refused !== undefined) return refused;
      let result: Result<CommandResults[C]> | undefined;
      try {
        result = await handlers[command](parsed.params);
        if (writes) storage.committed();
      } catch (error) {
        const full = storage.refusal(error);
        if (full !== undefined) {
          log.error(`command ${command} refused: the journal could not store it`, { error: error instanceof Error ? error.message : String(error) });
          return full;
        }
        log.error(`command ${command} failed`, { error: error instanceof Error ? error.stack : String(error) });
      }
      return result ?? fail('INTERNAL', `${command} failed inside the desk: see the log`);
    },

    subscribe(listener: (message: DeskStreamMessage) => void) {
      return publisher.subscribe(listener);
    },
  };
}

/** Commands that journal: refused with STORAGE_FULL while the journal cannot take them. */
const WRITING_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'submitOrder',
  'amendOrder',
  'cancelOrder',
  'cancelOrders',
  'settleOrder',
  'acknowledgeAlerts',
  'connectSession',
  'logoutSession',
  'setNextSequenceNumbers',
  'startAlgo',
  'pauseAlgo',
  'resumeAlgo',
  'amendAlgo',
  'cancelAlgo',
  'importStartOfDay',
  'setTradingState',
  'reloadRiskLimits',
]);

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
  return (config, listener, log, { role, dataDir, database, clock, unitOfWork, nextDeadline }) =>
    fix.createFixBrokerConnection(config, listener, { log, dataDir, database, role, clock, unitOfWork, ...(nextDeadline !== undefined && { nextDeadline }) });
}

async function defaultMarketDataConnector(): Promise<MarketDataConnector> {
  const { FixMarketDataFeed } = await import('../marketdata/fix-market-data-feed');
  return (config, listener, log, clock) => new FixMarketDataFeed(config, listener, { log, clock });
}

/** The open orders, from their ids (a start walks these, not every order of the day). */
function* openOrders(ids: Iterable<string>, book: OrderBookView): Generator<Order> {
  for (const id of ids) {
    const order = book.get(id);
    if (order !== undefined) yield order;
  }
}
