import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domain/order-types';
import { freePort, startSimulatorProcess } from '../../simulator/launch';
import type { SimulatorProcess } from '../../simulator/launch';
import type { SimulatorConfigInput } from '../../simulator/simulator-config';
import type { BrokerConnection, BrokerListener, CancelRejectMessage, ExecutionReportMessage, InboundMessage, NewOrderMessage } from '../../core/broker/broker-port';
import { brokerConfigSchema } from '../../core/config/desk-config';
import { createLogger } from '../../core/log/logger';
import { systemClock } from '../../core/time/clock';
import { createFixBrokerConnection } from '../../core/fix/fix-broker-connection';
import { shippedInstrument } from '../../core/instruments/shipped-instruments.test-support';

/** Records everything the connection reports, and waits for what a test expects. */
class Recorder implements BrokerListener {
  readonly states: Array<{ state: SessionState; error?: string }> = [];
  readonly messages: InboundMessage[] = [];
  readonly malformed: string[] = [];
  private waiters: Array<() => void> = [];

  onState(_broker: string, state: SessionState, error?: string): void {
    this.states.push({ state, ...(error !== undefined ? { error } : {}) });
    this.poke();
  }
  onMessage(_broker: string, message: InboundMessage): void {
    this.messages.push(message);
    this.poke();
  }
  onMalformed(_broker: string, reason: string): void {
    this.malformed.push(reason);
    this.poke();
  }

  forOrder(clOrdIds: readonly string[]): InboundMessage[] {
    return this.messages.filter((m) => m.clOrdId !== undefined && clOrdIds.includes(m.clOrdId));
  }

