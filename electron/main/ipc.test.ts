import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { IpcMain, WebFrameMain } from 'electron';
import type { CommandName } from '../../shared/contract/commands';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import { ok } from '../../shared/contract/result';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import { silentLogger } from '../core/log/logger';
import { MAX_WIRE_MESSAGE_BYTES } from '../../shared/contract/wire';
import { DESK_IPC } from '../preload/ipc-channels';
import { serveDeskOverIpc } from './ipc';

const RENDERER = 'file:///app/out/renderer/index.html';
const snapshot: DeskStreamMessage = {
  kind: 'snapshot',
  orders: [],
  executions: [],
  sessions: [],
  alerts: [],
  reference: { brokers: [], accounts: [], instruments: [] },
};

class FakeDesk implements DeskApi {
  readonly calls: Array<{ command: CommandName; params: unknown }> = [];
  readonly listeners = new Set<(m: DeskStreamMessage) => void>();
  call(command: CommandName, params: unknown): Promise<Result<never>> {
    this.calls.push({ command, params });
    if (command === 'subscribeQuotes') return Promise.resolve(ok(params) as Result<never>);
    return Promise.resolve(ok({ orderId: 'O-1', clOrdId: 'C-1' }) as Result<never>);
  }
  subscribe(listener: (m: DeskStreamMessage) => void): () => void {
    this.listeners.add(listener);
    listener(snapshot);
    return () => this.listeners.delete(listener);
  }
}

class FakeIpcMain {
  readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
  readonly listeners = new Map<string, (...args: unknown[]) => void>();
  handle(channel: string, fn: (...args: unknown[]) => unknown) {
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, fn: (...args: unknown[]) => void) {
    this.listeners.set(channel, fn);
    return this;
  }
  removeListener(channel: string) {
    this.listeners.delete(channel);
    return this;
  }
}

