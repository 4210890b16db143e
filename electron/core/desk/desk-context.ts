import type { AlgoDefinitions } from '../../../shared/domain/broker-algo';
import type { BrokerConnection, OutboundMessage } from '../broker/broker-port';
import type { DeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import type { Journal } from '../journal/journal';
import type { InstrumentMaster } from '../instruments/instrument-master';
import type { Folded } from '../journal/read-model';
import { applyAll } from '../journal/read-model';
import type { Logger } from '../log/logger';
import type { AlertDraft, OrderBookView } from '../orders/order-book';
import type { Clock } from '../time/clock';
import { isStorageError } from '../sqlite/commit-batch';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { PositionLookup } from '../risk/position-lookup';
import type { ExecIdOwners } from './exec-id-owners';
import type { OrderSummaries } from './order-summaries';
import type { DeskReadModels } from './read-models';
import type { RequestTimeouts } from './request-timeouts';
import type { StreamPublisher } from './stream-publisher';

/** What the command and inbound handlers share. One per desk. */
export interface DeskContext {
  readonly config: DeskConfig;
  /** The instrument master (the config's reference file): what tickets name and FIX messages describe. */
  readonly instruments: InstrumentMaster;
  /** Brokers' own algorithms, from their FIXatdl files (desk/broker-algos.ts), by broker name. */
  readonly brokerAlgos: ReadonlyMap<string, AlgoDefinitions>;
  /** The desk's trading date now (its calendar, on its clock): what FX value dates and bond settlement count from. */
  tradeDate(): string;
  readonly journal: Journal;
  /** The read models (desk/read-models.ts): every journaled event is folded into each. */
  readonly models: DeskReadModels;
  /** Today's orders (the order book's view). */
  readonly orders: OrderBookView;
  /** Every order of every day as the blotter shows it, written in each event's commit (search, history). */
  readonly orderSummaries: OrderSummaries;
  /** What happens live when an event was folded: summaries, publishing, alerts, cross-checks (create-desk.ts). */
  readonly effects: (event: DeskEvent, seq: number, folded: Folded<DeskReadModels>) => void;
  /** The timeouts of the requests the desk waits on. */
  readonly requests: RequestTimeouts;
  /** Which order each of today's ExecIDs came for first (a broker reusing ExecIDs). */
  readonly execIdOwners: ExecIdOwners;
  readonly publisher: StreamPublisher;
  readonly clock: Clock;
  readonly log: Logger;
  readonly brokers: ReadonlyMap<string, BrokerConnection>;
  /** Drop-copy sessions, by the name of the broker they copy. */
  readonly dropCopies: ReadonlyMap<string, BrokerConnection>;
  /** Sessions a person logged out from the session monitor (key `role:broker`), and when: they stay out until connected. */
  readonly loggedOut: Map<string, string>;
  /** Rebuilds a broker's session view now and publishes it if it changed. */
  refreshSession(broker: string): void;
  /** Who acts on this desk, for the audit trail of a person's actions (settling an order, acknowledging alerts). */
  readonly operator: string;
  /** The latest quote the desk holds for an instrument (the risk checks' reference price). */
  quote(instrumentId: string): QuoteView | undefined;
  /** The fund's positions (short sale, reduce-only). */
  readonly positions: PositionLookup;
  now(): string;
  /** Throws while the desk reads its state back after a failed commit (desk/storage-failure.ts): nothing journals then. */
  storage?: { check(): void };
}

/**
 * The write-ahead rule in one place: journal first, then fold into every read model, then the live
 * effects of what the fold did. Inside the open unit of work (a command's group commit, a socket
 * read's batch) it joins it; else it is a batch of its own. What the effects journal (the alerts an
 * event raises) commits with it.
 */
export function record(ctx: DeskContext, event: DeskEvent): Folded<DeskReadModels> {
  ctx.storage?.check();
  return ctx.journal.batch(() => fold(ctx, event, ctx.journal.append(event)));
}

/** Like `record`, for events that carry a fresh ClOrdID allocated in the same transaction. */
export function recordWithClOrdId<E extends DeskEvent>(ctx: DeskContext, build: (clOrdId: string) => E): E {
  ctx.storage?.check();
  return ctx.journal.batch(() => {
    const { seq, event } = ctx.journal.appendWithClOrdId(build);
    fold(ctx, event, seq);
    return event as E;
  });
}

function fold(ctx: DeskContext, event: DeskEvent, seq: number): Folded<DeskReadModels> {
  const folded = applyAll(ctx.models, event, seq);
  ctx.effects(event, seq, folded);
  return folded;
}

/**
 * Raises an alert: journaled (in the open unit of work, if any), folded into the alert list,
 * published, logged. Never throws into its caller (a FIX session, a timer): a failure is logged.
 */
export function raiseAlert(ctx: DeskContext, alert: AlertDraft, at = ctx.now()): void {
  try {
    record(ctx, { type: 'alertRaised', at, ...alert });
  } catch (error) {
    ctx.log.error('could not journal an alert', { alert: alert.message, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Sends a message about an order, and journals what the session stored (`fixMessageSent`, the
 * audit trail of the order) beside the request it carries, in the same unit of work. True when
 * stored and on its way; false when the session is down (nothing sent); the error text when the
 * FIX layer refused the message (a bug upstream: nothing sent either).
 */
export function sendForOrder(ctx: DeskContext, connection: BrokerConnection, orderId: string, message: OutboundMessage): true | false | string {
  let sent;
  try {
    sent = connection.send(message);
  } catch (error) {
    if (isStorageError(error)) throw error; // its session could not store it: nothing was sent, the unit of work fails
    ctx.log.error('outbound message refused by the FIX layer', { broker: connection.broker, orderId, error: String(error) });
    return error instanceof Error ? error.message : String(error);
  }
  if (sent === undefined) return false;
  record(ctx, { type: 'fixMessageSent', at: ctx.now(), orderId, broker: connection.broker, msgType: sent.msgType, raw: sent.raw });
  return true;
}
