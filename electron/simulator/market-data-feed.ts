import type { Decimal } from 'decimal.js';
import type { FixVersion } from '../core/config/desk-config';
import { groupsOf } from '../core/fix/dictionary/fix-groups';
import type { FixEntry } from '../core/fix/fix-groups-reader';
import { readGroups } from '../core/fix/fix-groups-reader';
import type { FixSessionSettings, InboundApplication } from '../core/fix/fix-session';
import { fixDialect } from '../core/fix/fix-dialect';
import { identifyInstrument } from '../core/fix/instrument-identity';
import type { FixField } from '../core/fix/fix-wire';
import type { InstrumentMaster } from '../core/instruments/instrument-master';
import type { Logger } from '../core/log/logger';
import { FixAcceptor } from './fix-acceptor';
import type { InstrumentMarket, InstrumentQuote } from './instrument-market';

export interface MarketDataFeedOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly fixVersion: FixVersion;
  /** The feed's CompID, and the desk's. */
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly heartbeatSeconds: number;
  readonly market: InstrumentMarket;
  readonly master: InstrumentMaster;
  readonly log: Logger;
}

/** MDEntryType codes the feed knows, and the quote figure each carries. */
const ENTRY_FIGURES: ReadonlyArray<readonly [code: string, price: keyof InstrumentQuote | undefined, size: keyof InstrumentQuote | undefined]> = [
  ['0', 'bid', 'bidSize'],
  ['1', 'ask', 'askSize'],
  ['2', 'last', 'lastSize'],
  ['4', 'open', undefined],
  ['5', 'close', undefined],
  ['7', 'high', undefined],
  ['8', 'low', undefined],
  ['B', undefined, 'volume'],
];

interface Subscription {
  readonly reqId: string;
  readonly instrumentId: string;
  /** For an FX outright: the value date the prices are for. */
  readonly valueDate?: string;
  readonly instrumentFields: readonly FixField[];
  readonly types: ReadonlySet<string>;
  /** Incremental refreshes (265=1), or a full snapshot at every change (265=0). */
  readonly incremental: boolean;
  /** What the desk was last told, per entry type: "price|size". */
  readonly sent: Map<string, string>;
}

/**
 * The simulator's market-data venue: a FIX acceptor answering MarketDataRequest (35=V) for
 * instruments of the master with a snapshot (W) and then, after every market tick that changed
 * them, incremental refreshes (X) — or a full refresh each time when the desk asks for that —
 * until it unsubscribes (263=2). Unknown instruments, duplicate request ids and unsupported
 * requests get a MarketDataRequestReject (Y) with the reason. Subscriptions end with the session;
 * market data is never stored for a resend (a ResendRequest is gap-filled: quotes go stale).
 */
export class MarketDataFeed {
  private readonly acceptor: FixAcceptor;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly settings: FixSessionSettings;

  constructor(private readonly options: MarketDataFeedOptions) {
    const dialect = fixDialect(options.fixVersion);
    this.settings = {
      role: 'acceptor',
      beginString: dialect.beginString,
      senderCompId: options.senderCompId,
      targetCompId: options.targetCompId,
      heartbeatSeconds: options.heartbeatSeconds,
      resetOnLogon: false,
      replayMsgTypes: [],
    };
    this.acceptor = new FixAcceptor({
      name: options.name,
      host: options.host,
      port: options.port,
      settings: this.settings,
      storeMaxRows: 10_000,
      log: options.log,
      checkLogon: () => undefined,
      onApplication: (m) => this.onApplication(m),
      onSessionEnded: () => this.subscriptions.clear(),
    });
  }

  listen(): Promise<number> {
    return this.acceptor.listen();
  }

