import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskApi } from '../../../shared/contract/desk-api';
import { ok } from '../../../shared/contract/result';
import type { FixLogEntryView } from '../../../shared/contract/views';
import { setDeskApi } from '../store/actions';
import { deskStore, resetDeskStore } from '../store/desk-store';
import { closeSessionMonitor, connectSession, openSessionMonitor, setLogFilter } from './session-monitor-store';

const settle = () => new Promise((r) => setTimeout(r, 0));

const entry = (id: number): FixLogEntryView => ({ id, seqNum: id, possDup: false, at: '2026-01-05T10:00:00.000Z', direction: 'in', msgType: '0', msgTypeName: 'Heartbeat', raw: '8=FIX.4.4|35=0|', fields: [] });

let calls: Array<{ command: string; params: unknown }> = [];
let release: Array<() => void> = [];
const fakeApi: DeskApi = {
  subscribe: () => () => undefined,
  call: (command, params) => {
    calls.push({ command, params });
    if (command === 'getFixLog') {
      const search = (params as { search?: string }).search;
      // Each answer waits for the test to release it, so answers can arrive out of order.
      return new Promise((resolve) => release.push(() => resolve(ok({ broker: 'SIM-A', session: 'trading', entries: search === 'old' ? [entry(1)] : [entry(2), entry(3)] }) as never)));
    }
    return Promise.resolve(ok({ broker: 'SIM-A', session: 'trading', message: 'Logon sent' }) as never);
  },
};

const monitor = () => deskStore.getState().sessionMonitor;

describe('session monitor slice', () => {
  beforeEach(() => {
    resetDeskStore();
    calls = [];
    release = [];
    setDeskApi(fakeApi);
  });
  afterEach(() => setDeskApi(null));

  it('opens on a broker, loads its log through the one transport, and closes back to the initial slice', async () => {
    openSessionMonitor('SIM-A');
    expect(monitor()).toMatchObject({ open: true, logSession: { broker: 'SIM-A', role: 'trading' }, loading: true });
    expect(calls.map((c) => c.command)).toEqual(['getFixLog']);
    release.shift()!();
    await settle();
    expect(monitor().entries.map((e) => e.id)).toEqual([2, 3]);
    expect(monitor().selectedEntryId).toBe(2);
    closeSessionMonitor();
    expect(monitor()).toEqual(resetSlice());
  });

  it('keeps only the answer to the newest request when two are out', async () => {
    openSessionMonitor('SIM-A');
    setLogFilter({ search: 'old', msgType: '', direction: '' });
    // The second request's answer arrives first, then the first's: the first is dropped.
    release[1]!();
    await settle();
    release[0]!();
    await settle();
    expect(monitor().entries.map((e) => e.id)).toEqual([1]);
  });

  it("shows a session action's outcome, and says so when there is no transport", async () => {
    await connectSession({ broker: 'SIM-A', role: 'trading' });
    expect(monitor().notice).toEqual({ ok: true, text: 'Logon sent' });
    setDeskApi(null);
    await connectSession({ broker: 'SIM-A', role: 'trading' });
    expect(monitor().notice?.ok).toBe(false);
    expect(monitor().notice?.text).toMatch(/Not connected to the desk/);
  });
});

function resetSlice() {
  resetDeskStore();
  return deskStore.getState().sessionMonitor;
}
