import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ExecutionView, OrderView } from '../../../shared/contract/views';
import type { OrderTicket } from '../../../shared/contract/ticket';
import type { OrderStatus } from '../../../shared/domain/order-types';
import type { FixVersion } from '../../core/config/desk-config';
import { parseDeskConfig } from '../../core/config/desk-config';
import { createDesk } from '../../core/desk/create-desk';
import type { Desk } from '../../core/desk/desk';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import type { ExecutionReport, Report } from '../../simulator/order-engine';
import type { ReceivedMessage } from '../../simulator/simulated-broker';
import { DeskView, until as pollUntil } from '../support/desk-view';

/**
 * The desk (createDesk, real FIX connector) against one simulator process in script mode: every
 * broker message is played by the test through the simulator's control channel, and the test reads
 * the desk's own view (its published order stream) after every step.
 */

export const BROKER_OF: Readonly<Record<FixVersion, string>> = { 'FIX.4.2': 'SIM-42', 'FIX.4.4': 'SIM-44', 'FIX.5.0SP2': 'SIM-50' };

export { DeskView };

/** Polls every 4 ms (a scenario has many short steps), 5 s by default. */
export function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  return pollUntil(what, probe, timeoutMs, 4);
}

export interface Shared {
  sim: SimulatorProcess;
  desk: Desk;
  view: DeskView;
  stop(): Promise<void>;
}

