import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandName } from '../../../shared/contract/commands';
import type { DeskApi } from '../../../shared/contract/desk-api';
import { fail, ok } from '../../../shared/contract/result';
import type { Layout, Workspace } from '../../../shared/contract/workspace';
import { LAYOUT_FILE_FORMAT, workspaceSchema } from '../../../shared/contract/workspace';
import { setDeskApi } from '../store/actions';
import { deskStore, resetDeskStore } from '../store/desk-store';
import { defaultWorkspace } from './workspace-slice';
import { applyLayout, exportLayout, importLayout, loadWorkspace, mergeOwned, resetLayout, saveLayoutAs, saveWorkspaceNow, updateBlotterLayout } from './workspace-store';

/** The desk's side of the workspace commands, with a stored copy and its revision. */
let stored: { workspace: Workspace | null; revision: number };
let calls: CommandName[] = [];
const fakeApi: DeskApi = {
  subscribe: () => () => undefined,
  call: (command, params) => {
    calls.push(command);
    if (command === 'getWorkspace') return Promise.resolve(ok(stored)) as never;
    if (command === 'saveWorkspace') {
      const p = params as { workspace: Workspace; baseRevision: number };
      if (!workspaceSchema.safeParse(p.workspace).success) return Promise.resolve(fail('INVALID_REQUEST', 'bad workspace')) as never;
      if (p.baseRevision !== stored.revision) return Promise.resolve(fail('CONFLICT', 'saved meanwhile')) as never;
      stored = { workspace: p.workspace, revision: stored.revision + 1 };
      return Promise.resolve(ok({ revision: stored.revision })) as never;
    }
    return Promise.resolve(fail('INTERNAL', 'not here')) as never;
  },
};

const ws = () => deskStore.getState().workspace;
const ordersLayout = (width: number) => ({ columns: [{ colId: 'orderId', width, pinned: 'left' as const }], filters: {}, view: 'working' as const });

describe('workspace', () => {
  beforeEach(async () => {
    resetDeskStore();
    stored = { workspace: null, revision: 0 };
    calls = [];
    setDeskApi(fakeApi);
    vi.useFakeTimers();
    await loadWorkspace();
  });
  afterEach(() => {
    vi.useRealTimers();
    setDeskApi(null);
  });

  it('starts from the defaults, saves a change a moment later, and reads it back', async () => {
    expect(ws()).toMatchObject({ loaded: true, revision: 0, applySeq: 1 });
    updateBlotterLayout('orders', ordersLayout(120));
    expect(calls).toEqual(['getWorkspace']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(['getWorkspace', 'saveWorkspace']);
    expect(stored.revision).toBe(1);
    expect(stored.workspace?.current.blotters.orders?.columns[0]?.width).toBe(120);
    resetDeskStore();
    await loadWorkspace();
    expect(ws().doc.current.blotters.orders?.view).toBe('working');
  });

  it('names layouts, applies one (the screens are told), and resets to the default', () => {
    updateBlotterLayout('orders', ordersLayout(120));
    expect(saveLayoutAs('Morning')).toBeNull();
    updateBlotterLayout('orders', ordersLayout(200));
    expect(saveLayoutAs('  ')).toMatch(/needs a name/);
    const before = ws().applySeq;
    applyLayout('morning');
    expect(ws().applySeq).toBe(before + 1);
    expect(ws().doc.current.blotters.orders?.columns[0]?.width).toBe(120);
    expect(ws().doc.activeName).toBe('Morning');
    resetLayout();
    expect(ws().doc.current.blotters).toEqual({});
    expect(ws().doc.activeName).toBeUndefined();
    expect(ws().doc.layouts.map((l) => l.name)).toEqual(['Morning']);
  });

  it('exports a layout file and imports it back', () => {
    updateBlotterLayout('orders', ordersLayout(133));
    saveLayoutAs('Close');
    const file = exportLayout('Close');
    expect(file.fileName).toBe('meridian-layout-Close.json');
    resetLayout();
    const result = importLayout(file.text);
    expect(result).toEqual({ ok: true, name: 'Close' });
    expect(ws().doc.current.blotters.orders?.columns[0]?.width).toBe(133);
  });

  it('refuses a bad layout file with a clear reason, and keeps the current layout', () => {
    updateBlotterLayout('orders', ordersLayout(150));
    const current = ws().doc;
    const applySeq = ws().applySeq;
    const good = { format: LAYOUT_FILE_FORMAT, version: 1, name: 'X', layout: current.current };
    const cases: Array<[string, RegExp]> = [
      ['not json at all', /not JSON/],
      [JSON.stringify({ format: 'something-else', version: 1, name: 'X', layout: current.current }), /not a Meridian Desk layout file/],
      [JSON.stringify({ ...good, layout: { ...good.layout, blotters: { orders: { ...ordersLayout(5), columns: [{ colId: 'orderId', width: 5 }] } } } }), /layout\.blotters\.orders\.columns\.0\.width/],
      [JSON.stringify({ ...good, layout: { ...good.layout, panels: { ticketWidth: 9999, ordersShare: 0.5 } } }), /layout\.panels\.ticketWidth/],
      [JSON.stringify({ ...good, layout: { ...good.layout, blotters: { '../etc': ordersLayout(100) } } }), /blotter id/],
      [JSON.stringify({ ...good, extra: true }), /extra/],
    ];
    for (const [text, reason] of cases) {
      const result = importLayout(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(reason);
    }
    expect(ws().doc).toBe(current);
    expect(ws().applySeq).toBe(applySeq);
  });

  it('on a conflict lays what this window owns over the stored copy and saves again', async () => {
    // Another window (a popped-out orders blotter) saved its own blotter meanwhile.
    const other: Layout = { ...defaultWorkspace().current, blotters: { 'orders-k3': ordersLayout(99) } };
    stored = { workspace: { ...defaultWorkspace(), current: other }, revision: 4 };
    updateBlotterLayout('orders', ordersLayout(111));
    await saveWorkspaceNow();
    expect(stored.revision).toBe(5);
    expect(stored.workspace?.current.blotters.orders?.columns[0]?.width).toBe(111);
    expect(stored.workspace?.current.blotters['orders-k3']?.columns[0]?.width).toBe(99);
  });
});

describe('mergeOwned', () => {
  const base = defaultWorkspace();
  const withBlotters = (blotters: Record<string, ReturnType<typeof ordersLayout>>, extra: Partial<Workspace> = {}): Workspace => ({ ...base, ...extra, current: { ...base.current, blotters } });

  it('gives a popped-out window its own blotter only, the main window the rest', () => {
    const stored = withBlotters({ orders: ordersLayout(1 * 100), 'orders-a': ordersLayout(200), 'orders-b': ordersLayout(300) }, { activeName: 'Stored' });
    const mine = withBlotters({ orders: ordersLayout(111), 'orders-a': ordersLayout(222), 'orders-b': ordersLayout(333) }, { activeName: 'Mine' });
    const popout = mergeOwned(stored, mine, { kind: 'popout', panel: 'orders', id: 'a' });
    expect(Object.fromEntries(Object.entries(popout.current.blotters).map(([k, v]) => [k, v.columns[0]?.width]))).toEqual({ orders: 100, 'orders-a': 222, 'orders-b': 300 });
    expect(popout.activeName).toBe('Stored');
    const main = mergeOwned(stored, mine, { kind: 'main' });
    expect(Object.fromEntries(Object.entries(main.current.blotters).map(([k, v]) => [k, v.columns[0]?.width]))).toEqual({ orders: 111, 'orders-a': 200, 'orders-b': 300 });
    expect(main.activeName).toBe('Mine');
  });
});
