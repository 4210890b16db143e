import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { identifier } from '../../../shared/contract/ticket';
import { backupsConfigSchema } from '../data-folder/backup-policy';
import { ConfigError, loadJsonConfig, parseConfig } from './json-config';
import { capabilitiesSchema, resolveCapabilities, timeoutsSchema } from './broker-capabilities';
import { fundsSchema, fundsProblems, resolveFunds } from './funds';
import { riskLimitsSchema } from './risk-limits-config';

/** FIX 5.0SP2 runs over FIXT.1.1 (DefaultApplVerID 9). The broker's config chooses. */
export const FIX_VERSIONS = ['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'] as const;
export type FixVersion = (typeof FIX_VERSIONS)[number];

const compId = (what: string) => identifier(what, 32);
const envName = (what: string) => z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: `${what} must be an environment variable name` });
const pem = (what: string) =>
  z.string().refine((v) => /-----BEGIN [A-Z0-9 ]+-----/.test(v), {
    error: `${what} must be PEM contents ("-----BEGIN ...") — not a file path (a path would be read as the certificate text)`,
  });

/**
 * TLS to the broker: PEM contents inline, or the name of an environment variable holding them
 * (`*Env`). Without `tls` the session is plain TCP. `rejectUnauthorized` stays true unless a test
 * says otherwise; `serverName` is the name checked in the broker's certificate (SNI), default host.
 */
export const tlsSchema = z
  .object({
    caPem: pem('tls.caPem').optional(),
    caPemEnv: envName('tls.caPemEnv').optional(),
    certPem: pem('tls.certPem').optional(),
    certPemEnv: envName('tls.certPemEnv').optional(),
    keyPem: pem('tls.keyPem').optional(),
    keyPemEnv: envName('tls.keyPemEnv').optional(),
    /** The private key's passphrase, from the environment only. */
    keyPassphraseEnv: envName('tls.keyPassphraseEnv').optional(),
    rejectUnauthorized: z.boolean().default(true),
    serverName: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const k of ['ca', 'cert', 'key'] as const) {
      if (t[`${k}Pem`] !== undefined && t[`${k}PemEnv`] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [`${k}PemEnv`], message: `give ${k}Pem or ${k}PemEnv, not both` });
      }
    }
    const hasCert = t.certPem !== undefined || t.certPemEnv !== undefined;
    const hasKey = t.keyPem !== undefined || t.keyPemEnv !== undefined;
    if (hasCert !== hasKey) ctx.addIssue({ code: 'custom', path: [hasCert ? 'keyPem' : 'certPem'], message: 'a client certificate needs its key, and a key its certificate' });
  });
export type TlsConfig = z.infer<typeof tlsSchema>;

/** Tags the session layer writes itself: a custom tag may not replace them. */
const SESSION_TAGS = new Set([8, 9, 10, 34, 35, 43, 49, 50, 52, 56, 57, 97, 122, 142, 143]);
const LOGON_TAGS = new Set([98, 108, 141, 553, 554, 925, 1137]);

/** {"tag": "value"}: tag numbers as keys, printable ASCII values. */
const tagValues = (what: string, reserved: ReadonlySet<number>) =>
  z.record(z.string(), z.string()).superRefine((tags, ctx) => {
    for (const [tag, value] of Object.entries(tags)) {
      if (!/^[1-9]\d{0,5}$/.test(tag)) ctx.addIssue({ code: 'custom', path: [tag], message: `${what}: '${tag}' is not a tag number` });
      else if (SESSION_TAGS.has(Number(tag)) || reserved.has(Number(tag))) {
        ctx.addIssue({ code: 'custom', path: [tag], message: `${what}: tag ${tag} is set by the session itself (use its own setting)` });
      }
      if (!/^[\x20-\x7e]+$/.test(value)) ctx.addIssue({ code: 'custom', path: [tag], message: `${what}: the value of tag ${tag} must be printable ASCII` });
    }
  });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const hhmm = (what: string) => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: `${what} must be HH:MM (24 h)` });