  async until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; states: ${JSON.stringify(this.states)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private poke(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

const executions = (messages: InboundMessage[]) => messages.filter((m): m is ExecutionReportMessage => m.type === 'executionReport');

let port: number;
let sim: SimulatorProcess | undefined;
let connection: BrokerConnection | undefined;
const recorder = new Recorder();
const log = createLogger({ level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
let sequence = 0;
const nextClOrdId = () => `T${Date.now().toString(36)}-${++sequence}`;

function simulatorConfig(p: number): SimulatorConfigInput {
  return {
    seed: 7,
    tickIntervalMs: 20,
    ackDelayMs: 0,
    fills: { enabled: true, intervalMs: 40, fraction: 0.25 },
    brokers: [{ name: 'SIM-A', port: p, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
    instruments: {
      'AAPL.XNAS': { referencePrice: '100.00', volatility: 0.002, liquidity: '1000000' },
      'KO.XNYS': { referencePrice: '50.00', volatility: 0, liquidity: '30' },
    },
  };
}

const AAPL = { instrument: shippedInstrument('AAPL.XNAS'), tradeDate: '2026-11-27' }; // an equity: no date in its FIX fields

function order(overrides: Partial<NewOrderMessage> = {}): NewOrderMessage {
  return {
    type: 'newOrder',
    clOrdId: nextClOrdId(),
    account: 'FUND-ALPHA',
    ...AAPL,
    side: 'buy',
    orderType: 'limit',
    quantity: '100',
    limitPrice: '1000',
    timeInForce: 'day',
    transactTime: new Date(),
    ...overrides,
  };
}

async function lastStatus(clOrdIds: string[], status: string): Promise<ExecutionReportMessage> {
  return recorder.until(`order ${clOrdIds.join('/')} ${status}`, () => executions(recorder.forOrder(clOrdIds)).find((m) => m.ordStatus === status));
}

beforeAll(async () => {
  port = await freePort();
  sim = await startSimulatorProcess({ config: simulatorConfig(port) });
  const config = brokerConfigSchema.parse({
    name: 'SIM-A',
    host: '127.0.0.1',
    port,
    senderCompId: 'MERIDIAN',
    targetCompId: 'SIM-A',
    heartbeatSeconds: 5,
    reconnectSeconds: 0.2,
  });
  connection = createFixBrokerConnection(config, recorder, { log, clock: systemClock, maxReconnectSeconds: 1 });
});

afterAll(async () => {
  await connection?.stop();
  await sim?.stop();
});

describe('FIX broker connection against the simulator process', () => {
  it('refuses to send before it is logged on', () => {
    expect(connection!.state).toBe('stopped');
    expect(connection!.send(order())).toBeUndefined(); // nothing sent
  });

  it('logs on', async () => {
    connection!.start();
    await recorder.until('loggedOn', () => connection!.state === 'loggedOn');
    expect(recorder.states.map((s) => s.state)).toEqual(['connecting', 'loggedOn']);
  });

  it('acknowledges a marketable limit order, then fills it in parts up to Filled with exact cum/avg', async () => {
    const o = order({ quantity: '100', limitPrice: '1000' });
    expect(connection!.send(o)).toMatchObject({ msgType: 'D' }); // stored and on its way
    const filled = await lastStatus([o.clOrdId], 'filled');
    const reports = executions(recorder.forOrder([o.clOrdId]));
    expect(reports[0]).toMatchObject({ execType: 'new', ordStatus: 'new', cumQty: '0', leavesQty: '100' });
    expect(reports[0]!.brokerOrderId).toBeTruthy();
    const trades = reports.filter((r) => r.execType === 'trade');
    expect(trades.length).toBeGreaterThan(1);
    let cum = new Decimal(0);
    let notional = new Decimal(0);
    for (const t of trades) {
      cum = cum.plus(t.lastQty!);
      notional = notional.plus(new Decimal(t.lastQty!).times(t.lastPx!));
      expect(new Decimal(t.lastPx!).lessThanOrEqualTo('1000')).toBe(true);
      expect(t.cumQty).toBe(cum.toFixed());
      expect(new Decimal(t.leavesQty).plus(t.cumQty).toFixed()).toBe('100');
    }
    expect(filled).toMatchObject({ cumQty: '100', leavesQty: '0' });
    expect(filled.avgPx).toBe(notional.dividedBy(cum).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed());
    expect(trades.slice(0, -1).every((t) => t.ordStatus === 'partiallyFilled')).toBe(true);
  });

  it('rests a non-marketable order, cancels it (PendingCancel then Canceled)', async () => {
    const o = order({ limitPrice: '1.00' });
    connection!.send(o);
    await lastStatus([o.clOrdId], 'new');
    await new Promise((r) => setTimeout(r, 300));
    expect(executions(recorder.forOrder([o.clOrdId])).map((m) => m.execType)).toEqual(['new']);
    const cancelId = nextClOrdId();
    expect(
      connection!.send({ type: 'cancel', clOrdId: cancelId, origClOrdId: o.clOrdId, ...AAPL, side: 'buy', quantity: '100', transactTime: new Date() }),
    ).toMatchObject({ msgType: 'F', raw: expect.stringContaining(`|11=${cancelId}|`) }); // what the session stored
    await lastStatus([cancelId], 'canceled');
    const answers = executions(recorder.forOrder([cancelId]));
    expect(answers.map((m) => [m.execType, m.ordStatus])).toEqual([
      ['pendingCancel', 'pendingCancel'],
      ['canceled', 'canceled'],
    ]);
    expect(answers[1]).toMatchObject({ origClOrdId: o.clOrdId, leavesQty: '0', cumQty: '0' });
  });

  it('replaces a resting order (PendingReplace then Replaced with the new values)', async () => {
    const o = order({ limitPrice: '1.00', quantity: '100' });
    connection!.send(o);
    const ack = await lastStatus([o.clOrdId], 'new');
    const replaceId = nextClOrdId();
    connection!.send({ ...o, type: 'replace', clOrdId: replaceId, origClOrdId: o.clOrdId, brokerOrderId: ack.brokerOrderId, quantity: '250.5', limitPrice: '2.25' });
    const replaced = await recorder.until('replaced', () => executions(recorder.forOrder([replaceId])).find((m) => m.execType === 'replaced'));
    const answers = executions(recorder.forOrder([replaceId]));
    expect(answers[0]).toMatchObject({ execType: 'pendingReplace', ordStatus: 'pendingReplace', origClOrdId: o.clOrdId });
    expect(replaced).toMatchObject({ ordStatus: 'new', origClOrdId: o.clOrdId, orderQty: '250.5', limitPrice: '2.25', leavesQty: '250.5', cumQty: '0' });
    expect(replaced.brokerOrderId).toBe(ack.brokerOrderId);
  });

  it('rejects a cancel of a filled order with a cancel reject', async () => {
    const o = order({ quantity: '10' });
    connection!.send(o);
    await lastStatus([o.clOrdId], 'filled');
    const cancelId = nextClOrdId();
    connection!.send({ type: 'cancel', clOrdId: cancelId, origClOrdId: o.clOrdId, ...AAPL, side: 'buy', quantity: '10', transactTime: new Date() });
    const reject = await recorder.until('cancel reject', () =>
      recorder.messages.find((m): m is CancelRejectMessage => m.type === 'cancelReject' && m.clOrdId === cancelId),
    );
    expect(reject).toMatchObject({ responseTo: 'cancel', origClOrdId: o.clOrdId, ordStatus: 'filled', text: 'too late to cancel: order is filled' });
  });

  it('rejects an order for an unknown symbol, saying so', async () => {
    const o = order({ instrument: shippedInstrument('MSFT.XNAS') }); // in the desk's master, not traded by this broker
    connection!.send(o);
    const rejected = await lastStatus([o.clOrdId], 'rejected');
    expect(rejected).toMatchObject({ execType: 'rejected', text: 'unknown symbol: no instrument with ISIN US5949181045', cumQty: '0', leavesQty: '0' });
  });

  it('answers an order status request, and an unknown order as such', async () => {
    const o = order({ limitPrice: '1.00', quantity: '5' });
    connection!.send(o);
    const ack = await lastStatus([o.clOrdId], 'new');
    connection!.send({ type: 'statusRequest', clOrdId: o.clOrdId, brokerOrderId: ack.brokerOrderId, ...AAPL, side: 'buy' });
    const status = await recorder.until('status', () => executions(recorder.forOrder([o.clOrdId])).find((m) => m.execType === 'orderStatus'));
    expect(status).toMatchObject({ ordStatus: 'new', orderQty: '5', leavesQty: '5', cumQty: '0', limitPrice: '1' });
    connection!.send({ type: 'statusRequest', clOrdId: 'NEVER-SENT', ...AAPL, side: 'buy' });
    const unknown = await recorder.until('unknown status', () => executions(recorder.forOrder(['NEVER-SENT'])).find((m) => m.execType === 'orderStatus'));
    expect(unknown).toMatchObject({ ordStatus: 'rejected', text: 'unknown order' });
  });

  it('fills an IOC with what is available and cancels the rest; kills a FOK it cannot fill', async () => {
    const ioc = order({ instrument: shippedInstrument('KO.XNYS'), quantity: '100', limitPrice: '60', timeInForce: 'ioc' });
    connection!.send(ioc);
    const done = await lastStatus([ioc.clOrdId], 'canceled');
    const trades = executions(recorder.forOrder([ioc.clOrdId])).filter((m) => m.execType === 'trade');
    expect(trades.map((t) => [t.lastQty, t.lastPx])).toEqual([['30', '50']]);
    expect(done).toMatchObject({ cumQty: '30', leavesQty: '0', avgPx: '50' });
    const fok = order({ instrument: shippedInstrument('KO.XNYS'), quantity: '100', limitPrice: '60', timeInForce: 'fok' });
    connection!.send(fok);
    const killed = await lastStatus([fok.clOrdId], 'canceled');
    expect(killed.cumQty).toBe('0');
  });

  it('gives every execution a unique ExecID and never sees a ClOrdID twice at the simulator', () => {
    const execIds = executions(recorder.messages).map((m) => m.execId);
    expect(new Set(execIds).size).toBe(execIds.length);
    // A status request (H) names an existing ClOrdID; every other request must bring a new one.
    const received = sim!
      .receivedClOrdIds()
      .filter((r) => r.msgType !== 'H')
      .map((r) => r.clOrdId);
    expect(received.length).toBeGreaterThan(5);
    expect(new Set(received).size).toBe(received.length);
    expect(recorder.malformed).toEqual([]);
  });

  it('reports disconnected when the simulator dies, refuses sends, and reconnects by itself when it is back', async () => {
    sim!.kill();
    await sim!.exited;
    const down = await recorder.until('disconnected', () => (connection!.state === 'disconnected' || connection!.state === 'connecting') && recorder.states.at(-1));
    expect(recorder.states.some((s) => s.state === 'disconnected' && s.error)).toBe(true);
    expect(connection!.send(order())).toBeUndefined(); // nothing sent
    expect(down).toBeTruthy();
    sim = await startSimulatorProcess({ config: simulatorConfig(port) });
    await recorder.until('logged on again', () => connection!.state === 'loggedOn', 15_000);
    const o = order({ quantity: '1' });
    expect(connection!.send(o)).toMatchObject({ msgType: 'D' }); // stored and on its way
    await lastStatus([o.clOrdId], 'filled');
  });

  it('logs out cleanly on stop()', async () => {
    const started = Date.now();
    await connection!.stop();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(connection!.state).toBe('stopped');
    expect(connection!.send(order())).toBeUndefined(); // nothing sent
    await new Promise((r) => setTimeout(r, 200));
    const ended = sim!
      .stderr()
      .split('\n')
      .filter((l) => l.includes('"session ended"'));
    expect(ended.at(-1)).toBeDefined();
    expect(ended.at(-1)).not.toContain('reason');
  });
});
