import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackupOverrides } from '../core/data-folder/backup-policy';
import { checkTokenFormat } from './access';

export interface ServeOptions {
  readonly configPath: string;
  readonly dataDir: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly simulator: boolean;
  readonly simConfigPath: string;
  readonly staticDir: string;
  readonly extraOrigins: readonly string[];
  /** Set a damaged or missing journal aside and start a new one. */
  readonly newJournal: boolean;
  /** Laid over the `backups` block of the desk configuration. */
  readonly backups: BackupOverrides;
}

export const SERVE_USAGE = `usage: npm run serve -- [options]
  --config <path>        desk configuration (default config/desk.json)
  --data-dir <path>      journal and session files (default .data; env MERIDIAN_DATA_DIR)
  --port <n>             HTTP/WebSocket port on 127.0.0.1, 0 = any (default 7400; env MERIDIAN_PORT)
  --token-file <path>    WebSocket token from a file readable by its owner only (mode 0600)
                         (or env MERIDIAN_TOKEN; default random; 16-256 of A-Z a-z 0-9 _ -)
  --no-sim               do not start the bundled broker simulator
  --sim-config <path>    simulator configuration (default config/simulator.json)
  --static-dir <path>    the built renderer (default out/renderer)
  --allow-origin <url>   another origin allowed to open the WebSocket (repeatable), e.g. behind a tunnel
  --backup-dir <path>    where journal backups go (default: backups in the data folder)
  --backup-every <min>   minutes between journal backups (default 60)
  --backup-keep <n>      backups kept (default 6)
  --no-backups           no journal backups
  --new-journal          set a damaged or missing journal aside and start a new, empty one
  --help`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Flags win over environment variables, which win over defaults. Paths resolve against cwd. */
export function parseServeOptions(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ServeOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        // Recognised only to refuse it with a reason.
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'no-sim': { type: 'boolean' },
        'sim-config': { type: 'string' },
        'static-dir': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'backup-dir': { type: 'string' },
        'backup-every': { type: 'string' },
        'backup-keep': { type: 'string' },
        'no-backups': { type: 'boolean' },
        'new-journal': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help === true) return 'help';
  if (values.token !== undefined) {
    throw new UsageError('--token is not accepted: every local user can read the command line (ps). Set MERIDIAN_TOKEN, or put the token in a file of mode 0600 and give --token-file <path>');
  }

  const portText = values.port ?? nonEmpty(env.MERIDIAN_PORT) ?? '7400';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`port must be 0-65535, got ${JSON.stringify(portText)}`);

  const tokenFile = values['token-file'];
  const token = tokenFile !== undefined ? readTokenFile(resolve(cwd, tokenFile)) : nonEmpty(env.MERIDIAN_TOKEN);
  if (token !== undefined) {
    const problem = checkTokenFormat(token);
    if (problem !== undefined) throw new UsageError(problem);
  }

  const extraOrigins = values['allow-origin'] ?? [];
  for (const origin of extraOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new UsageError(`--allow-origin takes an origin like http://localhost:8000, got ${JSON.stringify(origin)}`);
  }

  return {
    configPath: resolve(cwd, values.config ?? 'config/desk.json'),
    dataDir: resolve(cwd, values['data-dir'] ?? nonEmpty(env.MERIDIAN_DATA_DIR) ?? '.data'),
    port: Number(portText),
    token,
    simulator: values['no-sim'] !== true,
    simConfigPath: resolve(cwd, values['sim-config'] ?? 'config/simulator.json'),
    staticDir: resolve(cwd, values['static-dir'] ?? 'out/renderer'),
    extraOrigins,
    newJournal: values['new-journal'] === true,
    backups: {
      ...(values['no-backups'] === true && { enabled: false }),
      ...(values['backup-dir'] !== undefined && { dir: resolve(cwd, values['backup-dir']) }),
      ...(values['backup-every'] !== undefined && { everyMinutes: boundedNumber('--backup-every', values['backup-every'], 1, 7 * 24 * 60, false) }),
      ...(values['backup-keep'] !== undefined && { keep: boundedNumber('--backup-keep', values['backup-keep'], 1, 1_000, true) }),
    },
  };
}

/** The token file must be a regular file that only its owner can read or write: anyone who reads it can drive the desk. */
function readTokenFile(path: string): string {
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`--token-file ${path} is not a file`);
    mode = stat.mode;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--token-file ${path} cannot be read: ${(e as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new UsageError(`--token-file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`);
  }
  return readFileSync(path, 'utf8').trim();
}

function boundedNumber(flag: string, text: string, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
