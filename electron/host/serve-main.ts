/**
 * `npm run serve`: the desk without Electron. Starts the broker simulator (unless --no-sim), the Desk,
 * and the headless host on 127.0.0.1, then prints the URL to open (with its token) and a JSON ready line:
 *   Meridian Desk ready: http://127.0.0.1:7400/?token=…
 *   {"event":"ready","url":"http://127.0.0.1:7400/?token=…","port":7400,"pid":1234}
 * stdout carries only those two lines; logs are JSON lines on stderr. Exit codes: 0 after SIGINT/SIGTERM,
 * 1 when startup fails, 2 for bad options or configuration, 3 when the journal is damaged or missing
 * (EXIT_JOURNAL_REFUSED), 4 when another desk runs on the data folder (EXIT_DATA_FOLDER_IN_USE).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadDeskConfig } from '../core/config/desk-config';
import type { DeskConfig } from '../core/config/desk-config';
import { backupPolicy } from '../core/data-folder/backup-policy';
import { backupFailed, JournalBackups } from '../core/data-folder/journal-backups';
import type { DataFolder, RecoveryCommands } from '../core/data-folder/open-data-folder';
import { DataFolderRefusal, EXIT_JOURNAL_REFUSED, openDataFolder, shellWord } from '../core/data-folder/open-data-folder';
import { usePrivateUmask } from '../core/files/private-files';
import { createDesk } from '../core/desk/create-desk';
import { loadDeskInstruments } from '../core/desk/desk-instruments';
import type { InstrumentMaster } from '../core/instruments/instrument-master';
import type { Desk } from '../core/desk/desk';
import { createLogger } from '../core/log/logger';
import type { LogLevel, Logger } from '../core/log/logger';
import { HeldLogLines } from './held-log-lines';
import { startHeadlessHost } from './host';
import type { HeadlessHost } from './host';
import { SERVE_USAGE, UsageError, parseServeOptions } from './serve-options';
import type { ServeOptions } from './serve-options';
import { startSimulatorProcess } from './simulator-process';
import type { SimulatorBroker, SimulatorProcess } from './simulator-process';
import { stopInOrder } from '../core/lifecycle/stop-in-order';
import { startingAt, systemClock } from '../core/time/clock';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIMULATOR_SCRIPT = join(REPO_ROOT, 'electron', 'simulator', 'main.ts');
const SHUTDOWN_TIMEOUT_MS = 15_000;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const envLevel = process.env.MERIDIAN_LOG_LEVEL as LogLevel | undefined;
// Held while the journal's check runs beside the desk's restore: a refusal is its message alone.
const logLines = new HeldLogLines((line) => process.stderr.write(line + '\n'));
const log = createLogger({ component: 'serve', level: envLevel !== undefined && LOG_LEVELS.includes(envLevel) ? envLevel : 'info', write: logLines.write });

interface Running {
  folder?: DataFolder;
  simulator?: SimulatorProcess;
  desk?: Desk;
  deskStarted?: boolean;
  backups?: JournalBackups;
  host?: HeadlessHost;
}
const running: Running = {};
let stopping: Promise<void> | undefined;

async function main(): Promise<void> {
  // Every file this process and its children create is readable by this user only.
  usePrivateUmask();
  let options: ServeOptions | 'help';
  try {
    options = parseServeOptions(process.argv.slice(2), process.env, process.cwd());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${SERVE_USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${SERVE_USAGE}\n`);
    process.exit(0);
  }

  let config: DeskConfig;
  let instruments: InstrumentMaster;
  try {
    config = loadDeskConfig(options.configPath);
    // The instrument master, validated whole before anything starts: a bad row names its line and field.
    instruments = loadDeskInstruments(config, join(REPO_ROOT, 'config', 'instruments.csv'));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (options.simulator && !existsSync(options.simConfigPath)) {
    process.stderr.write(`simulator configuration ${options.simConfigPath} not found (give --sim-config, or --no-sim to use real brokers)\n`);
    process.exit(2);
  }
  // Before anything starts: the folder is ours alone (its lock), and its journal is whole.
  const backups = backupPolicy(config.backups, options.dataDir, options.backups);
  try {
    running.folder = openDataFolder({
      dataDir: options.dataDir,
      host: 'headless',
      clock: systemClock,
      log: log.child('data'),
      newJournal: options.newJournal,
      // Its whole check runs while the desk restores; the desk waits for it before it writes (journalChecked).
      checkBesideRestore: true,
      ...(backups !== undefined && { backupDir: backups.dir }),
      commands: serveCommands(options.dataDir),
    });
  } catch (e) {
    if (!(e instanceof DataFolderRefusal)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(e.exitCode);
  }
  const folder = running.folder;
  folder.journalChecked.then(
    () => logLines.release(),
    () => logLines.drop(),
  );

  if (!existsSync(join(options.staticDir, 'index.html'))) {
    log.warn('no built renderer: the page will be missing (npm run build:renderer builds it)', { staticDir: options.staticDir });
  }

  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));

  if (options.simulator) {
    running.simulator = await startSimulatorProcess({
      script: SIMULATOR_SCRIPT,
      configPath: options.simConfigPath,
      // The bundled broker keeps its orders beside the desk's journal: a restart finds them still there.
      stateDir: join(options.dataDir, 'simulator'),
      cwd: REPO_ROOT,
      log: log.child('simulator'),
    });
    warnAboutUnservedBrokers(config, running.simulator.brokers, log);
    const md = config.marketData;
    if (md !== undefined && (md.host === '127.0.0.1' || md.host === 'localhost') && running.simulator.marketDataPort !== md.port) {
      log.warn('no simulated market-data venue listens where the market data is configured', { port: md.port });
    }
  }
  if (stopping !== undefined) return;

  if (options.startTime !== undefined) log.warn('the desk runs on a moved clock', { startTime: options.startTime.toISOString() });
  const desk = createDesk({
    config,
    instruments,
    dataDir: options.dataDir,
    log: log.child('desk'),
    checkJournalInBackground: !folder.checkedWhole,
    journalChecked: folder.journalChecked,
    ...(options.startTime !== undefined && { clock: startingAt(options.startTime) }),
  });
  running.desk = desk;
  await desk.start();
  running.deskStarted = true;
  folder.journalStarted();
  if (backups !== undefined) {
    running.backups = new JournalBackups({ journalPath: folder.journalPath, policy: backups, clock: systemClock, log: log.child('backups'), onBackup: () => folder.backupMade(backups.dir), onFailure: (error) => desk.raiseAlert(backupFailed(error)) });
    running.backups.start();
  }
  if (stopping !== undefined) return;

  const host = await startHeadlessHost({
    desk,
    staticDir: options.staticDir,
    port: options.port,
    ...(options.token !== undefined ? { token: options.token } : {}),
    extraOrigins: options.extraOrigins,
    log: log.child('host'),
  });
  running.host = host;
  if (stopping !== undefined) return;

  // The one place the token is printed: whoever started the desk needs it to open the page.
  const openUrl = `${host.url}?token=${host.token}`;
  process.stdout.write(`Meridian Desk ready: ${openUrl}\n`);
  process.stdout.write(
    JSON.stringify({ event: 'ready', url: openUrl, port: host.port, pid: process.pid, simulatorPid: running.simulator?.pid }) + '\n',
  );
}

/** What to run to restore a backup or start a new journal, as a person types it here. */
function serveCommands(dataDir: string): RecoveryCommands {
  return {
    restore: (backup) => `npm run restore -- --from ${shellWord(backup)} --data-dir ${shellWord(dataDir)}`,
    newJournal: `npm run serve -- --new-journal --data-dir ${shellWord(dataDir)}`,
  };
}

