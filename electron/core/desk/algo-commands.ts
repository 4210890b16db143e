import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DeskConfig } from '../config/desk-config';
import { ConfigError } from '../config/desk-config';
import type { AlgoParams, AlgoParentRequest, AlgoStarted, AmendAlgoRequest, StartAlgoRequest } from '../../../shared/contract/algos';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { Result } from '../../../shared/contract/result';
import { fail, failWithCodes, ok } from '../../../shared/contract/result';
import type { AlgoAction, MarketNow } from '../algos/algo-decision';
import type { AlgoParent } from '../algos/algo-parent';
import { isLive } from '../algos/algo-state-table';
import type { VolumeProfiles } from '../algos/volume-profile';
import { parseVolumeProfiles, profileFor } from '../algos/volume-profile';
import { Dec, decimalString } from '../decimal/decimal';
import { ticketProblems } from '../instruments/ticket-rules';
import type { AlgoParentStarted } from '../journal/algo-events';
import type { DeskContext } from './desk-context';
import { raiseAlert, record, recordWithClOrdId } from './desk-context';
import { knownInstrument } from './instrument-commands';
import { cancelChild, submitChild } from './order-commands';

export interface AlgoDeps {
  /** The live quote of an instrument (the desk's market data), if any. */
  quote(instrumentId: string): QuoteView | undefined;
  /** Per-instrument VWAP profiles (the config's file); absent: the U-shaped default for every instrument. */
  readonly profiles?: VolumeProfiles;
  /** The seed of a parent's randomisation: journaled with it. Default: random. */
  seed?(): number;
}

