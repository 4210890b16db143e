import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReceivedClOrdId } from './clordid-journal';
import { readClOrdIdJournal } from './clordid-journal';
import type { SimulatorConfigInput } from './simulator-config';

export { freePort } from './free-port';

export interface SimulatorProcess {
  readonly pid: number;
  readonly brokers: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** Every ClOrdID the simulator received so far (also after it exited). */
  receivedClOrdIds(): ReceivedClOrdId[];
  /** What the simulator wrote to stderr (its log), the last 256 KB. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM: the simulator logs its sessions out and exits. Resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL: no Logout, sockets just drop (a crash, as the desk sees it). */
  kill(): void;
}

export interface StartSimulatorOptions {
  readonly config: SimulatorConfigInput;
  /** Give up waiting for the ready line after this long. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const mainScript = join(here, 'main.ts');
const STDERR_KEEP = 256 * 1024;

/**
 * Starts the simulator as its own process (as the desk meets it: over TCP), waits for its ready
 * line and returns the ports it listens on. The child exits with us: it watches its stdin.
 */
export async function startSimulatorProcess({ config, readyTimeoutMs = 30_000 }: StartSimulatorOptions): Promise<SimulatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-sim-'));
  const configPath = join(dir, 'simulator.json');
  const journalFile = config.journalFile ?? join(dir, 'clordids.jsonl');
  writeFileSync(configPath, JSON.stringify({ ...config, journalFile }, null, 2));

  const child = spawn(process.execPath, ['--import', 'tsx', mainScript, '--config', configPath, '--exit-with-parent'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SIM_LOG_LEVEL: process.env.SIM_LOG_LEVEL ?? 'info' },
  });
  let stderrText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrText = (stderrText + chunk).slice(-STDERR_KEEP);
  });
  let journalAtExit: ReceivedClOrdId[] | undefined;
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => {
      journalAtExit = readClOrdIdJournal(journalFile);
      rmSync(dir, { recursive: true, force: true });
      resolveExit(code ?? signal ?? 'unknown');
    });
  });
  // An EPIPE on stdin only means the child is gone: 'exit' reports that.
  child.stdin.on('error', () => {});

  const brokers = await new Promise<Array<{ name: string; port: number }>>((resolveReady, rejectReady) => {
    const lines = createInterface({ input: child.stdout });
    const fail = (why: string) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      rejectReady(new Error(`simulator did not start: ${why}\n--- simulator stderr ---\n${stderrText.slice(-8_000)}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    child.once('error', (e) => fail(e.message));
    void exited.then((code) => fail(`it exited (${code}) before it was ready`));
    lines.on('line', (line) => {
      let message: { event?: string; brokers?: Array<{ name: string; port: number }> };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.event !== 'ready' || !Array.isArray(message.brokers)) return;
      clearTimeout(timer);
      lines.close();
      resolveReady(message.brokers);
    });
  });

  return {
    pid: child.pid as number,
    brokers,
    exited,
    stderr: () => stderrText,
    receivedClOrdIds: () => journalAtExit ?? readClOrdIdJournal(journalFile),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
