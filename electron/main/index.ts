/**
 * The Electron main process: creates the Desk (the same core as the headless host), serves it to the
 * window over IPC (./ipc.ts) and stays thin: no business logic here.
 *
 * Environment: MERIDIAN_CONFIG (desk configuration file), MERIDIAN_NO_SIM=1 or --no-sim (do not start
 * the simulator, development only), MERIDIAN_SIM_CONFIG, MERIDIAN_DEVTOOLS=1 (devtools when packaged).
 */
import { app, dialog, ipcMain, screen } from 'electron';
import type { BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import { createLogger } from '../core/log/logger';
import { startSimulatorProcess } from '../host/simulator-process';
import type { SimulatorProcess } from '../host/simulator-process';
import { serveDeskOverIpc } from './ipc';
import type { DeskIpc } from './ipc';
import { createDeskWindow, hardenSessions, trustedFrameCheck } from './window';
import type { RendererLocation } from './window';
import { popoutRequest, WindowState } from './window-state';
import type { PopoutPanel } from '../../shared/contract/workspace';
import { stopInOrder } from '../core/lifecycle/stop-in-order';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const outDir = dirname(fileURLToPath(import.meta.url)); // out/main
const log = createLogger({ component: 'main' });

const renderer: RendererLocation = {
  indexFile: join(outDir, '..', 'renderer', 'index.html'),
  ...(!app.isPackaged && process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {}),
};

interface Running {
  simulator?: SimulatorProcess;
  desk?: Desk;
  ipc?: DeskIpc;
  window?: BrowserWindow;
  windowState?: WindowState;
  popouts: Map<string, BrowserWindow>;
}
const running: Running = { popouts: new Map() };
let shutdownState: 'running' | 'stopping' | 'stopped' = 'running';

/** MERIDIAN_CONFIG, else a copy the user keeps in userData, else the one shipped with the app. */
function deskConfigPath(): string {
  if (process.env.MERIDIAN_CONFIG) return process.env.MERIDIAN_CONFIG;
  const own = join(app.getPath('userData'), 'desk.json');
  if (existsSync(own)) return own;
  return app.isPackaged ? join(process.resourcesPath, 'config', 'desk.json') : join(app.getAppPath(), 'config', 'desk.json');
}

function simulatorWanted(): boolean {
  return !app.isPackaged && process.env.MERIDIAN_NO_SIM !== '1' && !process.argv.includes('--no-sim');
}

async function start(): Promise<void> {
  running.windowState = new WindowState(join(app.getPath('userData'), 'window-state.json'), (message, fields) => log.warn(message, fields));
  hardenSessions(renderer, (url) => {
    const request = popoutRequest(url, renderer.indexFile, renderer.devServerUrl);
    if (request !== undefined) openPopout(request.panel, request.id);
  });
  const configPath = deskConfigPath();
  const config = loadDeskConfig(configPath);
  log.info('desk configuration', { path: configPath });

  if (simulatorWanted()) {
    // Development only: the simulator runs from source through tsx, with the Node that ran npm.
    const root = app.getAppPath();
    running.simulator = await startSimulatorProcess({
      script: join(root, 'electron', 'simulator', 'main.ts'),
      configPath: process.env.MERIDIAN_SIM_CONFIG ?? join(root, 'config', 'simulator.json'),
      cwd: root,
      nodePath: process.env.npm_node_execpath ?? 'node',
      log: log.child('simulator'),
    });
  }

  const desk = createDesk({ config, dataDir: join(app.getPath('userData'), 'data'), log: log.child('desk') });
  running.desk = desk;
  running.ipc = serveDeskOverIpc({ desk, ipcMain, isTrustedFrame: trustedFrameCheck(renderer), log: log.child('ipc') });
  await desk.start();
  openWindow();
  // The windows popped out when the desk last quit, where they were.
  for (const popout of running.windowState?.popouts(screens()) ?? []) openPopout(popout.panel, popout.id, popout.bounds);
}

function screens() {
  return screen.getAllDisplays().map((d) => d.workArea);
}

function windowBasics() {
  const icon = app.isPackaged ? undefined : join(app.getAppPath(), 'assets', 'icon.png');
  return {
    renderer,
    preload: join(outDir, '..', 'preload', 'index.cjs'),
    devTools: !app.isPackaged || process.env.MERIDIAN_DEVTOOLS === '1',
    ...(icon !== undefined && existsSync(icon) ? { icon } : {}),
  };
}

function openWindow(): void {
  const last = running.windowState?.mainWindow(screens());
  const window = createDeskWindow({ ...windowBasics(), ...(last !== undefined && { bounds: last.bounds, maximized: last.maximized }) });
  running.window = window;
  running.windowState?.trackMain(window);
  // Closing the desk's window closes the desk (its popped-out windows are remembered for next time).
  window.on('close', () => {
    running.windowState?.quit();
    for (const popout of running.popouts.values()) if (!popout.isDestroyed()) popout.close();
  });
  window.on('closed', () => (running.window = undefined));
}

/** A panel in a window of its own, on the same contract (its page is ours: the IPC trusts it like the main window's). */
function openPopout(panel: PopoutPanel, id: string, bounds?: { x: number; y: number; width: number; height: number }): void {
  const existing = running.popouts.get(id);
  if (existing !== undefined && !existing.isDestroyed()) {
    existing.focus();
    return;
  }
  const window = createDeskWindow({ ...windowBasics(), popout: { panel, id }, ...(bounds !== undefined && { bounds }) });
  running.popouts.set(id, window);
  running.windowState?.trackPopout(window, id, panel);
  window.on('closed', () => running.popouts.delete(id));
}

/** IPC first (no new commands), then the desk (journal closed), then the simulator. */
async function shutdown(): Promise<void> {
  running.ipc?.dispose();
  await stopInOrder(
    [
      ['desk', running.desk && (() => running.desk!.stop())],
      ['simulator', running.simulator && (() => running.simulator!.stop())],
    ],
    log,
  );
}

function stopThenQuit(exitCode?: number): void {
  if (shutdownState !== 'running') return;
  shutdownState = 'stopping';
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
  void Promise.race([shutdown(), timeout]).finally(() => {
    shutdownState = 'stopped';
    if (exitCode === undefined) app.quit();
    else app.exit(exitCode);
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another window already owns this desk's journal.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (running.window === undefined) return;
    if (running.window.isMinimized()) running.window.restore();
    running.window.focus();
  });
  app.on('before-quit', (event) => {
    if (shutdownState === 'stopped') return;
    event.preventDefault();
    stopThenQuit();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (running.window === undefined && running.desk !== undefined && shutdownState === 'running') openWindow();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      log.error('the desk failed to start', { error: e instanceof Error ? (e.stack ?? e.message) : message });
      dialog.showErrorBox('Meridian Desk cannot start', message);
      stopThenQuit(e instanceof ConfigError ? 2 : 1);
    });
}