/** The config's VWAP profiles file, validated whole; undefined when none is configured. Throws a ConfigError naming the problem. */
export function loadVolumeProfiles(config: DeskConfig): VolumeProfiles | undefined {
  if (config.volumeProfiles === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(config.volumeProfiles, 'utf8');
  } catch (error) {
    throw new ConfigError(`volume profiles ${config.volumeProfiles}: cannot read it (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = parseVolumeProfiles(text);
  if (!parsed.ok) throw new ConfigError(`${config.volumeProfiles}: ${parsed.error}`);
  return parsed.profiles;
}

/** A TWAP or VWAP without a slice count: one a minute, 1 to 1,000. */
const defaultSlices = (spanMs: number) => Math.max(1, Math.min(1_000, Math.round(spanMs / 60_000)));

export function startAlgo(ctx: DeskContext, request: StartAlgoRequest, deps: AlgoDeps): Promise<Result<AlgoStarted>> {
  return ctx.journal.groupCommit(() => start(ctx, request, deps));
}

export function pauseAlgo(ctx: DeskContext, request: AlgoParentRequest): Promise<Result<AlgoStarted>> {
  return ctx.journal.groupCommit(() =>
    withParent(ctx, request.parentId, ['running'], 'pause', (p) => void record(ctx, { type: 'algoParentPaused', at: ctx.now(), parentId: p.parentId, by: ctx.operator })),
  );
}

export function resumeAlgo(ctx: DeskContext, request: AlgoParentRequest): Promise<Result<AlgoStarted>> {
  return ctx.journal.groupCommit(() =>
    withParent(ctx, request.parentId, ['paused'], 'resume', (p) => void record(ctx, { type: 'algoParentResumed', at: ctx.now(), parentId: p.parentId, by: ctx.operator })),
  );
}

/** Cancels the parent: its working children are cancelled (by the scheduler, through the order path), then it is cancelled. */
export function cancelAlgo(ctx: DeskContext, request: AlgoParentRequest): Promise<Result<AlgoStarted>> {
  return ctx.journal.groupCommit(() =>
    withParent(ctx, request.parentId, ['running', 'paused', 'ending'], 'cancel', (p) => void record(ctx, { type: 'algoParentCancelled', at: ctx.now(), parentId: p.parentId, by: ctx.operator })),
  );
}

export function amendAlgo(ctx: DeskContext, request: AmendAlgoRequest): Promise<Result<AlgoStarted>> {
  return ctx.journal.groupCommit(() => amend(ctx, request));
}

function start(ctx: DeskContext, r: StartAlgoRequest, deps: AlgoDeps): Result<AlgoStarted> {
  if (!ctx.brokers.has(r.broker)) return fail('UNKNOWN_BROKER', `no broker named ${r.broker}`, { broker: 'unknown broker' });
  if (!ctx.config.accounts.includes(r.account)) return fail('INVALID_REQUEST', `unknown account ${r.account}`, { account: 'unknown account' });
  const known = knownInstrument(ctx, r.instrumentId);
  if (!known.ok) return known.result;
  const { instrument } = known;
  const nowMs = ctx.clock.now().getTime();
  const fields: Record<string, string> = {};
  const startTime = r.startTime ?? new Date(nowMs).toISOString();
  const startMs = Date.parse(startTime);
  const endMs = Date.parse(r.endTime);
  if (endMs <= nowMs) fields.endTime = 'end time must be in the future';
  if (endMs <= startMs) fields.endTime = 'end time must be after the start time';
  const quantity = new Dec(r.quantity);
  if (r.minChildQty !== undefined && r.maxChildQty !== undefined && new Dec(r.minChildQty).greaterThan(r.maxChildQty)) fields.minChildQty = 'min child size must not exceed max child size';
  if (r.displayQty !== undefined && new Dec(r.displayQty).greaterThan(quantity)) fields.displayQty = 'display quantity must not exceed the quantity';
  if (r.wouldPrice !== undefined && r.limitPrice !== undefined && (r.side === 'buy' ? new Dec(r.wouldPrice).greaterThan(r.limitPrice) : new Dec(r.wouldPrice).lessThan(r.limitPrice))) {
    fields.wouldPrice = 'the would price must be within the limit';
  }
  if (Object.keys(fields).length > 0) return fail('INVALID_REQUEST', Object.values(fields).join('; '), fields);
  const problems = ticketProblems(instrument, { quantity: r.quantity, ...(r.limitPrice !== undefined && { limitPrice: r.limitPrice }) }, ctx.tradeDate());
  for (const [field, value] of [['displayQty', r.displayQty], ['minChildQty', r.minChildQty], ['maxChildQty', r.maxChildQty]] as const) {
    const p = value === undefined ? undefined : ticketProblems(instrument, { quantity: value }, ctx.tradeDate()).quantity;
    if (p !== undefined) problems[field] = p;
  }
  if (Object.keys(problems).length > 0) return failWithCodes('INVALID_REQUEST', Object.values(problems).map((p) => p.message).join('; '), problems);

  const quote = deps.quote(r.instrumentId);
  const market = marketNow(quote);
  if (r.strategy === 'pov' && market?.volume === undefined) return fail('NO_MARKET_DATA', `a POV needs the market's volume of ${r.instrumentId}: no live quote`);
  const sliced = r.strategy === 'twap' || r.strategy === 'vwap';
  const slices = sliced ? (r.slices ?? defaultSlices(endMs - startMs)) : undefined;
  const params: AlgoParams = { ...r, startTime, ...(slices !== undefined && { slices }) };
  const arrival = arrivalPrice(market);
  const event = recordWithClOrdId<AlgoParentStarted>(ctx, (clOrdId) => ({
    type: 'algoParentStarted',
    at: ctx.now(),
    parentId: `algo-${clOrdId}`,
    by: ctx.operator,
    params,
    lotSize: instrument.lotSize,
    tickSize: instrument.tickSize,
    seed: deps.seed?.() ?? randomInt(0, 2 ** 31),
    ...(r.strategy === 'vwap' && { profile: profileFor(deps.profiles, r.instrumentId, slices ?? 1) }),
    ...(arrival !== undefined && { arrivalPrice: decimalString(arrival) }),
    ...(market?.volume !== undefined && { arrivalVolume: decimalString(market.volume) }),
    ...(quote?.vwap !== undefined && { arrivalVwap: quote.vwap }),
  }));
  return ok({ parentId: event.parentId });
}

function amend(ctx: DeskContext, r: AmendAlgoRequest): Result<AlgoStarted> {
  return withParent(ctx, r.parentId, ['running', 'paused'], 'amend', (p) => {
    const fields: Record<string, string> = {};
    if (r.quantity !== undefined && new Dec(r.quantity).lessThan(p.cumQty)) fields.quantity = `the quantity cannot go below the ${decimalString(p.cumQty)} filled`;
    if (r.endTime !== undefined && Date.parse(r.endTime) <= ctx.clock.now().getTime()) fields.endTime = 'end time must be in the future';
    const instrument = ctx.instruments.get(p.params.instrumentId);
    if (instrument !== undefined) {
      const problems = ticketProblems(instrument, { ...(r.quantity !== undefined && { quantity: r.quantity }), ...(r.limitPrice !== undefined && { limitPrice: r.limitPrice }) }, ctx.tradeDate());
      for (const [field, problem] of Object.entries(problems)) if (field === 'quantity' || field === 'limitPrice') fields[field] = problem.message;
    }
    if (Object.keys(fields).length > 0) return fail('INVALID_REQUEST', Object.values(fields).join('; '), fields);
    record(ctx, {
      type: 'algoParentAmended',
      at: ctx.now(),
      parentId: p.parentId,
      by: ctx.operator,
      ...(r.quantity !== undefined && { quantity: r.quantity }),
      ...(r.limitPrice !== undefined && { limitPrice: r.limitPrice }),
      ...(r.endTime !== undefined && { endTime: r.endTime }),
    });
  });
}

function withParent(ctx: DeskContext, parentId: string, allowed: readonly AlgoParent['status'][], action: string, fn: (p: AlgoParent) => Result<never> | void): Result<AlgoStarted> {
  const p = ctx.models.algoParents.view.get(parentId);
  if (p === undefined) return fail('UNKNOWN_PARENT', `no algo parent ${parentId}`);
  if (!allowed.includes(p.status)) return fail('PARENT_NOT_WORKABLE', `cannot ${action} ${parentId}: it is ${p.status}`);
  const refused = fn(p);
  return refused ?? ok({ parentId });
}

/**
 * The scheduler's decision carried out in one unit of work: children submitted and cancelled through
 * the order path (their events name the parent), the parent flagged or ended. A child the desk
 * refuses without journaling anything (its ticket does not fit: a bug or a changed master) flags the
 * parent, so the scheduler never loops on it.
 */
export function actForParent(ctx: DeskContext, p: AlgoParent, actions: readonly AlgoAction[]): Promise<void> {
  const done = ctx.journal.groupCommit(() => {
    for (const a of actions) {
      if (!isLive(ctx.models.algoParents.view.get(p.parentId)?.status ?? 'cancelled')) return;
      switch (a.kind) {
        case 'send': {
          const result = submitChild(
            ctx,
            {
              instrumentId: p.params.instrumentId,
              side: p.params.side,
              quantity: decimalString(a.quantity),
              orderType: a.limitPrice !== undefined ? 'limit' : 'market',
              ...(a.limitPrice !== undefined && { limitPrice: decimalString(a.limitPrice) }),
              timeInForce: 'day',
              account: p.params.account,
              broker: p.params.broker,
            },
            p.parentId,
          );
          if (!result.ok && result.error.code !== 'BROKER_UNAVAILABLE' && result.error.code !== 'INTERNAL') {
            record(ctx, { type: 'algoParentFlagged', at: ctx.now(), parentId: p.parentId, reason: `a child was refused: ${result.error.message}` });
          }
          break;
        }
        case 'cancelChild':
          cancelChild(ctx, a.orderId);
          break;
        case 'flag':
          record(ctx, { type: 'algoParentFlagged', at: ctx.now(), parentId: p.parentId, reason: a.reason });
          raiseAlert(ctx, { level: 'warning', code: 'ALGO_FLAGGED', message: `Algo ${p.parentId} (${p.params.strategy} ${p.params.side} ${p.params.instrumentId}) paused: ${a.reason}` });
          break;
        case 'end':
          record(ctx, { type: 'algoParentEnded', at: ctx.now(), parentId: p.parentId });
          break;
      }
    }
  });
  done.catch((error: unknown) => ctx.log.error('an algo decision could not be journaled', { parentId: p.parentId, error: error instanceof Error ? error.message : String(error) }));
  return done;
}

/** The quote in exact decimals (a stale one still tells the volume; its prices are not used). */
export function marketNow(q: QuoteView | undefined): MarketNow | undefined {
  if (q === undefined || q.rejected !== undefined) return undefined;
  const fresh = !q.stale;
  return {
    ...(fresh && q.bid !== undefined && { bid: new Dec(q.bid) }),
    ...(fresh && q.ask !== undefined && { ask: new Dec(q.ask) }),
    ...(fresh && q.last !== undefined && { last: new Dec(q.last) }),
    ...(q.volume !== undefined && { volume: new Dec(q.volume) }),
  };
}

function arrivalPrice(m: MarketNow | undefined): Dec | undefined {
  if (m?.bid !== undefined && m.ask !== undefined) return m.bid.plus(m.ask).dividedBy(2);
  return m?.last;
}
