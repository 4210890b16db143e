import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bounds, TrackedWindow } from './window-state';
import { onScreen, popoutRequest, WindowState } from './window-state';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function statePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'window-state-test-'));
  dirs.push(dir);
  return join(dir, 'window-state.json');
}

/** A window that moves when told and fires its events. */
class FakeWindow implements TrackedWindow {
  private readonly listeners = new Map<string, Array<() => void>>();
  maximized = false;
  constructor(public bounds: Bounds) {}
  getNormalBounds = () => this.bounds;
  isMaximized = () => this.maximized;
  on(event: string, listener: () => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  fire(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

const screen: Bounds = { x: 0, y: 0, width: 1920, height: 1040 };

describe('WindowState', () => {
  it('remembers the main window and the popped-out windows open when the desk quits, and only those', () => {
    const path = statePath();
    const state = new WindowState(path);
    const main = new FakeWindow({ x: 10, y: 20, width: 1500, height: 900 });
    state.trackMain(main);
    const orders = new FakeWindow({ x: 1920, y: 0, width: 1200, height: 800 });
    const ticket = new FakeWindow({ x: 300, y: 300, width: 320, height: 600 });
    state.trackPopout(orders, 'a1', 'orders');
    state.trackPopout(ticket, 'b2', 'ticket');
    orders.bounds = { x: 1950, y: 10, width: 1100, height: 760 };
    orders.fire('move');
    ticket.fire('closed'); // closed by the person while the desk runs: forgotten
    main.maximized = true;
    main.fire('maximize');
    main.fire('close'); // the desk quits: the popped-out window closing now stays remembered
    orders.fire('closed');

    const again = new WindowState(path);
    const second: Bounds = { x: 1920, y: 0, width: 1920, height: 1040 };
    expect(again.mainWindow([screen])).toEqual({ bounds: { x: 10, y: 20, width: 1500, height: 900 }, maximized: true });
    expect(again.popouts([screen, second])).toEqual([{ id: 'a1', panel: 'orders', bounds: { x: 1950, y: 10, width: 1100, height: 760 } }]);
    // Its screen gone: brought back onto the first one.
    expect(again.popouts([screen])[0]?.bounds).toMatchObject({ x: 40, y: 40 });
  });

  it('ignores a damaged or foreign file, and a place off every screen', () => {
    const path = statePath();
    writeFileSync(path, '{ not json');
    expect(new WindowState(path).popouts([screen])).toEqual([]);
    writeFileSync(path, JSON.stringify({ main: { bounds: { x: 0, y: 0, width: 10, height: 10 }, maximized: false }, popouts: [] }));
    expect(new WindowState(path).mainWindow([screen])).toBeUndefined();
    writeFileSync(path, JSON.stringify({ main: { bounds: { x: 5000, y: 5000, width: 800, height: 600 }, maximized: false }, popouts: [] }));
    expect(new WindowState(path).mainWindow([screen])).toBeUndefined();
    expect(onScreen({ x: 1880, y: 10, width: 800, height: 600 }, [screen])).toBe(false);
    expect(onScreen({ x: 1800, y: 10, width: 800, height: 600 }, [screen])).toBe(true);
  });
});

describe('popoutRequest', () => {
  const index = '/opt/meridian/resources/app/out/renderer/index.html';
  it('accepts our own page with a panel and a window id, and nothing else', () => {
    expect(popoutRequest('file:///opt/meridian/resources/app/out/renderer/index.html?panel=orders&window=k3x9', index)).toEqual({ panel: 'orders', id: 'k3x9' });
    expect(popoutRequest('file:///opt/meridian/resources/app/out/renderer/index.html?panel=ticket&window=a', index)).toEqual({ panel: 'ticket', id: 'a' });
    expect(popoutRequest('file:///etc/passwd?panel=orders&window=k3x9', index)).toBeUndefined();
    expect(popoutRequest('https://example.com/index.html?panel=orders&window=k3x9', index)).toBeUndefined();
    expect(popoutRequest('file:///opt/meridian/resources/app/out/renderer/index.html?panel=shell&window=k3x9', index)).toBeUndefined();
    expect(popoutRequest('file:///opt/meridian/resources/app/out/renderer/index.html?panel=orders&window=../x', index)).toBeUndefined();
    expect(popoutRequest('http://localhost:5173/?panel=executions&window=z9', index, 'http://localhost:5173/')).toEqual({ panel: 'executions', id: 'z9' });
    expect(popoutRequest('not a url', index)).toBeUndefined();
  });
});