/**
 * When the session is up: logon at `start`, logout at `end` (local time in `timeZone`), on the
 * `days` a session starts. An `end` at or before `start` ends the next day (overnight sessions).
 * Outside the schedule the session does not reconnect. `resetSeqNumsDaily`: the first logon of a
 * session day resets both sequence numbers to 1 (ResetSeqNumFlag=Y).
 */
export const scheduleSchema = z
  .object({
    start: hhmm('schedule.start'),
    end: hhmm('schedule.end'),
    days: z.array(z.enum(WEEKDAYS, { error: `schedule.days must be among ${WEEKDAYS.join(', ')}` })).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    timeZone: z.string().refine(isTimeZone, { error: 'schedule.timeZone must be an IANA time zone, e.g. Europe/London' }).default('UTC'),
    resetSeqNumsDaily: z.boolean().default(false),
  })
  .strict();
export type SessionSchedule = z.infer<typeof scheduleSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The desk's trading day (time/trading-day.ts): at `rollTime` local time in `timeZone` a new day
 * begins, and orders finished before it leave the live blotter (they stay in the journal, found by
 * search and history); working orders carry over. A roll after 12:00 begins the next date's day.
 */
export const tradingDaySchema = z
  .object({
    timeZone: z.string().refine(isTimeZone, { error: 'tradingDay.timeZone must be an IANA time zone, e.g. Europe/London' }).default('UTC'),
    rollTime: hhmm('tradingDay.rollTime').default('00:00'),
  })
  .strict();

const subId = (what: string) => identifier(what, 64).optional();

/**
 * A drop-copy session for the broker: a second FIX session that only receives (copies of every
 * execution of the trading session). Fields left out are the trading session's.
 */
export const dropCopySchema = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number({ error: 'dropCopy.port must be a number' }).int().min(1).max(65535, { error: 'dropCopy.port must be 1-65535' }),
    fixVersion: z.enum(FIX_VERSIONS, { error: `dropCopy.fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).optional(),
    senderCompId: compId('dropCopy.senderCompId'),
    targetCompId: compId('dropCopy.targetCompId'),
    senderSubId: subId('dropCopy.senderSubId'),
    targetSubId: subId('dropCopy.targetSubId'),
    heartbeatSeconds: z.number().int().min(1).max(300).optional(),
    resetSeqNumOnLogon: z.boolean().optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    passwordEnv: envName('dropCopy.passwordEnv').optional(),
    tls: tlsSchema.optional(),
    logonTags: tagValues('dropCopy.logonTags', LOGON_TAGS).optional(),
    headerTags: tagValues('dropCopy.headerTags', LOGON_TAGS).optional(),
  })
  .strict();
export type DropCopyConfig = z.infer<typeof dropCopySchema>;

export const brokerConfigSchema = z
  .object({
    name: identifier('name', 32),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number({ error: 'port must be a number' }).int().min(1).max(65535, { error: 'port must be 1-65535' }),
    fixVersion: z.enum(FIX_VERSIONS, { error: `fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).default('FIX.4.4'),
    senderCompId: compId('senderCompId'),
    targetCompId: compId('targetCompId'),
    /** SenderSubID (50) / TargetSubID (57) / SenderLocationID (142) / TargetLocationID (143) on every message. */
    senderSubId: subId('senderSubId'),
    targetSubId: subId('targetSubId'),
    senderLocationId: subId('senderLocationId'),
    targetLocationId: subId('targetLocationId'),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
    reconnectSeconds: z.number().min(0.1).max(300).default(2),
    /**
     * ResetSeqNumFlag=Y on every Logon (both sides start at 1). false: the sequence numbers carry
     * on from the desk's own session store, across reconnects and desk restarts.
     */
    resetSeqNumOnLogon: z.boolean().default(true),
    /**
     * Resend policy: our order messages (D/F/G/Q) up to this old are replayed with PossDupFlag=Y when
     * the broker asks; older ones are gap-filled and reported (the desk reconciles them). 0: never replay.
     */
    replayMaxAgeSeconds: z.number().int().min(0).max(86_400).default(300),
    /** A ResendRequest of ours unanswered this long raises an alert (and is repeated once, then the connection is dropped). */
    resendTimeoutSeconds: z.number().min(0.1).max(600).default(10),
    /** What the broker's engine takes (cancel/replace, status requests, mass status, chained requests); defaults per FIX version. */
    capabilities: capabilitiesSchema.optional(),
    /** How long the desk waits for an answer to each kind of request (seconds). */
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    /** Status requests made for an order in doubt before the desk gives up and asks a person to settle it. */
    statusRequestAttempts: z.number({ error: 'statusRequestAttempts must be a number' }).int().min(1).max(20).default(3),
    username: z.string().min(1).optional(),
    /** Prefer passwordEnv: the name of an environment variable holding the password. */
    password: z.string().min(1).optional(),
    passwordEnv: envName('passwordEnv').optional(),
    tls: tlsSchema.optional(),
    /** Extra fields on our Logon, e.g. {"96": "..."} or a broker's own tags. */
    logonTags: tagValues('logonTags', LOGON_TAGS).optional(),
    /** Extra header fields on every message, e.g. {"115": "ONBEHALF"} (OnBehalfOfCompID). */
    headerTags: tagValues('headerTags', LOGON_TAGS).optional(),
    schedule: scheduleSchema.optional(),
    dropCopy: dropCopySchema.optional(),
    /** The broker's FIXatdl 1.1 file (its own algorithms): a path, relative to the config file's folder. Loaded and checked at start (desk/broker-algos.ts). */
    algoDefinitions: z.string({ error: 'algoDefinitions must be the path of a FIXatdl file' }).trim().min(1, { error: 'algoDefinitions must name a file' }).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.password !== undefined && b.passwordEnv !== undefined) ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'give password or passwordEnv, not both' });
    if (b.dropCopy !== undefined) {
      const host = b.dropCopy.host ?? b.host;
      if (host === b.host && b.dropCopy.port === b.port && b.dropCopy.senderCompId === b.senderCompId && b.dropCopy.targetCompId === b.targetCompId) {
        ctx.addIssue({ code: 'custom', path: ['dropCopy'], message: 'the drop-copy session must differ from the trading session (port or CompIDs)' });
      }
    }
    if (b.fixVersion === 'FIX.4.2' && b.capabilities?.massStatusRequest === true) {
      ctx.addIssue({ code: 'custom', path: ['capabilities', 'massStatusRequest'], message: 'FIX 4.2 has no OrderMassStatusRequest (35=AF): it exists from FIX 4.3 on' });
    }
  })
  .transform(({ capabilities, ...b }) => ({ ...b, capabilities: resolveCapabilities(b.fixVersion, capabilities) }));
