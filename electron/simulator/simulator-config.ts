import { z } from 'zod';
import { loadJsonConfig, parseConfig } from '../core/config/json-config';
import { FIX_VERSIONS } from '../core/config/desk-config';
import { isPositiveDecimalString } from '../../shared/domain/decimal-string';
import { dirname, resolve } from 'node:path';
import { identifier } from '../../shared/contract/ticket';

const positiveDecimal = (what: string) =>
  z.string({ error: `${what} must be a decimal string, e.g. "100.25"` }).refine(isPositiveDecimalString, { error: `${what} must be a positive decimal` });

/** How the simulator fills working orders: a fraction of the order quantity every interval, or not at all. */
export const fillSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalMs: z.number().int().min(1).max(3_600_000).default(200),
    /** Each fill is this share of the order quantity (rounded down to the quantity's decimals, at least one unit). */
    fraction: z.number().gt(0, { error: 'fraction must be above 0' }).max(1, { error: 'fraction must be at most 1' }).default(0.25),
  })
  .strict();
export type FillSettings = z.infer<typeof fillSettingsSchema>;

const pemText = (what: string) => z.string().refine((v) => v.includes('-----BEGIN'), { error: `${what} must be PEM contents` });

/** A TLS acceptor: PEM contents. `requestCert` asks the desk for a client certificate (checked against caPem). */
export const simulatorTlsSchema = z
  .object({
    certPem: pemText('tls.certPem'),
    keyPem: pemText('tls.keyPem'),
    caPem: pemText('tls.caPem').optional(),
    requestCert: z.boolean().default(false),
  })
  .strict();

/** A drop-copy acceptor for the broker: every execution report of the trading session is mirrored on it. */
export const simulatedDropCopySchema = z
  .object({
    /** 0 picks a free port (reported in the ready line as dropCopyPort). */
    port: z.number().int().min(0).max(65535),
    senderCompId: identifier('dropCopy.senderCompId', 32),
    targetCompId: identifier('dropCopy.targetCompId', 32),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
  })
  .strict();

/**
 * How some real brokers' FIX engines answer where this simulator normally answers like a good one,
 * switched on per broker (and at run time through the control channel), so tests meet each over
 * real FIX:
 * - noCancelReplace: an OrderCancelReplaceRequest (35=G) gets a BusinessMessageReject (35=j,
 *   BusinessRejectReason 3 "Unsupported message type", BusinessRejectRefID = its ClOrdID).
 * - rejectMarketOrdersSessionLevel: a market NewOrderSingle gets a session-level Reject (35=3,
 *   RefSeqNum, RefMsgType D, RefTagID 40, SessionRejectReason 5).
 * - noStatusRequests: an OrderStatusRequest (35=H) gets a 35=j (reason 3).
 * - noOrdStatusReqId: the answer to an OrderStatusRequest does not echo its OrdStatusReqID (790),
 *   as some engines do (the desk matches it by ClOrdID).
 * - noMassStatus: an OrderMassStatusRequest (35=AF) gets a 35=j (reason 3). (A FIX 4.2 broker
 *   always answers 35=AF with a 35=3 "Invalid MsgType": the message does not exist there.)
 * - silentOnUnknownCancel: a cancel for an order it does not know gets no answer at all.
 * - execIdsRestartAfterRestart: ExecIDs count from 1 again after each simulator restart (as an
 *   engine restarted mid-day does), so they repeat those of other orders.
 * - sendingTimeWithoutColons: the SendingTime (52) of its application messages reads
 *   `20261206-233508.116`, which is no FIX UTCTimestamp.
 */
export const behaviourSchema = z
  .object({
    noCancelReplace: z.boolean().optional(),
    rejectMarketOrdersSessionLevel: z.boolean().optional(),
    noStatusRequests: z.boolean().optional(),
    noOrdStatusReqId: z.boolean().optional(),
    noMassStatus: z.boolean().optional(),
    silentOnUnknownCancel: z.boolean().optional(),
    execIdsRestartAfterRestart: z.boolean().optional(),
    sendingTimeWithoutColons: z.boolean().optional(),
  })
  .strict();
export type BrokerBehaviour = z.infer<typeof behaviourSchema>;

