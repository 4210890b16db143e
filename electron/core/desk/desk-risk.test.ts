import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { DeskConfig } from '../config/desk-config';
import { loadDeskConfig, parseDeskConfig } from '../config/desk-config';
import { configuredRiskLimits } from './risk-limits-commands';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import type { Desk } from './desk';
import { createDesk } from './create-desk';
import { FakeBroker } from './fake-broker.test-support';

const limits = {
  defaults: { maxQuantity: { warn: '500', block: '1000' } },
  watch: ['MSFT.XNAS'],
  restricted: ['NVDA.XNAS'],
  overrideRoles: ['trader'],
  roles: { alice: 'trader', bob: 'analyst' },
};

function configWith(riskLimits: unknown): DeskConfig {
  return parseDeskConfig({
    accounts: ['FUND-ALPHA', 'FUND-BETA'],
    brokers: [
      { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' },
      { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
    ],
    riskLimits,
  });
}

describe('pre-trade risk in the desk: the gate before the journal, the kill switch, the limits', () => {
  let dir: string;
  let clock: TestClock;
  let brokers: Map<string, FakeBroker>;
  let desk: Desk;
  let messages: DeskStreamMessage[];

  async function open(config: DeskConfig = configWith(limits), operator = 'alice'): Promise<Desk> {
    brokers = new Map();
    const d = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      operator,
      connectBroker: (c, listener, _log, options) => {
        const b = new FakeBroker(c.name, listener, options.unitOfWork);
        brokers.set(c.name, b);
        return b;
      },
    });
    await d.start();
    messages = [];
    d.subscribe((m) => messages.push(m));
    return d;
  }

  const simA = () => brokers.get('SIM-A')!;
  const simB = () => brokers.get('SIM-B')!;
  const newOrders = () => [...simA().sent, ...simB().sent].filter((m) => m.type === 'newOrder');
  const cancels = () => [...simA().sent, ...simB().sent].filter((m) => m.type === 'cancel');

  async function history(orderId: string): Promise<string[]> {
    const h = await desk.call('getOrderHistory', { orderId });
    if (!h.ok) throw new Error(h.error.message);
    return h.value.entries.map((e) => e.summary);
  }

  async function working(ticket = limitTicket): Promise<{ orderId: string; clOrdId: string }> {
    const result = await desk.call('submitOrder', ticket);
    if (!result.ok) throw new Error(result.error.message);
    const broker = brokers.get(ticket.broker)!;
    broker.listener.onMessage(ticket.broker, report({ execType: 'new', ordStatus: 'new', clOrdId: result.value.clOrdId, leavesQty: ticket.quantity }));
    return result.value;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-risk-'));
    clock = new TestClock();
    desk = await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a block is refused with its coded reasons, journaled as a denial kept on the order, and nothing is sent', async () => {
    const result = await desk.call('submitOrder', { ...limitTicket, quantity: '1001' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RISK_REFUSED');
    expect(result.error.risk).toMatchObject([{ code: 'QUANTITY_ABOVE_MAX', tier: 'block', figures: { quantity: '1001', max: '1000' } }]);
    expect(newOrders()).toEqual([]);
    clock.advance(20);
    const denied = messages.flatMap((m) => (m.kind === 'orders' ? m.rows : [])).find((o) => o.quantity === '1001');
    expect(denied).toMatchObject({ status: 'rejected', risk: 'blocked: QUANTITY_ABOVE_MAX', text: expect.stringContaining('QUANTITY_ABOVE_MAX quantity=1001 max=1000') });
    expect((await history(denied!.orderId))[0]).toMatch(/^Refused by the desk \(RISK_BLOCKED\): QUANTITY_ABOVE_MAX quantity=1001 max=1000/);
    // Blocks cannot be overridden.
    const again = await desk.call('submitOrder', { ...limitTicket, instrumentId: 'NVDA.XNAS', riskOverride: { reason: 'I know what I am doing' } });
    expect(!again.ok && again.error.risk?.map((f) => f.code)).toEqual(['INSTRUMENT_RESTRICTED']);
    expect(newOrders()).toEqual([]);
  });

  it('a warning is refused until overridden with a reason; the override is recorded with who and why', async () => {
    const ticket = { ...limitTicket, instrumentId: 'MSFT.XNAS' };
    const refused = await desk.call('submitOrder', ticket);
    expect(!refused.ok && refused.error.risk?.map((f) => `${f.tier} ${f.code}`)).toEqual(['warn INSTRUMENT_ON_WATCH_LIST']);
    expect(newOrders()).toEqual([]);
    const sent = await desk.call('submitOrder', { ...ticket, riskOverride: { reason: 'PM approved by phone' } });
    if (!sent.ok) throw new Error(sent.error.message);
    expect(newOrders()).toHaveLength(1);
    expect((await history(sent.value.orderId))[0]).toMatch(/Risk warnings overridden by alice \("PM approved by phone"\): INSTRUMENT_ON_WATCH_LIST/);
    clock.advance(20);
    const row = messages.flatMap((m) => (m.kind === 'orders' ? m.rows : [])).findLast((o) => o.orderId === sent.value.orderId);
    expect(row?.risk).toBe('overridden by alice: INSTRUMENT_ON_WATCH_LIST (PM approved by phone)');
    const found = await desk.call('searchOrders', { text: sent.value.orderId, view: 'all', limit: 10 });
    expect(found.ok && found.value.orders[0]?.risk).toBe('overridden by alice: INSTRUMENT_ON_WATCH_LIST (PM approved by phone)');
  });

  it('an override by a role that may not is refused', async () => {
    await desk.stop();
    desk = await open(configWith(limits), 'bob');
    const result = await desk.call('submitOrder', { ...limitTicket, instrumentId: 'MSFT.XNAS', riskOverride: { reason: 'please let it through' } });
    expect(!result.ok && result.error.risk?.map((f) => f.code)).toEqual(['INSTRUMENT_ON_WATCH_LIST', 'OVERRIDE_NOT_PERMITTED']);
    expect(newOrders()).toEqual([]);
  });

  it('an amend is checked on its new values; a refused one stays in the order history and sends nothing', async () => {
    const { orderId } = await working();
    const result = await desk.call('amendOrder', { orderId, quantity: '2000' });
    expect(!result.ok && result.error.code).toBe('RISK_REFUSED');
    expect(simA().sent.filter((m) => m.type === 'replace')).toEqual([]);
    expect((await history(orderId)).some((s) => s.startsWith('Amend refused by the pre-trade checks (RISK_BLOCKED, asked by alice): QUANTITY_ABOVE_MAX quantity=2000 max=1000'))).toBe(true);
    const ok = await desk.call('amendOrder', { orderId, quantity: '200' });
    expect(ok.ok).toBe(true);
  });

  it('previewOrder reports the findings before sending, and whether this person may override', async () => {
    const preview = await desk.call('previewOrder', { instrumentId: 'MSFT.XNAS', quantity: '600', limitPrice: '400', side: 'buy', account: 'FUND-ALPHA', broker: 'SIM-A' });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.risk).toMatchObject({ canOverride: true, tradingState: { mode: 'normal' } });
    expect(preview.value.risk?.findings.map((f) => `${f.tier} ${f.code}`)).toEqual(['warn INSTRUMENT_ON_WATCH_LIST', 'warn QUANTITY_ABOVE_MAX']);
    expect(newOrders()).toEqual([]);
  });

  it('the kill switch cancels every working order at every broker, halts new orders, survives a restart, and resumes', async () => {
    await working();
    await working({ ...limitTicket, broker: 'SIM-B', account: 'FUND-BETA' });
    const kill = await desk.call('setTradingState', { mode: 'halted', cancel: { scope: 'all' }, reason: 'runaway algo' });
    if (!kill.ok) throw new Error(kill.error.message);
    expect(kill.value).toMatchObject({ state: { mode: 'halted', by: 'alice', reason: 'runaway algo' }, canceled: 2, deferred: 0 });
    expect(cancels()).toHaveLength(2);
    clock.advance(20);
    expect(messages.some((m) => m.kind === 'tradingState' && m.rows.at(-1)?.mode === 'halted')).toBe(true);

    const refused = await desk.call('submitOrder', limitTicket);
    expect(!refused.ok && refused.error.risk?.map((f) => f.code)).toEqual(['TRADING_HALTED']);

    await desk.stop();
    desk = await open();
    const snapshot = messages.find((m) => m.kind === 'snapshot');
    expect(snapshot?.kind === 'snapshot' && snapshot.tradingState).toMatchObject({ mode: 'halted', by: 'alice' });
    // Restored from the snapshot written at the stop: the refusal is still on its order.
    expect(snapshot?.kind === 'snapshot' && snapshot.orders.filter((o) => o.risk !== undefined).map((o) => o.risk)).toEqual(['blocked: TRADING_HALTED']);
    expect((await desk.call('submitOrder', limitTicket)).ok).toBe(false);

    const resumed = await desk.call('setTradingState', { mode: 'normal', reason: 'fixed' });
    expect(resumed.ok && resumed.value.state.mode).toBe('normal');
    expect((await desk.call('submitOrder', limitTicket)).ok).toBe(true);
  });

  it('kill by broker or account cancels only that scope', async () => {
    await working();
    await working({ ...limitTicket, broker: 'SIM-B' });
    const kill = await desk.call('setTradingState', { mode: 'normal', cancel: { scope: 'broker', value: 'SIM-B' }, reason: 'broker trouble' });
    expect(kill.ok && kill.value.canceled).toBe(1);
    expect(simB().sent.filter((m) => m.type === 'cancel')).toHaveLength(1);
    expect(simA().sent.filter((m) => m.type === 'cancel')).toHaveLength(0);
    const unknown = await desk.call('setTradingState', { mode: 'halted', cancel: { scope: 'account', value: 'NOPE' }, reason: 'typo' });
    expect(unknown.ok).toBe(false);
  });

  it('reduce-only lets through only an order that reduces a position (positions from fills)', async () => {
    const { clOrdId } = await working();
    simA().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'filled', clOrdId, execId: 'F1', lastQty: '100', lastPx: '150', cumQty: '100', leavesQty: '0', avgPx: '150' }));
    await desk.call('setTradingState', { mode: 'reduceOnly', reason: 'risk off' });
    const more = await desk.call('submitOrder', limitTicket);
    expect(!more.ok && more.error.risk?.map((f) => f.code)).toEqual(['REDUCE_ONLY']);
    const closing = await desk.call('submitOrder', { ...limitTicket, side: 'sell', quantity: '100' });
    expect(closing.ok).toBe(true);
  });

  it('a cancel the kill switch could not send (broker down) is journaled and goes when the broker logs on', async () => {
    const { orderId } = await working({ ...limitTicket, broker: 'SIM-B' });
    simB().setState('disconnected');
    const kill = await desk.call('setTradingState', { mode: 'halted', cancel: { scope: 'all' }, reason: 'outage' });
    expect(kill.ok && kill.value).toMatchObject({ canceled: 0, deferred: 1 });
    expect(simB().sent.filter((m) => m.type === 'cancel')).toHaveLength(0);
    expect((await history(orderId)).some((s) => s.includes('cancel deferred until SIM-B logs on'))).toBe(true);
    simB().setState('loggedOn');
    expect(simB().sent.filter((m) => m.type === 'cancel')).toHaveLength(1);
  });

  it('limits reload from their file without a restart, journaled with their hash; a bad file is refused and changes nothing', async () => {
    await desk.stop();
    const file = join(dir, 'risk-limits.json');
    writeFileSync(file, JSON.stringify({ defaults: { maxQuantity: { block: '1000' } } }));
    desk = await open(configWith(file));
    const before = await desk.call('getRiskLimits', {});
    if (!before.ok) throw new Error(before.error.message);
    expect((await desk.call('submitOrder', { ...limitTicket, quantity: '1500' })).ok).toBe(false);

    writeFileSync(file, JSON.stringify({ defaults: { maxQuantity: { block: '2000' } } }));
    const reloaded = await desk.call('reloadRiskLimits', {});
    expect(reloaded.ok && reloaded.value.changed).toBe(true);
    expect((await desk.call('submitOrder', { ...limitTicket, quantity: '1500' })).ok).toBe(true);

    writeFileSync(file, JSON.stringify({ defaults: { maxQuantity: { block: 'lots' } } }));
    const bad = await desk.call('reloadRiskLimits', {});
    expect(!bad.ok && bad.error.message).toMatch(/defaults\.maxQuantity\.block/);
    const after = await desk.call('getRiskLimits', {});
    expect(after.ok && reloaded.ok && after.value.hash).toBe(reloaded.ok ? reloaded.value.hash : '');
    expect(after.ok && after.value.hash).not.toBe(before.value.hash);
  });

  it('the shipped limits file is valid; a bad one stops the desk from starting, naming the field', () => {
    const shipped = loadDeskConfig(join(import.meta.dirname, '../../../config/desk.json'));
    expect(configuredRiskLimits({ config: shipped }).defaults.maxQuantity).toEqual({ warn: '50000', block: '500000' });
    const file = join(dir, 'bad-limits.json');
    writeFileSync(file, JSON.stringify({ defaults: { maxOpenOrders: { warn: 'many' } } }));
    expect(() => createDesk({ config: configWith(file), dataDir: join(dir, 'other'), clock })).toThrow(/defaults\.maxOpenOrders\.warn/);
  });

  it('an order that takes an account across 80 % of a limit raises a warning once', async () => {
    await desk.stop();
    desk = await open(configWith({ accounts: { 'FUND-ALPHA': { maxOpenOrders: { block: '5' } } } }));
    const alerts = () => {
      clock.advance(20);
      return messages.flatMap((m) => (m.kind === 'alerts' ? m.rows : [])).filter((a) => a.code === 'RISK_LIMIT_NEAR');
    };
    for (let i = 0; i < 3; i++) await working({ ...limitTicket, quantity: String(100 + i) });
    expect(alerts()).toEqual([]);
    await working({ ...limitTicket, quantity: '200' });
    expect(alerts().map((a) => a.message)).toEqual(['FUND-ALPHA: open orders at 80 % of its limit (4 of 5)']);
    await working({ ...limitTicket, quantity: '201' });
    expect(alerts()).toHaveLength(1);
  });

  it('getRiskLimits shows each account\'s usage against its limits', async () => {
    await desk.stop();
    desk = await open(configWith({ accounts: { 'FUND-ALPHA': { maxOpenOrders: { warn: '4', block: '5' } } } }));
    await working();
    const view = await desk.call('getRiskLimits', {});
    if (!view.ok) throw new Error(view.error.message);
    expect(view.value.usage.find((u) => u.account === 'FUND-ALPHA' && u.limit === 'openOrders')).toMatchObject({ used: '1', warnAt: '4', blockAt: '5', percent: '20' });
  });
});
