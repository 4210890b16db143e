import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../core/log/logger';

export interface SimulatorBroker {
  readonly name: string;
  readonly port: number;
}

export interface SimulatorProcessOptions {
  /** electron/simulator/main.ts (run through tsx). */
  readonly script: string;
  /** The simulator's configuration file (absolute, or relative to cwd). */
  readonly configPath: string;
  /**
   * Where the simulator keeps its state (its brokers' order books and FIX sessions): under the
   * desk's data folder, so a restarted desk finds its resting orders still at the broker.
   */
  readonly stateDir?: string;
  /** The folder node resolves `--import tsx` from: the repository root. */
  readonly cwd: string;
  /** The Node executable. Default: this process's (plain Node only; Electron passes a real node). */
  readonly nodePath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** How long to wait for the ready line. Default 30 s (the first tsx compile is slow). */
  readonly readyTimeoutMs?: number;
}

export interface SimulatorProcess {
  readonly pid: number;
  readonly brokers: readonly SimulatorBroker[];
  /** The market-data venue's port, when the simulator runs one. */
  readonly marketDataPort?: number;
  /** Resolves with the exit code (or signal) once the child has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs` (default 5 s). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the broker simulator as its own process (`node --import tsx <script> --config <path>
 * --exit-with-parent`) and resolves when it prints `{"event":"ready","brokers":[...]}` on stdout.
 * Its other stdout lines and its stderr go to this process's stderr, keeping our stdout for the
 * host's own ready lines.
 */
export function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const { log } = options;
  const child = spawn(
    options.nodePath ?? process.execPath,
    ['--import', 'tsx', options.script, '--config', options.configPath, ...(options.stateDir !== undefined ? ['--state-dir', options.stateDir] : []), '--exit-with-parent'],
    { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  // The simulator exits when its stdin closes (--exit-with-parent); an EPIPE here only means it is gone.
  child.stdin!.on('error', () => {});
  let stopRequested = false;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
    child.once('error', () => resolve(1));
  });

  return new Promise<SimulatorProcess>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      fail(new Error(`the broker simulator did not report ready within ${(options.readyTimeoutMs ?? 30_000) / 1000} s`));
      child.kill('SIGKILL');
    }, options.readyTimeoutMs ?? 30_000);
    const fail = (e: Error) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      reject(e);
    };
    child.once('error', (e) => fail(new Error(`cannot start the broker simulator: ${e.message}`)));
    void exited.then((how) => {
      if (!ready) fail(new Error(`the broker simulator exited (${how}) before it was ready; see its output above`));
      else if (stopRequested) log.info('broker simulator stopped', { exit: how });
      else log.warn('broker simulator exited unexpectedly', { exit: how });
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const brokers = ready ? undefined : readyBrokers(line);
      const marketDataPort = brokers === undefined ? undefined : (JSON.parse(line) as { marketDataPort?: unknown }).marketDataPort;
      if (brokers === undefined) {
        process.stderr.write(line + '\n');
        return;
      }
      ready = true;
      clearTimeout(timer);
      log.info('broker simulator ready', { pid: child.pid, brokers });
      resolve({
        pid: child.pid!,
        brokers,
        ...(typeof marketDataPort === 'number' && { marketDataPort }),
        exited,
        stop: (graceMs) => {
          stopRequested = true;
          return stopChild(child, exited, graceMs ?? 5_000);
        },
      });
    });
  });
}

function readyBrokers(line: string): SimulatorBroker[] | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const event = JSON.parse(line) as { event?: unknown; brokers?: unknown };
    if (event.event !== 'ready' || !Array.isArray(event.brokers)) return undefined;
    return event.brokers.filter(
      (b): b is SimulatorBroker => typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.port === 'number',
    );
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
