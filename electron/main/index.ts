/**
 * The Electron main process: creates the Desk (the same core as the headless host), serves it to the
 * window over IPC (./ipc.ts) and stays thin: no business logic here.
 *
 * Environment: MERIDIAN_CONFIG (desk configuration file), MERIDIAN_NO_SIM=1 or --no-sim (do not start
 * the simulator, development only), MERIDIAN_SIM_CONFIG. Switches: --new-journal (set a damaged or
 * missing journal aside and start a new one), --restore-from <backup> (restore a journal backup and
 * quit). DevTools only when not packaged. Exit codes as the headless host's (serve-main.ts).
 */
import { app, dialog, ipcMain, screen } from 'electron';
import type { BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadDeskConfig } from '../core/config/desk-config';
import { backupPolicy } from '../core/data-folder/backup-policy';
import { DataFolderInUseError } from '../core/data-folder/data-folder-lock';
import { backupFailed, JournalBackups } from '../core/data-folder/journal-backups';
import type { DataFolder, RecoveryCommands } from '../core/data-folder/open-data-folder';
import { DataFolderRefusal, EXIT_DATA_FOLDER_IN_USE, EXIT_JOURNAL_REFUSED, openDataFolder, shellWord } from '../core/data-folder/open-data-folder';
import { usePrivateUmask } from '../core/files/private-files';
import { RestoreError, restoreJournal, restoreSummary } from '../core/data-folder/restore-journal';
import { createDesk } from '../core/desk/create-desk';
import { loadDeskInstruments } from '../core/desk/desk-instruments';
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
import { systemClock } from '../core/time/clock';

// Every file this process creates (the journal, backups, Chromium's own state) is this user's alone.
usePrivateUmask();

const SHUTDOWN_TIMEOUT_MS = 10_000;
const outDir = dirname(fileURLToPath(import.meta.url)); // out/main
const log = createLogger({ component: 'main' });

const renderer: RendererLocation = {
  indexFile: join(outDir, '..', 'renderer', 'index.html'),
  ...(!app.isPackaged && process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {}),
};

interface Running {
  folder?: DataFolder;
  backups?: JournalBackups;
  simulator?: SimulatorProcess;
  desk?: Desk;
  deskStarted?: boolean;
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
  return shippedConfigFile('desk.json');
}

/** A file of the config folder shipped with the app. */
function shippedConfigFile(name: string): string {
  return app.isPackaged ? join(process.resourcesPath, 'config', name) : join(app.getAppPath(), 'config', name);
}

function dataDir(): string {
  return join(app.getPath('userData'), 'data');
}

/** The value of a switch given as `--name value` or `--name=value`. */
function switchValue(name: string): string | undefined {
  const at = process.argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const arg = process.argv[at]!;
  return arg.includes('=') ? arg.slice(name.length + 1) : process.argv[at + 1];
}

/** How a person runs the ways out of a refused start with this app. */
function recoveryCommands(): RecoveryCommands {
  const run = app.isPackaged ? shellWord(process.execPath) : 'npm start --';
  return { restore: (backup) => `${run} --restore-from ${shellWord(backup)}`, newJournal: `${run} --new-journal` };
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
  // The instrument master, validated whole before anything starts (a bad row: a config error naming its line and field).
  const instruments = loadDeskInstruments(config, shippedConfigFile('instruments.csv'));
  log.info('desk configuration', { path: configPath, instruments: instruments.all().length });
  // Before anything starts: the folder is this desk's alone (its lock), and its journal is whole.
  const backups = backupPolicy(config.backups, dataDir());
  const folder = openDataFolder({
    dataDir: dataDir(),
    host: 'electron',
    clock: systemClock,
    log: log.child('data'),
    newJournal: process.argv.includes('--new-journal'),
    // Its whole check runs while the desk restores; the desk waits for it before it writes (journalChecked).
    checkBesideRestore: true,
    ...(backups !== undefined && { backupDir: backups.dir }),
    commands: recoveryCommands(),
  });
  running.folder = folder;

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

  const desk = createDesk({ config, instruments, dataDir: folder.dataDir, log: log.child('desk'), checkJournalInBackground: !folder.checkedWhole, journalChecked: folder.journalChecked });
  running.desk = desk;
  running.ipc = serveDeskOverIpc({ desk, ipcMain, isTrustedFrame: trustedFrameCheck(renderer), log: log.child('ipc') });
  await desk.start();
  running.deskStarted = true;
  folder.journalStarted();
  if (backups !== undefined) {
    running.backups = new JournalBackups({ journalPath: folder.journalPath, policy: backups, clock: systemClock, log: log.child('backups'), onBackup: () => folder.backupMade(backups.dir), onFailure: (error) => desk.raiseAlert(backupFailed(error)) });
    running.backups.start();
  }
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
    // Never in the packaged app: DevTools in the window can call the desk like the page can.
    devTools: !app.isPackaged,
    ...(icon !== undefined && existsSync(icon) ? { icon } : {}),
  };
}

