import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
  /** The desk's clock starts at this instant instead of the system's (tests of other days). */
  readonly startTime: Date | undefined;
}

export const SERVE_USAGE = `usage: npm run serve -- [options]
  --config <path>        desk configuration (default config/desk.json)
  --data-dir <path>      journal and session files (default .data; env MERIDIAN_DATA_DIR)
  --port <n>             HTTP/WebSocket port on 127.0.0.1, 0 = any (default 7400; env MERIDIAN_PORT)
  --token <token>        WebSocket token, 16-256 of A-Z a-z 0-9 _ - (env MERIDIAN_TOKEN; default random)
  --no-sim               do not start the bundled broker simulator
  --sim-config <path>    simulator configuration (default config/simulator.json)
  --static-dir <path>    the built renderer (default out/renderer)
  --allow-origin <url>   another origin allowed to open the WebSocket (repeatable), e.g. behind a tunnel
  --start-time <iso>     the desk's clock starts at this instant and runs from there (tests; env MERIDIAN_START_TIME)
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
        token: { type: 'string' },
        'no-sim': { type: 'boolean' },
        'sim-config': { type: 'string' },
        'static-dir': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'start-time': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help === true) return 'help';

  const portText = values.port ?? nonEmpty(env.MERIDIAN_PORT) ?? '7400';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`port must be 0-65535, got ${JSON.stringify(portText)}`);

  const token = values.token ?? nonEmpty(env.MERIDIAN_TOKEN);
  if (token !== undefined) {
    const problem = checkTokenFormat(token);
    if (problem !== undefined) throw new UsageError(problem);
  }

  const extraOrigins = values['allow-origin'] ?? [];
  for (const origin of extraOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new UsageError(`--allow-origin takes an origin like http://localhost:8000, got ${JSON.stringify(origin)}`);
  }

  const startText = values['start-time'] ?? nonEmpty(env.MERIDIAN_START_TIME);
  const startTime = startText === undefined ? undefined : new Date(startText);
  if (startText !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(startText) || Number.isNaN(startTime!.getTime()))) {
    throw new UsageError(`--start-time takes an ISO-8601 instant like 2026-03-02T09:00:00Z, got ${JSON.stringify(startText)}`);
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
    startTime,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
