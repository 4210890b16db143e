import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../../shared/contract/ticket';
import { ConfigError } from '../config/json-config';
import { parseDeskConfig } from '../config/desk-config';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import type { Desk } from './desk';
import { createDesk } from './create-desk';
import { FakeBroker } from './fake-broker.test-support';

const SIM_ALGOS = fileURLToPath(new URL('../../simulator/algos/sim-algos.xml', import.meta.url));
const config = (algoDefinitions = SIM_ALGOS, fixVersion: 'FIX.4.2' | 'FIX.4.4' | 'FIX.5.0SP2' = 'FIX.4.4') =>
  parseDeskConfig({
    accounts: ['FUND-ALPHA'],
    brokers: [
      { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A', algoDefinitions, fixVersion },
      { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
    ],
  });

describe("brokers' algos on the desk", () => {
  let dir: string;
  let brokers: Map<string, FakeBroker>;
  let desk: Desk;

  const open = async (c = config()) => {
    brokers = new Map();
    const d = createDesk({
      config: c,
      dataDir: dir,
      clock: new TestClock(),
      journalSyncMs: 0,
      connectBroker: (b, listener, _log, options) => {
        const fake = new FakeBroker(b.name, listener, options.unitOfWork);
        brokers.set(b.name, fake);
        return fake;
      },
    });
    await d.start();
    return d;
  };
  const submittedTickets = () => {
    const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
    try {
      return (db.prepare("SELECT payload FROM events WHERE type = 'orderSubmitted'").pluck().all() as string[]).map((p) => (JSON.parse(p) as { ticket: OrderTicket }).ticket);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-algos-'));
    desk = await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers getAlgoDefinitions per broker: the file, none, or an unknown broker', async () => {
    const a = await desk.call('getAlgoDefinitions', { broker: 'SIM-A' });
    expect(a.ok && a.value.definitions?.strategies.map((s) => s.name)).toEqual(['SIM-VWAP', 'SIM-POV']);
    const b = await desk.call('getAlgoDefinitions', { broker: 'SIM-B' });
    expect(b).toEqual({ ok: true, value: { broker: 'SIM-B' } });
    const unknown = await desk.call('getAlgoDefinitions', { broker: 'NOPE' });
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_BROKER');
  });

  it('journals the algo with the order and sends it resolved from the file', async () => {
    const ticket: OrderTicket = { ...limitTicket, broker: 'SIM-A', brokerAlgo: { strategy: 'SIM-POV', parameters: { ParticipationRate: '0.2', IWouldPrice: '149.5' } } };
    const result = await desk.call('submitOrder', ticket);
    if (!result.ok) throw new Error(result.error.message);
    expect(brokers.get('SIM-A')!.sent[0]).toMatchObject({
      type: 'newOrder',
      brokerAlgo: {
        strategyTag: 847,
        strategy: '1002',
        parametersGroup: true,
        parameters: [
          { name: 'ParticipationRate', type: 'Percentage_t', fixTag: 7611, value: '0.2' },
          { name: 'IWouldPrice', type: 'Price_t', fixTag: 7613, value: '149.5' },
        ],
      },
    });
    expect(submittedTickets()).toEqual([ticket]);
  });

  it('restates the algo on an amend (OrderCancelReplaceRequest)', async () => {
    const placed = await desk.call('submitOrder', { ...limitTicket, broker: 'SIM-A', brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'H' } } });
    if (!placed.ok) throw new Error(placed.error.message);
    const a = brokers.get('SIM-A')!;
    a.listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: placed.value.clOrdId, leavesQty: '100' }));
    const amended = await desk.call('amendOrder', { orderId: placed.value.orderId, quantity: '200' });
    if (!amended.ok) throw new Error(amended.error.message);
    expect(a.sent[1]).toMatchObject({ type: 'replace', quantity: '200', brokerAlgo: { strategy: '1001', parameters: [{ name: 'Urgency', fixTag: 7603, value: 'H' }] } });
  });

  it('refuses a bad algo with a coded error per field, journals nothing and sends nothing', async () => {
    const bad = await desk.call('submitOrder', { ...limitTicket, broker: 'SIM-A', brokerAlgo: { strategy: 'SIM-POV', parameters: { ParticipationRate: '0.75', Colour: 'red' } } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('INVALID_REQUEST');
    expect(bad.error.fieldCodes).toEqual({ 'brokerAlgo.parameters.ParticipationRate': 'ALGO_RANGE', 'brokerAlgo.parameters.Colour': 'ALGO_UNKNOWN_PARAMETER' });
    expect(bad.error.fields?.['brokerAlgo.parameters.ParticipationRate']).toBe('ParticipationRate must be at most 0.5');
    const none = await desk.call('submitOrder', { ...limitTicket, broker: 'SIM-B', brokerAlgo: { strategy: 'SIM-POV', parameters: {} } });
    expect(!none.ok && none.error.fieldCodes).toEqual({ 'brokerAlgo.strategy': 'ALGO_NOT_OFFERED' });
    expect(brokers.get('SIM-A')!.sent).toEqual([]);
    expect(submittedTickets()).toEqual([]);
  });

  it('does not start with a bad file, or one that does not fit the broker session', async () => {
    const file = join(dir, 'bad.xml');
    writeFileSync(file, '<Strategies xmlns="http://www.fixprotocol.org/FIXatdl-1-1/Core" strategyIdentifierTag="847"><Strategy name="X" wireValue="1"><Parameter name="P" xsi:type="Int_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></Strategy></Strategies>');
    expect(() => createDesk({ config: config(file), dataDir: join(dir, 'other') })).toThrow(ConfigError);
    expect(() => createDesk({ config: config(file), dataDir: join(dir, 'other') })).toThrow(/Parameter P: has no fixTag and the file does not set tag957Support/);
    const clash = join(dir, 'clash.xml');
    writeFileSync(clash, '<Strategies xmlns="http://www.fixprotocol.org/FIXatdl-1-1/Core" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" strategyIdentifierTag="847"><Strategy name="X" wireValue="1"><Parameter name="P" xsi:type="Int_t" fixTag="38"/></Strategy></Strategies>');
    expect(() => createDesk({ config: config(clash), dataDir: join(dir, 'other') })).toThrow(/does not fit broker SIM-A's FIX.4.4 session:\n {2}X, P: fixTag 38 is a tag the order message writes itself/);
  });
});
