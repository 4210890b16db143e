import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../../..');
/** The host as the app ships it, bundled with the main process by `npm run build`; run as package.json's serve:built runs it. */
export const BUILT_HOST = resolve(repoRoot, 'out/main/serve.js');

/** The headless desk host as its own process (`serve-main.ts --no-sim`, or its build), as people and tests run it. */
export interface HostProcess {
  readonly child: ChildProcess;
  /** The page URL, with the token. */
  readonly url: string;
  readonly port: number;
  readonly exited: Promise<void>;
  stderr(): string;
  /** SIGKILL: a crash, nothing flushed, no Logout. Resolves once it is gone. */
  crash(): Promise<void>;
  /** SIGTERM: a clean stop (Logout to every broker). */
  stop(): Promise<void>;
}

export interface HostProcessOptions {
  readonly configPath: string;
  readonly dataDir: string;
  /** Passed in MERIDIAN_TOKEN (never on the command line); leave out when `args` has --token-file. */
  readonly token?: string;
  /** More options for serve-main. */
  readonly args?: readonly string[];
  /** Run the built host (BUILT_HOST) instead of the sources under tsx. */
  readonly built?: boolean;
}

function spawnHost(options: HostProcessOptions): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MERIDIAN_TOKEN;
  if (options.token !== undefined) env.MERIDIAN_TOKEN = options.token;
  return spawn(
    process.execPath,
    [...(options.built === true ? ['--enable-source-maps', BUILT_HOST] : ['--import', 'tsx', 'electron/host/serve-main.ts']), '--no-sim', '--config', options.configPath, '--data-dir', options.dataDir, '--port', '0', ...(options.args ?? [])],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
}

export interface ProcessOutcome {
  /** The exit code, or the signal's name. */
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the host until it exits by itself (a refusal at start); SIGKILLs it after `timeoutMs` and fails. */
export function runHostToExit(options: HostProcessOptions & { timeoutMs?: number }): Promise<ProcessOutcome> {
  return collectUntilExit(spawnHost(options), options.timeoutMs ?? 30_000, 'host');
}

/** `npm run restore -- <args>`, as a process. */
export function runRestore(args: readonly string[], timeoutMs = 30_000): Promise<ProcessOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/restore-main.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  return collectUntilExit(child, timeoutMs, 'restore');
}

function collectUntilExit(child: ChildProcess, timeoutMs: number, what: string): Promise<ProcessOutcome> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} still running after ${timeoutMs / 1000} s\n${stderr.slice(-5_000)}`));
    }, timeoutMs);
    // 'close', not 'exit': the output is all read by then.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveExit({ code: code ?? signal ?? 'unknown', stdout, stderr });
    });
  });
}

export async function startHostProcess(options: HostProcessOptions & { readyTimeoutMs?: number }): Promise<HostProcess> {
  const child = spawnHost(options);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => {
    stderr = (stderr + c).slice(-50_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<{ url: string; port: number }>((resolveReady, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host not ready in ${timeoutMs / 1000} s\n${stderr.slice(-5_000)}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`host exited before it was ready\n${stderr.slice(-5_000)}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { event?: string; url?: string; port?: number };
      if (message.event === 'ready' && message.url && message.port) {
        clearTimeout(timer);
        resolveReady({ url: message.url, port: message.port });
      }
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    ...ready,
    exited,
    stderr: () => stderr,
    async crash() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}
