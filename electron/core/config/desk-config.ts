import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ASSET_CLASSES } from '../../../shared/domain/order-types';
import { identifier, symbolSchema } from '../../../shared/contract/ticket';

export const FIX_VERSIONS = ['FIX.4.4'] as const;
export type FixVersion = (typeof FIX_VERSIONS)[number];

const compId = (what: string) => identifier(what, 32);

export const brokerConfigSchema = z
  .object({
    name: identifier('name', 32),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number({ error: 'port must be a number' }).int().min(1).max(65535, { error: 'port must be 1-65535' }),
    fixVersion: z.enum(FIX_VERSIONS, { error: `fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).default('FIX.4.4'),
    senderCompId: compId('senderCompId'),
    targetCompId: compId('targetCompId'),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
    reconnectSeconds: z.number().min(0.1).max(300).default(2),
    resetSeqNumOnLogon: z.boolean().default(true),
    username: z.string().min(1).optional(),
    /** Prefer passwordEnv: the name of an environment variable holding the password. */
    password: z.string().min(1).optional(),
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'passwordEnv must be an environment variable name' }).optional(),
  })
  .strict();
export type BrokerConfig = z.infer<typeof brokerConfigSchema>;

export const deskConfigSchema = z
  .object({
    accounts: z.array(identifier('account', 32)).min(1, { error: 'at least one account is required' }),
    instruments: z
      .array(
        z
          .object({
            symbol: symbolSchema,
            assetClass: z.enum(ASSET_CLASSES),
            description: z.string().max(200).optional(),
          })
          .strict(),
      )
      .default([]),
    brokers: z.array(brokerConfigSchema).min(1, { error: 'at least one broker is required' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.brokers.forEach((b, i) => {
      if (seen.has(b.name)) ctx.addIssue({ code: 'custom', path: ['brokers', i, 'name'], message: `duplicate broker name ${b.name}` });
      seen.add(b.name);
    });
  });
export type DeskConfig = z.infer<typeof deskConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses and validates; the error names the file and every bad field (`brokers[1].port: ...`). */
export function parseDeskConfig(value: unknown, source = 'config'): DeskConfig {
  const parsed = deskConfigSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`invalid desk configuration in ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadDeskConfig(path: string): DeskConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read desk configuration ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`desk configuration ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseDeskConfig(json, path);
}

/** The password from the environment variable if named, else from the file; never logged. */
export function brokerPassword(b: BrokerConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (b.passwordEnv !== undefined) return env[b.passwordEnv];
  return b.password;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
