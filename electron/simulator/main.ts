/**
 * The broker simulator process: `tsx electron/simulator/main.ts --config <path> [--state-dir <path>] [--exit-with-parent]`.
 * `--state-dir` (else the config's `stateDir`): where it keeps its order books and sessions, so a
 * restarted simulator is the same broker (without either, all in memory).
 * stdout carries exactly one line, {"event":"ready",...}, once every acceptor listens; logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../core/log/logger';
import type { LogLevel } from '../core/log/logger';
import { ConfigError } from '../core/config/json-config';
import { usePrivateUmask } from '../core/files/private-files';
import { loadSimulatorConfig } from './simulator-config';
import { startSimulator } from './simulator';

const EXIT_BAD_CONFIG = 2;

async function main(): Promise<void> {
  // Its state (orders, sequence numbers, messages) is readable by this user only.
  usePrivateUmask();
  let args: { config: string; exitWithParent: boolean; logLevel: LogLevel; stateDir: string | undefined };
  try {
    const { values } = parseArgs({
      options: {
        config: { type: 'string', default: 'config/simulator.json' },
        'exit-with-parent': { type: 'boolean', default: false },
        'state-dir': { type: 'string' },
        'log-level': { type: 'string', default: process.env.SIM_LOG_LEVEL ?? 'info' },
      },
      strict: true,
    });
    const logLevel = values['log-level'];
    if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new Error(`--log-level must be debug, info, warn or error, not '${logLevel}'`);
    const stateDir = values['state-dir'];
    if (stateDir === '') throw new Error('--state-dir must name a folder');
    args = { config: values.config, exitWithParent: values['exit-with-parent'], logLevel: logLevel as LogLevel, stateDir };
  } catch (e) {
    process.stderr.write(`simulator: ${(e as Error).message}\nusage: main.ts --config <path> [--state-dir <path>] [--exit-with-parent] [--log-level info]\n`);
    process.exit(EXIT_BAD_CONFIG);
  }

  const log = createLogger({ level: args.logLevel, component: 'simulator' });
  let config;
  try {
    config = loadSimulatorConfig(args.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`simulator: ${e.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw e;
  }

  if (args.stateDir !== undefined) config = { ...config, stateDir: args.stateDir };
  let simulator;
  try {
    simulator = await startSimulator(config, log);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`simulator: ${e.message}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { why });
    const force = setTimeout(() => process.exit(0), 3_000);
    force.unref();
    simulator.stop().then(
      () => process.exit(0),
      (e: Error) => {
        log.error('stop failed', { error: e.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (args.exitWithParent) {
    // The parent holds our stdin open; when it dies, stdin ends.
    process.stdin.on('end', () => shutdown('parent exited (stdin closed)'));
    process.stdin.on('error', () => shutdown('parent exited (stdin error)'));
    process.stdin.resume();
  }
  const ready = {
    event: 'ready',
    brokers: simulator.brokers.map((b) => ({ name: b.name, port: b.port, ...(b.dropCopyPort !== undefined && { dropCopyPort: b.dropCopyPort }) })),
    ...(simulator.controlPort !== undefined && { controlPort: simulator.controlPort }),
    ...(simulator.marketDataPort !== undefined && { marketDataPort: simulator.marketDataPort }),
  };
  process.stdout.write(JSON.stringify(ready) + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`simulator: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