export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
/** A broker entry as written in the config file (defaults may be left out). */
export type BrokerConfigInput = z.input<typeof brokerConfigSchema>;

/**
 * The desk's market-data session (optional): one FIX session to a feed (a venue, or a broker's
 * market-data engine). It logs on with ResetSeqNumFlag=Y every time (market data is not replayed:
 * a quote is only worth its latest value) and keeps a small store in memory. A quote with no update
 * for `staleAfterSeconds` is marked stale on the screens.
 */
export const marketDataConfigSchema = z
  .object({
    name: identifier('marketData.name', 32).default('MD'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z
      .number({ error: 'marketData.port must be a number' })
      .int({ error: 'marketData.port must be 1-65535' })
      .min(1, { error: 'marketData.port must be 1-65535' })
      .max(65535, { error: 'marketData.port must be 1-65535' }),
    fixVersion: z.enum(FIX_VERSIONS, { error: `marketData.fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).default('FIX.4.4'),
    senderCompId: compId('marketData.senderCompId'),
    targetCompId: compId('marketData.targetCompId'),
    senderSubId: subId('marketData.senderSubId'),
    targetSubId: subId('marketData.targetSubId'),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
    /** Reconnect delays double from this, up to 30 s. */
    reconnectSeconds: z.number().min(0.1).max(300).default(2),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    passwordEnv: envName('marketData.passwordEnv').optional(),
    tls: tlsSchema.optional(),
    staleAfterSeconds: z
      .number({ error: 'marketData.staleAfterSeconds must be a number' })
      .min(0.1, { error: 'marketData.staleAfterSeconds must be at least 0.1' })
      .max(3_600, { error: 'marketData.staleAfterSeconds is at most 3600 (an hour)' })
      .default(10),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.password !== undefined && m.passwordEnv !== undefined) ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'give password or passwordEnv, not both' });
  });
export type MarketDataConfig = z.infer<typeof marketDataConfigSchema>;

export const deskConfigSchema = z
  .object({
    accounts: z.array(identifier('account', 32)).min(1, { error: 'at least one account is required' }),
    /**
     * The instrument reference file (CSV, config/instruments.csv's columns): a path, relative to this
     * file's folder. Absent: the file shipped with the desk. Loaded and validated at start
     * (desk/desk-instruments.ts): a bad row names its line and field, and the desk does not start.
     */
    instruments: z.string({ error: 'instruments must be the path of the instrument file' }).trim().min(1, { error: 'instruments must name a file' }).optional(),
    /**
     * VWAP volume profiles per instrument (JSON: `{ "AAPL.XNAS": [12, 8, 6, …] }`, relative volume per
     * equal bucket of the window): a path, relative to this file's folder. Absent: the U-shaped default.
     * Validated at start (algos/volume-profile.ts): a bad file names its problem and the desk does not start.
     */
    volumeProfiles: z.string().trim().min(1, { error: 'volumeProfiles must name a file' }).optional(),
    brokers: z.array(brokerConfigSchema).min(1, { error: 'at least one broker is required' }),
    tradingDay: tradingDaySchema.default({ timeZone: 'UTC', rollTime: '00:00' }),
    backups: backupsConfigSchema.optional(),
    marketData: marketDataConfigSchema.optional(),
    /** Funds and the accounts each holds (config/funds.ts); absent: one fund DESK in USD holding every account. */
    funds: fundsSchema.optional(),
    /**
     * The pre-trade risk limits (config/risk-limits-config.ts): the path of their JSON file, relative to
     * this file's folder (reloadable without a restart: `reloadRiskLimits`), or the limits inline.
     * Absent: no limits (the kill switch still works).
     */
    riskLimits: z.union([z.string().trim().min(1, { error: 'riskLimits must name a file' }), riskLimitsSchema]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const p of fundsProblems(c.accounts, c.funds)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    const md = c.marketData;
    c.brokers.forEach((b) => {
      if (md !== undefined && md.host === b.host && md.port === b.port && md.senderCompId === b.senderCompId && md.targetCompId === b.targetCompId) {
        ctx.addIssue({ code: 'custom', path: ['marketData'], message: `the market-data session must differ from broker ${b.name}'s trading session (port or CompIDs)` });
      }
    });
    const seen = new Set<string>();
    c.brokers.forEach((b, i) => {
      if (seen.has(b.name)) ctx.addIssue({ code: 'custom', path: ['brokers', i, 'name'], message: `duplicate broker name ${b.name}` });
      seen.add(b.name);
    });
  })
  .transform(({ funds, ...c }) => ({ ...c, funds: resolveFunds(c.accounts, funds) }));