export const simulatedBrokerSchema = z
  .object({
    name: identifier('name', 32),
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port (reported in the ready line). */
    port: z.number({ error: 'port must be a number' }).int().min(0).max(65535, { error: 'port must be 0-65535' }),
    /** The simulator's own CompID (the desk's targetCompId). */
    senderCompId: identifier('senderCompId', 32),
    /** The desk's CompID (the desk's senderCompId). */
    targetCompId: identifier('targetCompId', 32),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
    /** The FIX version this broker speaks (FIX.5.0SP2 runs over FIXT.1.1). */
    fixVersion: z.enum(FIX_VERSIONS, { error: `fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).default('FIX.4.4'),
    /**
     * false: script mode. The broker answers nothing by itself (no acks, fills or rejects); a test
     * plays every message through the control channel and reads what the broker received.
     */
    auto: z.boolean().default(true),
    /** When set, a Logon must carry these Username (553) / Password (554). */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Overrides the global ackDelayMs / fills for this broker. */
    ackDelayMs: z.number().int().min(0).max(60_000).optional(),
    fills: fillSettingsSchema.optional(),
    tls: simulatorTlsSchema.optional(),
    dropCopy: simulatedDropCopySchema.optional(),
    /** Answer like some real brokers' engines do (see behaviourSchema). */
    behaviour: behaviourSchema.optional(),
  })
  .strict();
export type SimulatedBrokerConfig = z.infer<typeof simulatedBrokerSchema>;

/** How one instrument trades in the simulated market (instrument-market.ts); a base instrument needs its referencePrice. */
export const instrumentMarketSchema = z
  .object({
    referencePrice: positiveDecimal('referencePrice').optional(),
    volatility: z.number().min(0).max(0.5).optional(),
    liquidity: positiveDecimal('liquidity').optional(),
    volumePerTick: z.number().int().min(0).optional(),
    spreadTicks: z.number().int().min(0).max(1_000).optional(),
  })
  .strict();
export type InstrumentMarketConfig = z.infer<typeof instrumentMarketSchema>;

/**
 * The simulator's market-data venue: one FIX acceptor for the whole desk (a venue or consolidated
 * feed, not one per broker: a desk takes its prices from one place), quoting the one market the
 * brokers trade (`instruments`, moved every `tickIntervalMs`), their fills included, and the
 * instruments it quotes beyond those.
 */
export const simulatedMarketDataSchema = z
  .object({
    name: identifier('marketData.name', 32).default('SIM-MD'),
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port (reported in the ready line as marketDataPort). */
    port: z
      .number({ error: 'marketData.port must be a number' })
      .int({ error: 'marketData.port must be 0-65535' })
      .min(0, { error: 'marketData.port must be 0-65535' })
      .max(65535, { error: 'marketData.port must be 0-65535' }),
    fixVersion: z.enum(FIX_VERSIONS, { error: `marketData.fixVersion must be one of ${FIX_VERSIONS.join(', ')}` }).default('FIX.4.4'),
    /** The venue's CompID (the desk's marketData.targetCompId), and the desk's. */
    senderCompId: identifier('marketData.senderCompId', 32),
    targetCompId: identifier('marketData.targetCompId', 32),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
    /**
     * Instruments the venue quotes beyond those the brokers trade (`instruments`), by id, each with its
     * market: priced by the same market; an order for one is rejected as the brokers do not trade it.
     */
    instruments: z.record(z.string().min(1), instrumentMarketSchema).default({}),
  })
  .strict();
export type SimulatedMarketDataConfig = z.infer<typeof simulatedMarketDataSchema>;

export const simulatorConfigSchema = z
  .object({
    /** Seed of the price random walk: the same seed gives the same prices tick by tick. */
    seed: z.number().int().default(1),
    tickIntervalMs: z.number().int().min(1).max(3_600_000).default(250),
    ackDelayMs: z.number().int().min(0).max(60_000).default(0),
    fills: fillSettingsSchema.default({ enabled: true, intervalMs: 200, fraction: 0.25 }),
    /**
     * The control channel for scripted tests: HTTP on 127.0.0.1 (port 0 picks a free one, reported in
     * the ready line). Not started unless configured.
     */
    control: z
      .union([z.number().int().min(0).max(65535), z.object({ port: z.number().int().min(0).max(65535) }).strict()])
      .transform((c) => (typeof c === 'number' ? { port: c } : c))
      .optional(),
    /** Every ClOrdID received is appended here, one per line (for tests: no ClOrdID may arrive twice). */
    journalFile: z.string().min(1).optional(),
    /**
     * Where the simulator keeps its state, so a restarted simulator is the same broker: each broker's
     * order book (orders, ClOrdID chains, executions, ID counters) and each FIX session's sequence
     * numbers and sent messages (to answer ResendRequests after a restart). Without it, all in memory.
     */
    stateDir: z.string().min(1).optional(),
    brokers: z.array(simulatedBrokerSchema).min(1, { error: 'at least one broker is required' }),
    /**
     * The instrument master the brokers know (CSV, config/instruments.csv's format); a relative path is
     * relative to this config file. Default: the desk's shipped file.
     */
    instrumentsFile: z.string().min(1).optional(),
    /**
     * The instruments the brokers trade, by id, each with its market: a base instrument (equity, future,
     * FX spot, bond in % of par) needs its referencePrice; options and FX forwards of a listed
     * underlying or spot are priced from it (Black–Scholes, covered interest parity) and need no entry.
     * An order for any other instrument is rejected as real engines do (OrdRejReason 1, unknown symbol).
     */
    instruments: z.record(z.string().min(1), instrumentMarketSchema).refine((r) => Object.keys(r).length > 0, { error: 'at least one instrument is required' }),
    /** The market's date (YYYY-MM-DD): option expiries, FX value dates. Default: today (UTC) at each use. */
    tradeDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'tradeDate must be YYYY-MM-DD' }).optional(),
    /** Money-market rates per currency (0.045 = 4.5 %): FX forwards and option prices. */
    rates: z.record(z.string().regex(/^[A-Z]{3}$/, { error: 'a rate is keyed by an ISO currency code' }), z.number().min(-0.5).max(1)).default({}),
    /** Implied volatility of the options on an underlying, by the underlying's id (default 0.25). */
    optionVolatility: z.record(z.string().min(1), z.number().gt(0).max(5)).optional(),
    marketData: simulatedMarketDataSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const unique = <T>(items: readonly T[], key: (t: T) => string, path: string, what: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const k = key(item);
        if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [path, i], message: `duplicate ${what} ${k}` });
        seen.add(k);
      });
    };
    unique(c.brokers, (b) => b.name, 'brokers', 'broker name');
    unique(c.brokers.filter((b) => b.port !== 0), (b) => String(b.port), 'brokers', 'port');
    const md = c.marketData;
    if (md !== undefined && md.port !== 0) {
      const clash = c.brokers.findIndex((b) => b.port === md.port || b.dropCopy?.port === md.port);
      if (clash >= 0) ctx.addIssue({ code: 'custom', path: ['marketData', 'port'], message: `port ${md.port} is broker ${c.brokers[clash]!.name}'s` });
    }
  });
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
/** What a caller writes: defaults may be left out. */
export type SimulatorConfigInput = z.input<typeof simulatorConfigSchema>;

/** The error names every bad field: `brokers[1].port: port must be 0-65535`. */
export function parseSimulatorConfig(value: unknown, source = 'config'): SimulatorConfig {
  return parseConfig(simulatorConfigSchema, value, 'simulator configuration', source);
}

/** The config file, with its `instrumentsFile` made absolute (relative to the file's folder). */
export function loadSimulatorConfig(path: string): SimulatorConfig {
  const config = loadJsonConfig(simulatorConfigSchema, path, 'simulator configuration');
  return config.instrumentsFile === undefined ? config : { ...config, instrumentsFile: resolve(dirname(path), config.instrumentsFile) };
}

/** The settings that apply to one broker: its own, else the global ones. */
export function brokerSettings(config: SimulatorConfig, broker: SimulatedBrokerConfig): { ackDelayMs: number; fills: FillSettings } {
  return { ackDelayMs: broker.ackDelayMs ?? config.ackDelayMs, fills: broker.fills ?? config.fills };
}
