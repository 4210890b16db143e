import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import type { AlertView, OrderView } from '../../shared/contract/views';
import type { Result } from '../../shared/contract/result';
import type { ExecutionReportMessage } from '../core/broker/broker-port';
import type { DeskConfig, FixVersion } from '../core/config/desk-config';
import { parseDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import type { BrokerBehaviour, SimulatorConfigInput } from '../simulator/simulator-config';
import { DeskView, until } from './support/desk-view';

/**
 * The nine cases of issue 10 over real FIX, in FIX 4.2, 4.4 and 5.0SP2: the desk (createDesk, its
 * FIX connector, a SQLite journal) against the simulator process answering as real brokers' engines
 * do (its behaviours, switched per test through the control channel). Each case ends settled and
 * correct, with the right alert, nothing pending past its timeout; and again with the desk restarted
 * in the middle. Timeouts are short (1.5 s) so they run out for real over TCP.
 */

const VERSIONS: readonly FixVersion[] = ['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'];
const NAME: Readonly<Record<FixVersion, string>> = { 'FIX.4.2': 'BRK-42', 'FIX.4.4': 'BRK-44', 'FIX.5.0SP2': 'BRK-50' };
const TIMEOUT_S = 1.5;
const OFF: Required<BrokerBehaviour> = {
  noCancelReplace: false,
  rejectMarketOrdersSessionLevel: false,
  noStatusRequests: false,
  noOrdStatusReqId: false,
  noMassStatus: false,
  silentOnUnknownCancel: false,
  execIdsRestartAfterRestart: false,
  sendingTimeWithoutColons: false,
};

function simConfig(stateDir: string | undefined, ports: ReadonlyMap<string, number>, behaviour: BrokerBehaviour = {}): SimulatorConfigInput {
  return {
    seed: 10,
    tickIntervalMs: 1_000,
    control: { port: 0 },
    fills: { enabled: true, intervalMs: 50, fraction: 1 },
    ...(stateDir !== undefined && { stateDir }),
    brokers: VERSIONS.map((v) => ({ name: NAME[v], port: ports.get(NAME[v]) ?? 0, senderCompId: NAME[v], targetCompId: 'MERIDIAN', fixVersion: v, behaviour })),
    instruments: { 'AAPL.XNAS': { referencePrice: '100', volatility: 0, liquidity: '100000000' } },
  };
}

function deskConfigFor(sim: SimulatorProcess): DeskConfig {
  return parseDeskConfig({
    accounts: ['FUND-ALPHA'],
    brokers: sim.brokers.map((b) => ({
      name: b.name,
      port: b.port,
      senderCompId: 'MERIDIAN',
      targetCompId: b.name,
      fixVersion: VERSIONS.find((v) => NAME[v] === b.name),
      heartbeatSeconds: 5,
      reconnectSeconds: 0.2,
      timeouts: { newOrderSeconds: TIMEOUT_S, cancelSeconds: TIMEOUT_S, replaceSeconds: TIMEOUT_S, statusSeconds: TIMEOUT_S },
      statusRequestAttempts: 2,
    })),
  });
}

/** A desk in this process on one data folder, restartable (stop, then start on the same journal). */
class DeskUnderTest {
  desk!: Desk;
  view!: DeskView;
  readonly dir = mkdtempSync(join(tmpdir(), 'desk-behaviours-'));

  constructor(private config: DeskConfig) {}

  async open(config = this.config): Promise<void> {
    this.config = config;
    this.desk = createDesk({ config, dataDir: this.dir, journalSyncMs: 0, operator: 'tester' });
    await this.desk.start();
    this.view = new DeskView(this.desk);
    await until('every session logged on', () => config.brokers.every((b) => this.view.sessions.get(b.name)?.state === 'loggedOn'), 20_000);
  }

  async restart(config = this.config): Promise<void> {
    await this.desk.stop();
    await this.open(config);
  }

  async close(): Promise<void> {
    await this.desk?.stop().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }

  order(orderId: string): OrderView {
    const o = this.view.orders.get(orderId);
    if (o === undefined) throw new Error(`no order ${orderId}`);
    return o;
  }

  untilOrder(orderId: string, what: string, probe: (o: OrderView) => boolean, timeoutMs = 10_000): Promise<OrderView> {
    return until(`${orderId}: ${what}`, () => {
      const o = this.view.orders.get(orderId);
      return o !== undefined && probe(o) ? o : undefined;
    }, timeoutMs).catch((e: Error) => {
      throw new Error(`${e.message}; the order is ${JSON.stringify(this.view.orders.get(orderId))}`);
    });
  }

  untilAlert(what: string, probe: (a: AlertView) => boolean, timeoutMs = 10_000): Promise<AlertView> {
    return until(what, () => this.view.alerts.find(probe), timeoutMs).catch((e: Error) => {
      throw new Error(`${e.message}; alerts: ${JSON.stringify(this.view.alerts.map((a) => `${a.level} ${a.code}: ${a.message}`), null, 1)}`);
    });
  }

  async submit(broker: string, ticket: Partial<OrderTicket> = {}): Promise<string> {
    return ok(
      await this.desk.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '90', timeInForce: 'day', account: 'FUND-ALPHA', broker, ...ticket }),
    ).orderId;
  }

  /** A limit buy below the market: New, resting. */
  async resting(broker: string): Promise<string> {
    const id = await this.submit(broker);
    await this.untilOrder(id, 'new', (o) => o.status === 'new' && o.uncertain === undefined);
    return id;
  }
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe.each(VERSIONS)('brokers that answer as real engines do, %s', (version) => {
  const broker = NAME[version];
  let sim: SimulatorProcess;
  let t: DeskUnderTest;
  const behave = (b: BrokerBehaviour) => sim.control!.behaviour(broker, b);
  const received = async (msgType: string, clOrdId?: string) =>
    (await sim.control!.received(broker)).filter((m) => m.msgType === msgType && (clOrdId === undefined || m.fields.some(([tag, v]) => tag === 11 && v === clOrdId)));

  beforeAll(async () => {
    sim = await startSimulatorProcess({ config: simConfig(undefined, new Map()) });
    t = new DeskUnderTest(deskConfigFor(sim));
    await t.open();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });
  afterEach(async () => {
    await behave(OFF);
    await sim.control!.fault(broker, { kind: 'delay', ms: 0 });
    await sim.control!.fault(broker, { kind: 'dropNext', count: 0 });
  });

  it('1. a session-level Reject (35=3) of a market order rejects it with the broker\'s reason; a restart shows the same', async () => {
    await behave({ rejectMarketOrdersSessionLevel: true });
    const id = await t.submit(broker, { orderType: 'market', limitPrice: undefined });
    const order = await t.untilOrder(id, 'rejected', (o) => o.status === 'rejected');
    expect(order).toMatchObject({ leavesQty: '0', text: expect.stringMatching(`^${broker} rejected the order: OrdType \\(40\\): Value is incorrect \\(out of range\\) for this tag \\(SessionRejectReason 5\\)`) });
    const alert = await t.untilAlert('the reject alert', (a) => a.orderId === id && a.code === 'BROKER_REJECT');
    expect(alert).toMatchObject({ level: 'error', message: expect.stringMatching(`^${broker} rejected the new order for order ${id}: OrdType \\(40\\).*session-level Reject \\(35=3\\)`) });
    await t.restart();
    expect(t.order(id)).toMatchObject({ status: 'rejected', text: order.text });
    expect(t.view.alerts.filter((a) => a.orderId === id && a.code === 'BROKER_REJECT')).toEqual([expect.objectContaining({ id: alert.id })]);
  });

  it('2. a BusinessMessageReject (35=j) of an amend restores the order, cancellable again; also when it arrives after a desk restart', async () => {
    await behave({ noCancelReplace: true });
    const live = await t.resting(broker);
    ok(await t.desk.call('amendOrder', { orderId: live, quantity: '150' }));
    await t.untilOrder(live, 'the amend rejected', (o) => o.pending === undefined && /^amend rejected by/.test(o.text ?? ''));
    expect(t.order(live)).toMatchObject({ status: 'new', quantity: '100' });
    await t.untilAlert('the reject alert', (a) => a.orderId === live && a.code === 'BROKER_REJECT' && a.message.startsWith(`${broker} rejected the amend for order ${live}: Unsupported message type`));
    ok(await t.desk.call('cancelOrder', { orderId: live }));
    await t.untilOrder(live, 'canceled', (o) => o.status === 'canceled');

    const restarted = await t.resting(broker);
    await sim.control!.fault(broker, { kind: 'delay', ms: 1_000 });
    ok(await t.desk.call('amendOrder', { orderId: restarted, quantity: '150' }));
    await t.restart();
    await t.untilOrder(restarted, 'settled: New, nothing pending', (o) => o.status === 'new' && o.pending === undefined && o.uncertain === undefined);
    expect(t.order(restarted).quantity).toBe('100');
    ok(await t.desk.call('cancelOrder', { orderId: restarted }));
    await t.untilOrder(restarted, 'canceled', (o) => o.status === 'canceled');
  });

  it('3. status requests refused (35=j): each failed check is alerted, two attempts, then a person settles the order (audited)', async () => {
    // Nor mass status requests: nothing the broker says settles the order (a mass status report would).
    await behave({ noStatusRequests: true, noMassStatus: true });
    for (const restart of [false, true]) {
      const id = await t.resting(broker);
      await sim.control!.fault(broker, { kind: 'dropNext' }); // the cancel is lost inside the broker
      ok(await t.desk.call('cancelOrder', { orderId: id }));
      if (restart) await t.restart();
      const alert = await t.untilAlert('a person asked to settle', (a) => a.orderId === id && a.code === 'STATUS_UNAVAILABLE', 15_000);
      expect(alert).toMatchObject({ level: 'error', message: expect.stringMatching(`${broker} gave no status after 2 attempt\\(s\\).*mark it settled`) });
      expect(t.view.alerts.some((a) => a.orderId === id && a.code === 'STATUS_CHECK_FAILED')).toBe(true);
      expect(await received('H', id)).toHaveLength(2);
      expect(t.order(id)).toMatchObject({ status: 'pendingCancel', uncertain: { label: `status refused by ${broker}` } });
      // More time and another logon ask no more.
      await new Promise((r) => setTimeout(r, TIMEOUT_S * 1000 + 300));
      expect(await received('H', id)).toHaveLength(2);
      ok(await t.desk.call('settleOrder', { orderId: id, outcome: 'asShown', reason: `${broker} desk: order working, no cancel received` }));
      await t.untilOrder(id, 'settled as shown', (o) => o.status === 'new' && o.uncertain === undefined && o.pending === undefined);
      const history = ok(await t.desk.call('getOrderHistory', { orderId: id }));
      expect(history.entries.map((e) => e.summary)).toContain(`Settled by tester (as shown): ${broker} desk: order working, no cancel received`);
      ok(await t.desk.call('cancelOrder', { orderId: id }));
      await t.untilOrder(id, 'canceled', (o) => o.status === 'canceled');
    }
  });

  it('4. OrderMassStatusRequest (35=AF) only where the broker takes it: never in FIX 4.2; a refusal is an alert and changes nothing', async () => {
    if (version === 'FIX.4.2') {
      await t.restart();
      await new Promise((r) => setTimeout(r, 300));
      expect(await received('AF')).toEqual([]);
      return;
    }
    const id = await t.resting(broker);
    await behave({ noMassStatus: true });
    await t.restart();
    const alert = await t.untilAlert('the mass status refusal', (a) => a.broker === broker && /rejected our OrderMassStatusRequest \(35=AF\) MS-/.test(a.message));
    expect(alert.level).toBe('warning');
    expect(t.order(id)).toMatchObject({ status: 'new' });
    await t.untilOrder(id, 'settled by its status request', (o) => o.uncertain === undefined);
    ok(await t.desk.call('cancelOrder', { orderId: id }));
    await t.untilOrder(id, 'canceled', (o) => o.status === 'canceled');
  });

  it('6. every reject reads as what it is, and a new window sees the same alert list, also after a restart', async () => {
    await behave({ rejectMarketOrdersSessionLevel: true });
    const id = await t.submit(broker, { orderType: 'market', limitPrice: undefined });
    await t.untilAlert('the reject', (a) => a.orderId === id && a.code === 'BROKER_REJECT');
    expect(t.view.alerts.filter((a) => a.broker === broker && /malformed/i.test(a.message))).toEqual([]);
    const rows = (alerts: readonly AlertView[]) => new Map(alerts.map((a) => [a.id, a]));
    expect(rows(new DeskView(t.desk).alerts)).toEqual(rows(t.view.alerts)); // a new window: the same list
    const before = rows(t.view.alerts);
    await t.restart();
    const after = rows(t.view.alerts);
    for (const [alertId, row] of before) {
      expect(after.get(alertId)).toMatchObject({ level: row.level, code: row.code });
      expect(after.get(alertId)?.count ?? 1).toBeGreaterThanOrEqual(row.count ?? 1);
    }
    expect(rows(new DeskView(t.desk).alerts)).toEqual(after);
  });

  it('7. a cancel the broker drops: "no answer" past its timeout, its status settles it, the order can be canceled again', async () => {
    for (const restart of [false, true]) {
      const id = await t.resting(broker);
      await sim.control!.fault(broker, { kind: 'dropNext' });
      ok(await t.desk.call('cancelOrder', { orderId: id }));
      if (restart) await t.restart();
      else await t.untilAlert('no answer alert', (a) => a.orderId === id && a.code === 'NO_ANSWER' && /to the cancel/.test(a.message));
      await t.untilOrder(id, 'settled by its status: New, the cancel not received', (o) => o.status === 'new' && o.uncertain === undefined && o.pending === undefined, 15_000);
      await t.untilAlert('the lost cancel', (a) => a.orderId === id && a.code === 'REQUEST_LOST');
      ok(await t.desk.call('cancelOrder', { orderId: id }));
      await t.untilOrder(id, 'canceled', (o) => o.status === 'canceled');
    }
  });

  it('10. OrdStatusReqID (790) from FIX 4.4 on, journaled; the answer echoing it, or matched by ClOrdID where the engine omits it, is taken; one echoing an id the desk never sent is refused', async () => {
    const id = await t.resting(broker);
    const clOrdId = t.order(id).clOrdId;
    const journal = <T>(query: (db: Database.Database) => T): T => {
      const db = new Database(join(t.dir, 'desk.sqlite'), { readonly: true });
      try {
        return query(db);
      } finally {
        db.close();
      }
    };
    const statusAnswers = () =>
      journal((db) => (db.prepare("SELECT payload FROM events WHERE type = 'executionReceived' AND order_id = ?").pluck().all(id) as string[]).map((p) => (JSON.parse(p) as { report: ExecutionReportMessage }).report))
        .filter((r) => r.execType === 'orderStatus' && r.massStatusReqId === undefined); // not the mass status's
    const sentIds = () => journal((db) => db.prepare("SELECT json_extract(payload, '$.reqId') FROM events WHERE type = 'statusRequestSent' AND json_extract(payload, '$.kind') = 'orderStatus'").pluck().all() as string[]);
    for (const omitted of [false, true]) {
      await behave({ noOrdStatusReqId: omitted });
      const asked = (await received('H', clOrdId)).length;
      const answered = statusAnswers().length;
      // A new logon asks about every open order.
      ok(await t.desk.call('logoutSession', { broker }));
      ok(await t.desk.call('connectSession', { broker }));
      await until('the status request answered and taken', () => statusAnswers().length > answered, 10_000);
      const request = (await received('H', clOrdId)).slice(asked)[0]!;
      const reqId = request.fields.find(([tag]) => tag === 790)?.[1];
      const answer = statusAnswers().at(-1)!;
      if (version === 'FIX.4.2') {
        expect(reqId).toBeUndefined();
        expect(answer.ordStatusReqId).toBeUndefined();
      } else {
        expect(reqId).toMatch(/^OS-/);
        expect(sentIds()).toContain(reqId);
        expect(answer.ordStatusReqId).toBe(omitted ? undefined : reqId);
      }
      expect(t.order(id)).toMatchObject({ status: 'new' });
    }
    // An answer to a question the desk never asked: a DontKnowTrade and an error alert, nothing applied.
    const dks = (await received('Q')).length;
    await sim.control!.send(broker, [
      { kind: 'execution', execId: `FORGED-790-${broker}`, execType: 'orderStatus', ordStatus: 'filled', orderId: 'X', clOrdId, symbol: 'AAPL', side: 'buy', orderQty: '100', cumQty: '100', leavesQty: '0', avgPx: '90', ordStatusReqId: 'FORGED-790' },
    ]);
    await t.untilAlert('the unasked answer refused', (a) => a.code === 'UNSOLICITED_REPORT' && a.broker === broker && /OrdStatusReqID \(790\) FORGED-790, which the desk never sent/.test(a.message));
    await until('a DontKnowTrade', async () => (await received('Q')).length > dks);
    expect(t.order(id)).toMatchObject({ status: 'new', cumQty: '0' });
    ok(await t.desk.call('cancelOrder', { orderId: id }));
    await t.untilOrder(id, 'canceled', (o) => o.status === 'canceled');
  });

  it('7b. a broker silent on a cancel of an order it never got: no answer, then its status says it never received it', async () => {
    await behave({ silentOnUnknownCancel: true });
    await sim.control!.fault(broker, { kind: 'dropNext' }); // the NewOrderSingle is lost inside the broker
    const id = await t.submit(broker);
    ok(await t.desk.call('cancelOrder', { orderId: id }));
    await t.untilAlert('no answer', (a) => a.orderId === id && a.code === 'NO_ANSWER');
    const order = await t.untilOrder(id, 'rejected: never received', (o) => o.status === 'rejected', 15_000);
    expect(order.text).toMatch(`${broker} never received this order`);
    expect(order.uncertain).toBeUndefined();
  });

  it('8. a malformed SendingTime is refused (35=3, SessionRejectReason 6) and changes nothing; a proper status settles the order', async () => {
    for (const restart of [false, true]) {
      await behave({ sendingTimeWithoutColons: true });
      const id = await t.submit(broker);
      const alert = await t.untilAlert('the refused message', (a) => a.broker === broker && /SendingTime \(52\) '\d{8}-\d{6}\.\d{3}' is not a UTCTimestamp/.test(a.message) && a.at >= t.order(id).createdAt);
      expect(alert.level).toBe('error');
      expect(t.order(id).status).toBe('pendingNew');
      await behave({ sendingTimeWithoutColons: false });
      if (restart) await t.restart();
      await t.untilOrder(id, 'settled by its status: New', (o) => o.status === 'new' && o.uncertain === undefined, 15_000);
      ok(await t.desk.call('cancelOrder', { orderId: id }));
      await t.untilOrder(id, 'canceled', (o) => o.status === 'canceled');
    }
  });
});

