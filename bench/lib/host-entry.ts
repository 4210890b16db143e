import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the benches start a tree's headless host: as the app ships, built JavaScript
 * (`out/main/serve.js`, what `npm run serve:built` runs; `npm run build` makes it with the main
 * process). When it is missing or older than the tree's sources, the tree is built first
 * (`npm run build`, once per bench process). A tree that does not build the host (its package.json
 * has no `serve:built`: older than the built host) runs its sources under tsx, and the label says so.
 * BENCH_HOST=tsx runs every tree under tsx (to measure what the build saves).
 */
export interface HostEntry {
  /** Node's arguments before the host's own options, run with the tree as cwd. */
  readonly args: readonly string[];
  /** What ran, for the rows' notes: "built out/main/serve.js" or "tsx (<why>)". */
  readonly label: string;
}

export const BUILT_HOST = 'out/main/serve.js';
/** As package.json's serve:built runs it: the bundle's source maps name the .ts lines in stack traces. */
export const BUILT_HOST_ARGS: readonly string[] = ['--enable-source-maps', BUILT_HOST];
const TSX_HOST_ARGS: readonly string[] = ['--import', 'tsx', 'electron/host/serve-main.ts'];
/** What the main build bundles: a change under these makes out/main stale. */
const SOURCE_DIRS = ['electron', 'shared'];
const SOURCE_FILE = /\.(ts|mts|mjs)$/;

const chosen = new Map<string, HostEntry>();

export function hostEntry(root: string): HostEntry {
  let entry = chosen.get(root);
  if (entry === undefined) {
    entry = chooseHostEntry(root, process.env.BENCH_HOST);
    chosen.set(root, entry);
  }
  return entry;
}

function chooseHostEntry(root: string, forced: string | undefined): HostEntry {
  if (forced !== undefined && forced !== '' && forced !== 'tsx' && forced !== 'built') {
    throw new Error(`BENCH_HOST=${forced}: give tsx or built (or leave it unset: built)`);
  }
  if (forced === 'tsx') return { args: TSX_HOST_ARGS, label: 'tsx (BENCH_HOST=tsx)' };
  if (!buildsTheHost(root)) {
    if (forced === 'built') throw new Error(`BENCH_HOST=built, but ${root} does not build the headless host (no serve:built script in its package.json)`);
    return { args: TSX_HOST_ARGS, label: 'tsx (this tree does not build the host)' };
  }
  const stale = staleness(root);
  if (stale !== undefined) {
    process.stderr.write(`bench: building ${root} (${BUILT_HOST} ${stale})\n`);
    const built = spawnSync('npm', ['run', '--silent', 'build', '--', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (built.status !== 0 || !existsSync(join(root, BUILT_HOST))) {
      throw new Error(`bench: npm run build in ${root} failed (${built.error?.message ?? `exit ${built.status ?? built.signal}`}), so its built host cannot run:\n${(built.stdout + built.stderr).slice(-3_000)}`);
    }
  }
  return { args: BUILT_HOST_ARGS, label: `built ${BUILT_HOST}` };
}

function buildsTheHost(root: string): boolean {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  return scripts['serve:built'] !== undefined;
}

/** Why the built host must be built again, or undefined when it is newer than every source it bundles. */
function staleness(root: string): string | undefined {
  const built = join(root, BUILT_HOST);
  if (!existsSync(built)) return 'missing';
  const builtAt = statSync(built).mtimeMs;
  const sources = [join(root, 'electron.vite.config.mts'), ...SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))];
  const newer = sources.find((file) => statSync(file).mtimeMs > builtAt);
  return newer === undefined ? undefined : `older than ${newer.slice(root.length + 1)}`;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => SOURCE_FILE.test(name) && !name.includes('node_modules') && !/\.test\.ts$/.test(name))
    .map((name) => join(dir, name));
}
