import { z } from 'zod';
import { ASSET_CLASSES } from '../../../shared/domain/order-types';
import { identifier, symbolSchema } from '../../../shared/contract/ticket';
import { ConfigError, loadJsonConfig, parseConfig } from './json-config';

/** FIX 5.0SP2 runs over FIXT.1.1 (DefaultApplVerID 9). The broker's config chooses. */
export const FIX_VERSIONS = ['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'] as const;
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
    /**
     * Send a cancel or amend while an earlier amend is unanswered, chaining OrigClOrdID to the
     * previous request (FIX order state matrices D.2). Off by default: many brokers refuse it (D.2.c).
     */
    allowChainedRequests: z.boolean().default(false),
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

export { ConfigError };

export function parseDeskConfig(value: unknown, source = 'config'): DeskConfig {
  return parseConfig(deskConfigSchema, value, 'desk configuration', source);
}

export function loadDeskConfig(path: string): DeskConfig {
  return loadJsonConfig(deskConfigSchema, path, 'desk configuration');
}

/** The password from the environment variable if named, else from the file; never logged. */
export function brokerPassword(b: BrokerConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (b.passwordEnv !== undefined) return env[b.passwordEnv];
  return b.password;
}