export type DeskConfig = z.infer<typeof deskConfigSchema>;

export { ConfigError };

export function parseDeskConfig(value: unknown, source = 'config'): DeskConfig {
  return parseConfig(deskConfigSchema, value, 'desk configuration', source);
}

/** The config file, with its `instruments`, `volumeProfiles` and brokers' `algoDefinitions` paths made absolute (relative paths are relative to the file's folder). */
export function loadDeskConfig(path: string): DeskConfig {
  const config = loadJsonConfig(deskConfigSchema, path, 'desk configuration');
  const folder = dirname(path);
  const brokers = config.brokers.map((b) => (b.algoDefinitions === undefined ? b : { ...b, algoDefinitions: resolve(folder, b.algoDefinitions) }));
  return {
    ...config,
    brokers,
    ...(config.instruments !== undefined && { instruments: resolve(folder, config.instruments) }),
    ...(config.volumeProfiles !== undefined && { volumeProfiles: resolve(folder, config.volumeProfiles) }),
    ...(typeof config.riskLimits === 'string' && { riskLimits: resolve(folder, config.riskLimits) }),
  };
}

/** The password from the environment variable if named, else from the file; never logged. */
export function brokerPassword(b: BrokerConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (b.passwordEnv !== undefined) return env[b.passwordEnv];
  return b.password;
}