describe('a broker restarted: its state kept in its folder, ExecIDs counted from 1 again, or everything lost', () => {
  let sim: SimulatorProcess;
  let t: DeskUnderTest;
  let stateDir: string;
  let ports: Map<string, number>;

  async function restartSimulator(dir: string, behaviour: BrokerBehaviour): Promise<void> {
    await sim.stop();
    sim = await startSimulatorProcess({ config: simConfig(dir, ports, behaviour) });
  }

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    sim = await startSimulatorProcess({ config: simConfig(stateDir, new Map(), { execIdsRestartAfterRestart: true }) });
    ports = new Map(sim.brokers.map((b) => [b.name, b.port]));
    t = new DeskUnderTest(deskConfigFor(sim));
    await t.open();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('5 and 9. resting orders survive the broker\'s restart; reused ExecIDs apply to their own orders (a warning), a true duplicate once; a lost order reads as lost', async () => {
    const first: Record<string, { filled: string; resting: string }> = {};
    for (const v of VERSIONS) {
      const b = NAME[v];
      const filled = await t.submit(b, { limitPrice: '110' });
      await t.untilOrder(filled, 'filled', (o) => o.status === 'filled');
      first[b] = { filled, resting: await t.resting(b) };
    }
    // The broker restarts (same folder), and so does the desk: the resting orders are still there.
    await t.desk.stop();
    await restartSimulator(stateDir, { execIdsRestartAfterRestart: true });
    await t.open();
    for (const v of VERSIONS) {
      const { resting } = first[NAME[v]]!;
      await t.untilOrder(resting, 'still New after both restarted', (o) => o.status === 'new' && o.uncertain === undefined);
    }
    // New fills carry ExecIDs the broker used before, for other orders: applied, with a warning.
    for (const v of VERSIONS) {
      const b = NAME[v];
      const id = await t.submit(b, { limitPrice: '110' });
      const order = await t.untilOrder(id, 'filled', (o) => o.status === 'filled');
      expect(order).toMatchObject({ cumQty: '100', avgPx: '100' });
      const reuse = await t.untilAlert(`${b} reused ExecIDs`, (a) => a.code === 'EXEC_ID_REUSED' && a.orderId === id);
      expect(reuse).toMatchObject({ level: 'warning', message: expect.stringMatching(`^${b} reused ExecID ${b}-E\\d+ \\(first sent for order ${first[b]!.filled}\\)`) });
      expect(t.order(first[b]!.filled)).toMatchObject({ status: 'filled', cumQty: '100' });
      // A true duplicate (same ExecID, same order) applies once: no overfill.
      await sim.control!.fault(b, { kind: 'duplicateExecution' });
      await new Promise((r) => setTimeout(r, 300));
      expect(t.order(id)).toMatchObject({ cumQty: '100', status: 'filled' });
      expect(t.view.alerts.filter((a) => a.orderId === id && a.code === 'OVERFILL')).toEqual([]);
    }
    // The broker loses everything (a fresh folder): what rested there reads as lost, not as a reject of something just sent.
    const fresh = mkdtempSync(join(tmpdir(), 'sim-state-lost-'));
    try {
      await restartSimulator(fresh, {});
      for (const v of VERSIONS) {
        const { resting } = first[NAME[v]]!;
        const lost = await t.untilOrder(resting, 'lost by the broker', (o) => o.status === 'rejected', 15_000);
        expect(lost.text).toMatch(new RegExp(`^${NAME[v]} no longer knows this order`));
        await t.untilAlert('the lost order', (a) => a.orderId === resting && a.code === 'ORDER_LOST_BY_BROKER' && a.level === 'error');
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 90_000);
});