/** Host first (no new commands), backups, the desk (journal closed), the data folder (marker, lock), then the simulator. Idempotent. */
function shutdown(code: number, reason: string): Promise<void> {
  stopping ??= (async () => {
    if (code !== EXIT_JOURNAL_REFUSED) logLines.release();
    log.info('shutting down', { reason });
    let deskStoppedCleanly = false;
    setTimeout(() => {
      log.error('shutdown took too long; exiting anyway', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(code === 0 ? 1 : code);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    const stopped = await stopInOrder(
      [
        ['host', running.host?.close],
        ['backups', running.backups === undefined ? undefined : () => running.backups!.stop()],
        ['desk', running.desk === undefined ? undefined : () => running.desk!.stop().then(() => void (deskStoppedCleanly = running.deskStarted === true))],
        ['data folder', running.folder === undefined ? undefined : async () => running.folder!.close({ clean: deskStoppedCleanly })],
        ['simulator', running.simulator === undefined ? undefined : () => running.simulator!.stop()],
      ],
      log,
    );
    if (!stopped && code === 0) code = 1;
    process.exit(code);
  })();
  return stopping;
}

function warnAboutUnservedBrokers(config: DeskConfig, served: readonly SimulatorBroker[], logger: Logger): void {
  const ports = new Set(served.map((b) => b.port));
  for (const b of config.brokers) {
    const local = b.host === '127.0.0.1' || b.host === 'localhost';
    if (local && !ports.has(b.port)) {
      logger.warn('no simulated broker listens where this broker is configured', { broker: b.name, port: b.port });
    }
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    void shutdown(2, 'configuration error');
    return;
  }
  const refusal = running.folder?.refusalFor(e);
  if (refusal !== undefined) {
    process.stderr.write(`${refusal.message}\n`);
    // No clean stop of a desk on a damaged journal (it would write a snapshot into it): the process
    // ends as after a crash, which loses nothing that was committed.
    running.desk = undefined;
    void shutdown(refusal.exitCode, 'journal damaged');
    return;
  }
  log.error('the desk failed to start', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  void shutdown(1, 'startup failed');
});