function openWindow(): void {
  const last = running.windowState?.mainWindow(screens());
  const window = createDeskWindow({ ...windowBasics(), ...(last !== undefined && { bounds: last.bounds, maximized: last.maximized }) });
  running.window = window;
  running.windowState?.trackMain(window);
  // Closing the desk's window closes the desk; its popped-out windows close with it and are
  // remembered for next time (trackMain marks the state as quitting first).
  window.on('close', () => {
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

/** IPC first (no new commands), backups, the desk (journal closed), the data folder (marker, lock), then the simulator. */
async function shutdown(): Promise<void> {
  running.ipc?.dispose();
  let deskStoppedCleanly = false;
  await stopInOrder(
    [
      ['backups', running.backups && (() => running.backups!.stop())],
      ['desk', running.desk && (() => running.desk!.stop().then(() => void (deskStoppedCleanly = running.deskStarted === true)))],
      ['data folder', running.folder && (async () => running.folder!.close({ clean: deskStoppedCleanly }))],
      ['simulator', running.simulator && (() => running.simulator!.stop())],
    ],
    log,
  );
}

/** --restore-from <backup>: restores the journal backup into this app's data folder, says what happened, and quits. */
function restoreAndQuit(from: string): void {
  let code = 0;
  let message: string;
  try {
    message = restoreSummary(from, restoreJournal({ from, dataDir: dataDir(), clock: systemClock }));
  } catch (e) {
    code = e instanceof DataFolderInUseError ? EXIT_DATA_FOLDER_IN_USE : e instanceof RestoreError ? EXIT_JOURNAL_REFUSED : 1;
    message = `Not restored: ${e instanceof Error ? e.message : String(e)}`;
  }
  log.info('restore', { from, code, message });
  if (code === 0) dialog.showMessageBoxSync({ type: 'info', title: 'Meridian Desk', message });
  else dialog.showErrorBox('Meridian Desk: restore', message);
  app.exit(code);
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

const restoreFrom = switchValue('--restore-from');
if (restoreFrom !== undefined) {
  void app.whenReady().then(() => restoreAndQuit(restoreFrom));
} else if (!app.requestSingleInstanceLock()) {
  // Another window already owns this desk's journal.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (running.window === undefined) return;
    if (running.window.isMinimized()) running.window.restore();
    running.window.focus();
  });
  app.on('before-quit', (event) => {
    // Quitting (menu, Cmd+Q, the desk's window closed): the windows open now are the ones to reopen.
    running.windowState?.quit();
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
      const refusal = e instanceof DataFolderRefusal ? e : running.folder?.refusalFor(e);
      const message = refusal?.message ?? (e instanceof Error ? e.message : String(e));
      if (refusal === undefined) log.error('the desk failed to start', { error: e instanceof Error ? (e.stack ?? e.message) : message });
      else log.error('the desk will not start', { reason: message });
      // No clean stop of a desk on a damaged journal (it would write a snapshot into it): as after a crash.
      if (refusal !== undefined) running.desk = undefined;
      dialog.showErrorBox('Meridian Desk cannot start', message);
      stopThenQuit(refusal?.exitCode ?? (e instanceof ConfigError ? 2 : 1));
    });
}
