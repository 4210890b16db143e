import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** The headless desk host as its own process (`serve-main.ts --no-sim`), as people and tests run it. */
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

export async function startHostProcess(options: { configPath: string; dataDir: string; token: string; readyTimeoutMs?: number; startTime?: string }): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/host/serve-main.ts',
      '--no-sim',
      '--config',
      options.configPath,
      '--data-dir',
      options.dataDir,
      '--port',
      '0',
      // The desk's clock, moved (a test of another day never reads the real date).
      ...(options.startTime !== undefined ? ['--start-time', options.startTime] : []),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MERIDIAN_TOKEN: options.token } },
  );
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