  close(): Promise<void> {
    return this.acceptor.close();
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  get loggedOn(): boolean {
    return this.acceptor.loggedOn;
  }

  /** Drops the desk's connection without a Logout (the control channel's fault). */
  disconnect(): string {
    return this.acceptor.fault({ kind: 'disconnect' });
  }

  /** After a market tick: refreshes for every subscription whose instrument changed. */
  publish(changed: readonly string[]): void {
    if (this.subscriptions.size === 0 || !this.acceptor.loggedOn) return;
    const ids = new Set(changed);
    for (const s of this.subscriptions.values()) {
      if (s.valueDate === undefined && !ids.has(s.instrumentId)) continue;
      this.refresh(s);
    }
  }

  private onApplication(m: InboundApplication): void {
    if (m.msgType !== 'V') {
      this.options.log.info('market-data feed ignores a message it does not serve', { msgType: m.msgType });
      return;
    }
    const read = readGroups(m.fields, groupsOf(this.options.fixVersion, 'V'));
    const reqId = m.fields.find(([tag]) => tag === 262)?.[1];
    if (reqId === undefined) {
      this.acceptor.sessionReject(m.seqNum, 'V', 1, 'MDReqID (262) is required', 262);
      return;
    }
    if (!read.ok) return this.reject(reqId, undefined, read.problem.text);
    const request = read.message;
    const kind = request.fields.get(263);
    if (kind === '2') {
      for (const key of [...this.subscriptions.keys()]) if (key.startsWith(`${reqId}\u0000`)) this.subscriptions.delete(key);
      return;
    }
    if (kind !== '0' && kind !== '1') return this.reject(reqId, '4', `SubscriptionRequestType '${kind ?? ''}'`);
    const depth = request.fields.get(264);
    if (depth !== '0' && depth !== '1') return this.reject(reqId, '5', `MarketDepth '${depth ?? ''}': top of book only`);
    const updateType = request.fields.get(265) ?? '1';
    if (updateType !== '0' && updateType !== '1') return this.reject(reqId, '6', `MDUpdateType '${updateType}'`);
    if ([...this.subscriptions.keys()].some((k) => k.startsWith(`${reqId}\u0000`))) return this.reject(reqId, '1', `MDReqID ${reqId} is already subscribed`);
    const types = new Set((request.groups.get(267) ?? []).map((e) => e.fields.get(269) ?? ''));
    const unsupported = [...types].filter((t) => !ENTRY_FIGURES.some(([code]) => code === t));
    if (unsupported.length > 0) return this.reject(reqId, '8', `MDEntryType ${unsupported.join(', ')}`);
    const symbols = request.groups.get(146) ?? [];
    if (symbols.length === 0) return this.reject(reqId, '0', 'no instrument (NoRelatedSym 146)');
    const found: Subscription[] = [];
    for (const entry of symbols) {
      const identified = identifyInstrument(entry.fields, this.options.master);
      if ('problem' in identified) return this.reject(reqId, '0', identified.problem);
      const valueDate = identified.instrument.assetClass === 'fx' ? identified.valueDate : undefined;
      found.push({
        reqId,
        instrumentId: identified.instrument.id,
        ...(valueDate !== undefined && { valueDate }),
        instrumentFields: instrumentOf(entry),
        types,
        incremental: updateType === '1',
        sent: new Map(),
      });
    }
    for (const s of found) {
      this.snapshot(s);
      if (kind === '1') this.subscriptions.set(`${reqId}\u0000${s.instrumentId}\u0000${s.valueDate ?? ''}`, s);
    }
  }

  private quoteOf(s: Subscription): InstrumentQuote | undefined {
    return s.valueDate !== undefined ? this.options.market.fxQuote(s.instrumentId, s.valueDate) : this.options.market.quote(s.instrumentId);
  }

  private snapshot(s: Subscription): void {
    const quote = this.quoteOf(s);
    if (quote === undefined) return;
    const entries: FixField[] = [];
    let count = 0;
    s.sent.clear();
    for (const [code, price, size] of this.figures(s, quote)) {
      entries.push([269, code], ...(price !== undefined ? ([[270, price]] as FixField[]) : []), ...(size !== undefined ? ([[271, size]] as FixField[]) : []));
      s.sent.set(code, `${price ?? ''}|${size ?? ''}`);
      count++;
    }
    this.lastVolume.set(s, quote.volume);
    this.acceptor.sendIfLoggedOn('W', [[262, s.reqId], ...s.instrumentFields, [268, String(count)], ...entries]);
  }

  private refresh(s: Subscription): void {
    if (!s.incremental) return this.snapshot(s);
    const quote = this.quoteOf(s);
    if (quote === undefined) return;
    const entries: FixField[] = [];
    let count = 0;
    const symbol = s.instrumentFields.find(([tag]) => tag === 55)?.[1] ?? '[N/A]';
    const now = new Map<string, string>();
    for (const [code, price, size] of this.figures(s, quote)) {
      const value = `${price ?? ''}|${size ?? ''}`;
      now.set(code, value);
      const before = s.sent.get(code);
      // A trade prints anew even at the same price and size; the other figures only when they moved.
      const printed = code === '2' && !quote.volume.equals(this.lastVolume.get(s) ?? quote.volume);
      if (before === value && !printed) continue;
      entries.push([279, before === undefined || code === '2' ? '0' : '1'], [269, code], [55, symbol]);
      if (price !== undefined) entries.push([270, price]);
      if (size !== undefined) entries.push([271, size]);
      count++;
    }
    for (const code of s.sent.keys()) {
      if (now.has(code)) continue;
      entries.push([279, '2'], [269, code], [55, symbol]);
      count++;
    }
    this.lastVolume.set(s, quote.volume);
    s.sent.clear();
    for (const [code, value] of now) s.sent.set(code, value);
    if (count > 0) this.acceptor.sendIfLoggedOn('X', [[262, s.reqId], [268, String(count)], ...entries]);
  }

  private readonly lastVolume = new WeakMap<Subscription, Decimal>();

  /** The requested entries the quote has, as text: [code, price, size]. FIX 4.2 has no volume entry. */
  private figures(s: Subscription, quote: InstrumentQuote): Array<readonly [string, string | undefined, string | undefined]> {
    const out: Array<readonly [string, string | undefined, string | undefined]> = [];
    for (const [code, priceKey, sizeKey] of ENTRY_FIGURES) {
      if (!s.types.has(code)) continue;
      if (code === 'B' && this.options.fixVersion === 'FIX.4.2') continue;
      const price = priceKey !== undefined ? text(quote[priceKey]) : undefined;
      const size = sizeKey !== undefined ? text(quote[sizeKey]) : undefined;
      if ((priceKey !== undefined && price === undefined) || (priceKey === undefined && size === undefined)) continue;
      out.push([code, price, size]);
    }
    return out;
  }

  private reject(reqId: string, reason: string | undefined, text: string): void {
    this.options.log.info('market-data request refused', { reqId, reason, text });
    this.acceptor.sendIfLoggedOn('Y', [[262, reqId], ...(reason !== undefined ? ([[281, reason]] as FixField[]) : []), [58, text]]);
  }
}

/** The instrument fields of a NoRelatedSym entry, echoed on the snapshots. */
function instrumentOf(entry: FixEntry): FixField[] {
  return [...entry.fields].filter(([tag]) => tag !== 146);
}

function text(value: unknown): string | undefined {
  return value === undefined ? undefined : (value as Decimal).toFixed();
}
