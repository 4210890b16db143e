import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReceivedClOrdId } from './clordid-journal';
import { readClOrdIdJournal } from './clordid-journal';
import type { OrderTruth, Report } from './order-engine';
import type { BrokerFault, ReceivedMessage } from './simulated-broker';
import type { BrokerBehaviour, SimulatorConfigInput } from './simulator-config';

export { freePort } from './free-port';

export interface SimulatorProcess {
  readonly pid: number;
  readonly brokers: ReadonlyArray<{ readonly name: string; readonly port: number; readonly dropCopyPort?: number }>;
  /** The market-data venue's port, when the config has `marketData`. */
  readonly marketDataPort?: number;
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
  /** The control channel (script mode), when the config has `control`. */
  readonly control?: SimulatorControl;
}

/** A client of the simulator's control channel (see control-server.ts). */
export interface SimulatorControl {
  readonly port: number;
  /** Sends these reports now, in order, on the broker's logged-on session. */
  send(broker: string, reports: readonly Report[]): Promise<void>;
  /** What the desk sent to this broker after `since` (a seq of an earlier answer). */
  received(broker: string, since?: number): Promise<ReceivedMessage[]>;
  loggedOn(broker: string): Promise<boolean>;
  /** Session figures: logged on, the next sequence numbers in and out. */
  state(broker: string): Promise<{ loggedOn: boolean; nextIn: number; nextOut: number; dropCopyLoggedOn?: boolean }>;
  /** The broker's truth per order. */
  orders(broker: string): Promise<OrderTruth[]>;
  /** Plays a fault (see control-server.ts); resolves with what was done. */
  fault(broker: string, fault: BrokerFault): Promise<string>;
  /** Changes how the broker answers from now on (see simulator-config.ts, behaviourSchema); resolves with all of it. */
  behaviour(broker: string, change: BrokerBehaviour): Promise<BrokerBehaviour>;
  /** The market-data venue (control channel, /marketData/...). */
  readonly marketData: {
    state(): Promise<{ loggedOn: boolean; subscriptions: number }>;
    /** The venue's quote now, figures as decimal strings. */
    quote(instrumentId: string): Promise<Record<string, string>>;
    pause(): Promise<void>;
    resume(): Promise<void>;
    disconnect(): Promise<string>;
  };
}

function controlClient(port: number): SimulatorControl {
  const base = `http://127.0.0.1:${port}/brokers`;
  const md = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${port}/marketData/${path}`, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator control marketData/${path}: ${res.status} ${answer.error ?? ''}`);
    return answer;
  };
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${base}/${path}`, init);
    const body = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator control ${path}: ${res.status} ${body.error ?? ''}`);
    return body;
  };
  return {
    port,
    marketData: {
      state: () => md('state'),
      quote: (id) => md(`quotes/${encodeURIComponent(id)}`),
      pause: async () => void (await md('pause', 'POST')),
      resume: async () => void (await md('resume', 'POST')),
      disconnect: async () => (await md<{ done: string }>('fault', 'POST', { kind: 'disconnect' })).done,
    },
    async send(broker, reports) {
      await call(`${encodeURIComponent(broker)}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reports }) });
    },
    received: (broker, since = 0) => call<ReceivedMessage[]>(`${encodeURIComponent(broker)}/received?since=${since}`),
    loggedOn: async (broker) => (await call<{ loggedOn: boolean }>(`${encodeURIComponent(broker)}/state`)).loggedOn,
    state: (broker) => call(`${encodeURIComponent(broker)}/state`),
    orders: (broker) => call<OrderTruth[]>(`${encodeURIComponent(broker)}/orders`),
    async fault(broker, fault) {
      const body = await call<{ done: string }>(`${encodeURIComponent(broker)}/fault`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      return body.done;
    },
    behaviour: (broker, change) =>
      call<BrokerBehaviour>(`${encodeURIComponent(broker)}/behaviour`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) }),
  };
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

  let controlPort: number | undefined;
  let marketDataPort: number | undefined;
  const brokers = await new Promise<Array<{ name: string; port: number; dropCopyPort?: number }>>((resolveReady, rejectReady) => {
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
      let message: { event?: string; brokers?: Array<{ name: string; port: number; dropCopyPort?: number }>; controlPort?: number; marketDataPort?: number };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.event !== 'ready' || !Array.isArray(message.brokers)) return;
      clearTimeout(timer);
      lines.close();
      controlPort = message.controlPort;
      marketDataPort = message.marketDataPort;
      resolveReady(message.brokers);
    });
  });

  return {
    pid: child.pid as number,
    brokers,
    ...(marketDataPort !== undefined && { marketDataPort }),
    ...(controlPort !== undefined && { control: controlClient(controlPort) }),
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
