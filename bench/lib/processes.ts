import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Every child process the suite starts goes through here, so each is stopped by its own PID when a
 * benchmark ends, fails, or the suite is interrupted. Nothing is ever killed by name.
 */
const children = new Set<ChildProcess>();

export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export function killAllTracked(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export async function stopAllTracked(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

/** Resolves with the first stdout line that parses as JSON and satisfies `accept`. */
export function waitForJsonLine<T>(child: ChildProcess, accept: (value: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => finish(new Error(`${what}: no ready line within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`${what} exited (${code ?? signal}) before it was ready`));
    child.once('exit', onExit);
    function finish(error: Error | undefined, value?: T) {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.removeAllListeners('line');
      if (error) reject(error);
      else resolve(value as T);
    }
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (accept(value)) finish(undefined, value as T);
      } catch {
        // not ours
      }
    });
  });
}

/** Resident set size of a process in MB (Linux /proc), or NaN. */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** PIDs of every descendant of `pid` (Linux /proc). */
export async function descendants(pid: number): Promise<Array<{ pid: number; cmdline: string }>> {
  const { readdir, readFile } = await import('node:fs/promises');
  const parents = new Map<number, number>();
  const cmdlines = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      cmdlines.set(Number(entry), (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' '));
    } catch {
      // exited meanwhile
    }
  }
  const out: Array<{ pid: number; cmdline: string }> = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push({ pid: child, cmdline: cmdlines.get(child) ?? '' });
        queue.push(child);
      }
    }
  }
  return out;
}
