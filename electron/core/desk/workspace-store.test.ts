import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../shared/contract/workspace';
import { createLogger } from '../log/logger';
import { WorkspaceStore } from './workspace-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(): { store: WorkspaceStore; path: string; logs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'workspace-test-'));
  dirs.push(dir);
  const path = join(dir, 'sub', 'workspace.json');
  const logs: string[] = [];
  return { store: new WorkspaceStore(path, createLogger({ level: 'debug', write: (line) => logs.push(line) })), path, logs };
}

const workspace: Workspace = {
  version: 1,
  current: { blotters: { orders: { columns: [{ colId: 'orderId', width: 110, pinned: 'left' }], filters: {}, view: 'working' } }, panels: { ticketWidth: 280, ordersShare: 0.6 } },
  layouts: [],
  attention: { sounds: { fill: false, reject: true, cancel: false, alert: false }, notifications: { fill: false, reject: false, cancel: false, alert: false }, flash: true },
  windows: [],
};

describe('WorkspaceStore', () => {
  it('has nothing before the first save, then keeps what was saved, revision by revision', () => {
    const { store: s } = store();
    expect(s.read()).toEqual({ ok: true, value: { workspace: null, revision: 0 } });
    expect(s.save({ workspace, baseRevision: 0 })).toEqual({ ok: true, value: { revision: 1 } });
    expect(s.read()).toEqual({ ok: true, value: { workspace, revision: 1 } });
    const next = { ...workspace, activeName: 'Morning' };
    expect(s.save({ workspace: next, baseRevision: 1 })).toEqual({ ok: true, value: { revision: 2 } });
    expect(s.read()).toMatchObject({ ok: true, value: { workspace: { activeName: 'Morning' }, revision: 2 } });
  });

  it('refuses a save based on an older revision (another window saved meanwhile), changing nothing', () => {
    const { store: s } = store();
    s.save({ workspace, baseRevision: 0 });
    const result = s.save({ workspace: { ...workspace, activeName: 'Stale' }, baseRevision: 0 });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(s.read()).toMatchObject({ ok: true, value: { revision: 1, workspace: { version: 1 } } });
    expect((s.read() as { value: { workspace: Workspace } }).value.workspace.activeName).toBeUndefined();
  });

  it('does not use a damaged or foreign file (says why in the log), and the next save replaces it', () => {
    const { store: s, path, logs } = store();
    s.save({ workspace, baseRevision: 0 });
    writeFileSync(path, JSON.stringify({ revision: 3, workspace: { ...workspace, windows: [{ id: 'X!', panel: 'orders' }] } }));
    expect(s.read()).toEqual({ ok: true, value: { workspace: null, revision: 0 } });
    expect(logs.some((l) => l.includes('workspace file is not valid') && l.includes('windows.0.id'))).toBe(true);
    writeFileSync(path, '{ half a file');
    expect(s.read()).toEqual({ ok: true, value: { workspace: null, revision: 0 } });
    expect(s.save({ workspace, baseRevision: 0 })).toEqual({ ok: true, value: { revision: 1 } });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ revision: 1, workspace });
    // No temporary file left beside it.
    expect(readdirSync(join(path, '..'))).toEqual(['workspace.json']);
  });
});