class FakeWebContents extends EventEmitter {
  readonly sent: unknown[][] = [];
  destroyed = false;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

function setup() {
  const desk = new FakeDesk();
  const ipcMain = new FakeIpcMain();
  const ipc = serveDeskOverIpc({
    desk,
    ipcMain: ipcMain as unknown as IpcMain,
    isTrustedFrame: (frame: WebFrameMain) => frame.url === RENDERER && frame.parent === null,
    log: silentLogger,
  });
  const window = new FakeWebContents();
  const event = (url = RENDERER, sender = window) => ({ sender, senderFrame: { url, parent: null } });
  const call = (request: unknown, url?: string) => ipcMain.handlers.get(DESK_IPC.call)!(event(url), request) as Promise<Result<unknown>>;
  const send = (channel: string, arg: unknown, url?: string, sender?: FakeWebContents) => ipcMain.listeners.get(channel)!(event(url, sender), arg);
  return { desk, ipcMain, ipc, window, call, send };
}

describe('serveDeskOverIpc', () => {
  it('passes a valid command to the desk and returns its Result', async () => {
    const { desk, call } = setup();
    expect(await call({ command: 'cancelOrder', params: { orderId: 'O-1' } })).toEqual({ ok: true, value: { orderId: 'O-1', clOrdId: 'C-1' } });
    expect(desk.calls).toEqual([{ command: 'cancelOrder', params: { orderId: 'O-1' } }]);
  });

  it('answers an unknown command or bad params with INVALID_REQUEST, without calling the desk', async () => {
    const { desk, call } = setup();
    expect(await call({ command: 'launchMissiles', params: {} })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call({ command: 'cancelOrder', params: { orderId: '' } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fields: { orderId: expect.any(String) } } });
    expect(await call('cancelOrder')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call({ command: 'getInstrument', params: { instrumentId: 'aapl xnas' } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fields: { instrumentId: expect.any(String) } } });
    expect(await call({ command: 'previewOrder', params: { instrumentId: 'ESZ6.XCME', limitPrice: '-1' } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fields: { limitPrice: expect.any(String) } } });
    expect(desk.calls).toEqual([]);
  });

  it('refuses a request larger than a desk message may be, before validating it, without calling the desk', async () => {
    const { desk, call } = setup();
    const tooLarge = { code: 'INVALID_REQUEST', message: 'request too large: more than 1000000 bytes' };
    const big = 'x'.repeat(MAX_WIRE_MESSAGE_BYTES);
    expect(await call({ command: 'cancelOrder', params: { orderId: big } })).toEqual({ ok: false, error: tooLarge });
    // The same size made of many small parts, in UTF-8 (a 3-byte character counts 3), in a Map, in a typed array.
    expect(await call({ command: 'cancelOrders', params: { orderIds: Array.from({ length: 200_000 }, (_, i) => `O-${i}`) } })).toEqual({ ok: false, error: tooLarge });
    expect(await call({ command: 'cancelOrder', params: { orderId: '€'.repeat(400_000) } })).toEqual({ ok: false, error: tooLarge });
    expect(await call({ command: 'cancelOrder', params: new Map([['orderId', new Uint8Array(MAX_WIRE_MESSAGE_BYTES + 1)]]) })).toEqual({ ok: false, error: tooLarge });
    // Deep nesting and cycles are counted, not recursed into without end.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 400_000; i++) deep = [deep];
    expect(await call({ command: 'cancelOrder', params: deep })).toEqual({ ok: false, error: tooLarge });
    const cyclic: Record<string, unknown> = { orderId: 'O-1' };
    cyclic.self = cyclic;
    expect(await call({ command: 'cancelOrder', params: cyclic })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(desk.calls).toEqual([]);
    // Under the limit, a request is validated as usual.
    const justUnder = await call({ command: 'cancelOrder', params: { orderId: 'x'.repeat(MAX_WIRE_MESSAGE_BYTES - 200) } });
    expect(justUnder).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(justUnder.ok === false && justUnder.error.message).not.toContain('too large');
  });

  it('refuses a sender that is not our renderer', async () => {
    const { desk, call, send } = setup();
    await expect(call({ command: 'cancelOrder', params: { orderId: 'O-1' } }, 'https://evil.example/')).rejects.toThrow('refused');
    send(DESK_IPC.subscribe, 1, 'https://evil.example/');
    expect(desk.calls).toEqual([]);
    expect(desk.listeners.size).toBe(0);
  });

  it('streams the snapshot and deltas to the subscribing window, tagged with its subscription id', () => {
    const { desk, window, send } = setup();
    send(DESK_IPC.subscribe, 1);
    expect(window.sent).toEqual([[DESK_IPC.stream, 1, snapshot]]);
    const delta: DeskStreamMessage = { kind: 'orders', rows: [] };
    for (const l of desk.listeners) l(delta);
    expect(window.sent[1]).toEqual([DESK_IPC.stream, 1, delta]);
    send(DESK_IPC.unsubscribe, 1);
    expect(desk.listeners.size).toBe(0);
  });

  it('releases the quote subscriptions of a window that reloads', async () => {
    const { desk, call, window } = setup();
    await call({ command: 'subscribeQuotes', params: { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS'] } });
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    await Promise.resolve();
    expect(desk.calls.at(-1)).toEqual({ command: 'unsubscribeQuotes', params: { holder: 'ticket@w1' } });
  });

  it('ends the subscriptions of a window that reloads or is destroyed, and on dispose', () => {
    const { desk, ipcMain, ipc, window, send } = setup();
    send(DESK_IPC.subscribe, 1);
    send(DESK_IPC.subscribe, 2);
    expect(desk.listeners.size).toBe(2);
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect(desk.listeners.size).toBe(2);
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(desk.listeners.size).toBe(0);
    send(DESK_IPC.subscribe, 1);
    window.emit('destroyed');
    expect(desk.listeners.size).toBe(0);
    const other = new FakeWebContents();
    send(DESK_IPC.subscribe, 1, RENDERER, other);
    ipc.dispose();
    expect(desk.listeners.size).toBe(0);
    expect(ipcMain.handlers.size + ipcMain.listeners.size).toBe(0);
  });
});