export async function startShared(versions: readonly FixVersion[]): Promise<Shared> {
  const sim = await startSimulatorProcess({
    config: {
      seed: 1,
      tickIntervalMs: 60_000,
      control: { port: 0 },
      brokers: versions.map((v) => ({ name: BROKER_OF[v], port: 0, senderCompId: BROKER_OF[v], targetCompId: 'MERIDIAN', fixVersion: v, auto: false })),
      instruments: {
        'AAPL.XNAS': { referencePrice: '100', volatility: 0 },
        'EURUSD.SPOT': { referencePrice: '1.085', volatility: 0 },
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'desk-matrix-'));
  const config = parseDeskConfig({
    accounts: ['FUND-ALPHA'],
    brokers: sim.brokers.map((b, i) => ({
      name: b.name,
      port: b.port,
      senderCompId: 'MERIDIAN',
      targetCompId: b.name,
      fixVersion: versions[i],
      heartbeatSeconds: 30,
      reconnectSeconds: 0.2,
      capabilities: { chainedRequests: true },
    })),
  });
  const desk = createDesk({ config, dataDir: dir, journalSyncMs: 0 });
  await desk.start();
  const view = new DeskView(desk);
  await until('every session logged on', () => sim.brokers.every((b) => view.sessions.get(b.name)?.state === 'loggedOn'), 20_000);
  return {
    sim,
    desk,
    view,
    async stop() {
      await desk.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The desk's view of an order, in the matrices' columns. */
export interface Expected {
  readonly status: OrderStatus;
  readonly orderQty: string;
  readonly cumQty: string;
  readonly leavesQty: string;
  readonly avgPx: string;
}

export type Expect = readonly [status: OrderStatus, orderQty: string, cumQty: string, leavesQty: string, avgPx: string];

/** ClOrdIDs by the matrices' letters: X is the order's first, Y and Z the requests after it. */
type Letter = 'X' | 'Y' | 'Z' | 'W';

/** An execution report in the matrices' words; `id` names it for a later ExecRefID. */
export interface Er {
  readonly type: ExecutionReport['execType'];
  readonly status: OrderStatus;
  readonly cl: Letter;
  readonly orig?: Letter;
  readonly qty: string;
  readonly cum: string;
  readonly leaves: string;
  readonly avg: string;
  readonly last?: readonly [qty: string, px: string];
  readonly id?: string;
  readonly ref?: string;
  readonly reason?: string; // ExecRestatementReason code
  readonly text?: string;
  readonly price?: string;
}

export interface Reject {
  readonly cl: Letter;
  readonly orig: Letter;
  readonly status: OrderStatus;
  readonly to: 'cancel' | 'replace';
  readonly reason?: 'tooLateToCancel' | 'other';
  readonly text?: string;
}

export type Step =
  | { readonly desk: 'new'; readonly qty: string; readonly tif?: OrderTicket['timeInForce']; readonly expect: Expect }
  | { readonly desk: 'cancel'; readonly expect: Expect }
  | { readonly desk: 'replace'; readonly qty: string; readonly price?: string; readonly expect: Expect }
  | { readonly er: Er; readonly expect: Expect; readonly note?: string }
  | { readonly reject: Reject; readonly expect: Expect };

export interface Scenario {
  readonly ref: string;
  readonly title: string;
  readonly steps: readonly Step[];
  /** Extra checks on the final state (executions list, text, alerts). */
  readonly then?: (run: ScenarioRun) => void | Promise<void>;
}

let scenarioSerial = 0;

/** One scenario on one broker: plays the steps, checks the desk's view after each. */
export class ScenarioRun {
  readonly letters = new Map<Letter, string>();
  orderId = '';
  private readonly execIds = new Map<string, string>();
  private readonly prefix = `S${++scenarioSerial}-${Date.now().toString(36)}`;
  private execSerial = 0;
  private receivedSeq = 0;

  constructor(
    readonly shared: Shared,
    readonly broker: string,
  ) {}

  async play(scenario: Scenario): Promise<void> {
    this.receivedSeq = (await this.shared.sim.control!.received(this.broker)).at(-1)?.seq ?? 0;
    for (const [i, step] of scenario.steps.entries()) {
      const version = this.shared.view.orders.get(this.orderId)?.version ?? 0;
      await this.step(step);
      // Every step changes the order's version (even when its status stays): wait for the desk to have applied it.
      await until(`${scenario.ref} step ${i + 1} applied`, () => (this.shared.view.orders.get(this.orderId)?.version ?? 0) > version, 3_000);
      await this.expectOrder(step.expect, `${scenario.ref} step ${i + 1}`);
    }
    await scenario.then?.(this);
  }

  order(): OrderView {
    const o = this.shared.view.orders.get(this.orderId);
    if (o === undefined) throw new Error(`no order ${this.orderId}`);
    return o;
  }

  execId(name: string): string {
    const id = this.execIds.get(name);
    if (id === undefined) throw new Error(`no execution named ${name}`);
    return id;
  }

  /**
   * The order's execution rows as a new subscriber's snapshot shows them (with a bust's or a
   * correction's mark on the row it ended). The live stream carries those marks once
   * desk-context publishes every row of a BookChange (`change.executions`).
   */
  snapshotExecutions(): Array<ExecutionView & { state?: string; endedBy?: string }> {
    let rows: readonly ExecutionView[] = [];
    const unsubscribe = this.shared.desk.subscribe((m) => {
      if (m.kind === 'snapshot') rows = m.executions;
    });
    unsubscribe();
    return rows.filter((e) => e.orderId === this.orderId);
  }

  executions(): ExecutionView[] {
    return [...this.shared.view.executions.values()].filter((e) => e.orderId === this.orderId);
  }

  /** What the desk sent to the broker during this scenario. */
  async sent(msgType: string): Promise<ReceivedMessage[]> {
    return (await this.shared.sim.control!.received(this.broker, this.receivedSeq)).filter((m) => m.msgType === msgType);
  }

  private async step(step: Step): Promise<void> {
    const { desk } = this.shared;
    if ('desk' in step) {
      if (step.desk === 'new') {
        const r = await desk.call('submitOrder', {
          instrumentId: 'AAPL.XNAS',
          side: 'buy',
          quantity: step.qty,
          orderType: 'limit',
          limitPrice: '100',
          timeInForce: step.tif ?? 'day',
          account: 'FUND-ALPHA',
          broker: this.broker,
        });
        if (!r.ok) throw new Error(r.error.message);
        this.orderId = r.value.orderId;
        this.letters.set('X', r.value.clOrdId);
        await this.arrived('D', r.value.clOrdId);
        return;
      }
      const r =
        step.desk === 'cancel'
          ? await desk.call('cancelOrder', { orderId: this.orderId })
          : await desk.call('amendOrder', { orderId: this.orderId, quantity: step.qty, ...(step.price !== undefined && { limitPrice: step.price }) });
      if (!r.ok) throw new Error(r.error.message);
      this.letters.set(this.letters.has('Y') ? (this.letters.has('Z') ? 'W' : 'Z') : 'Y', r.value.clOrdId);
      await this.arrived(step.desk === 'cancel' ? 'F' : 'G', r.value.clOrdId);
      return;
    }
    if ('er' in step) return this.shared.sim.control!.send(this.broker, [this.report(step.er)]);
    const j = step.reject;
    await this.shared.sim.control!.send(this.broker, [
      {
        kind: 'cancelReject',
        orderId: this.brokerOrderId(),
        clOrdId: this.id(j.cl),
        origClOrdId: this.id(j.orig),
        ordStatus: j.status,
        responseTo: j.to,
        reason: j.reason ?? 'other',
        text: j.text ?? (j.reason === 'tooLateToCancel' ? 'too late to cancel' : 'rejected by the scenario'),
      },
    ]);
  }

  /** An ExecutionReport as the broker sends it (the simulator encodes it in the broker's FIX version). */
  report(er: Er): Report {
    const execId = `${this.prefix}-E${++this.execSerial}`;
    if (er.id !== undefined) this.execIds.set(er.id, execId);
    return {
      kind: 'execution',
      execId,
      execType: er.type,
      ordStatus: er.status,
      orderId: this.brokerOrderId(),
      clOrdId: this.id(er.cl),
      ...(er.orig !== undefined && { origClOrdId: this.id(er.orig) }),
      symbol: 'AAPL',
      side: 'buy',
      orderType: 'limit',
      orderQty: er.qty,
      limitPrice: er.price ?? '100',
      ...(er.last !== undefined && { lastQty: er.last[0], lastPx: er.last[1] }),
      cumQty: er.cum,
      leavesQty: er.leaves,
      avgPx: er.avg,
      ...(er.ref !== undefined && { execRefId: this.execId(er.ref) }),
      ...(er.reason !== undefined && { execRestatementReason: er.reason }),
      ...(er.text !== undefined && { text: er.text }),
    };
  }

  brokerOrderId(): string {
    return `${this.prefix}-O`;
  }

  private id(letter: Letter): string {
    const id = this.letters.get(letter);
    if (id === undefined) throw new Error(`no ClOrdID ${letter} yet`);
    return id;
  }

  private async arrived(msgType: string, clOrdId: string): Promise<void> {
    const control = this.shared.sim.control!;
    const end = Date.now() + 5_000;
    for (;;) {
      const got = await control.received(this.broker, this.receivedSeq);
      if (got.some((m) => m.msgType === msgType && m.fields.some(([t, v]) => t === 11 && v === clOrdId))) return;
      if (Date.now() > end) throw new Error(`the broker never received ${msgType} ${clOrdId}`);
      await new Promise((r) => setTimeout(r, 4));
    }
  }

  async expectOrder([status, orderQty, cumQty, leavesQty, avgPx]: Expect, where: string): Promise<void> {
    const wanted = { status, quantity: orderQty, cumQty, leavesQty, avgPx };
    const matches = (o: OrderView | undefined) =>
      o !== undefined && o.status === status && o.quantity === orderQty && o.cumQty === cumQty && o.leavesQty === leavesQty && o.avgPx === avgPx;
    try {
      await until(where, () => matches(this.shared.view.orders.get(this.orderId)), 3_000);
    } catch {
      const o = this.shared.view.orders.get(this.orderId);
      expect({ where, status: o?.status, quantity: o?.quantity, cumQty: o?.cumQty, leavesQty: o?.leavesQty, avgPx: o?.avgPx }).toEqual({ where, ...wanted });
    }
  }
}
