/**
 * The Electron main process: creates the Desk (the same core as the headless host), serves it to the
 * window over IPC (./ipc.ts) and stays thin: no business logic here.
 *
 * Environment: MERIDIAN_CONFIG (desk configuration file), MERIDIAN_NO_SIM=1 or --no-sim (do not start
 * the simulator, development only), MERIDIAN_SIM_CONFIG, MERIDIAN_DEVTOOLS=1 (devtools when packaged).
 */
import { app, dialog, ipcMain } from 'electron';
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
}
const running: Running = {};
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
  hardenSessions(renderer);
  const configPath = deskConfigPath();
  const config = loadDeskConfig(configPath);
  log.info('desk configuration', { path: configPath });

  if (simulatorWanted()) {
    // Development only: the simulator runs from source through tsx, with the Node that ran npm.
    const root = app.getAppPath();
    running.simulator = await startSimulatorProcess({
      script: join(root, 'electron', 'simulator', 'main.ts'),
      configPath: process.env.MERIDIAN_SIM_CONFIG ?? join(root, 'config', 'simulator.json'),
      // The bundled broker keeps its orders beside the desk's journal: a restart finds them still there.
      stateDir: join(app.getPath('userData'), 'data', 'simulator'),
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
}

function openWindow(): void {
  const icon = app.isPackaged ? undefined : join(app.getAppPath(), 'assets', 'icon.png');
  running.window = createDeskWindow({
    renderer,
    preload: join(outDir, '..', 'preload', 'index.cjs'),
    devTools: !app.isPackaged || process.env.MERIDIAN_DEVTOOLS === '1',
    ...(icon !== undefined && existsSync(icon) ? { icon } : {}),
  });
  running.window.on('closed', () => (running.window = undefined));
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
