import type { AlgoParams } from '../../../shared/contract/algos';
import type { DecimalString } from '../../../shared/domain/decimal-string';

/**
 * The algo parents' events (algos/algo-parents.ts folds them). A parent's children are ordinary
 * orders: their `orderSubmitted` / `orderDenied` name the parent (`parentId`), in the commit of the
 * send, so a restarted desk knows every child that may have gone out and sends none twice.
 */
export type AlgoEvent = AlgoParentStarted | AlgoParentPaused | AlgoParentResumed | AlgoParentAmended | AlgoParentCancelled | AlgoParentFlagged | AlgoParentEnded;

export interface AlgoParentStarted {
  readonly type: 'algoParentStarted';
  readonly at: string;
  readonly parentId: string;
  readonly by: string;
  readonly params: AlgoParams;
  /** The instrument's lot and tick when the parent started: children are whole lots, priced on ticks. */
  readonly lotSize: DecimalString;
  readonly tickSize: DecimalString;
  /** The PRNG seed of the randomisation (TWAP sizes and times, iceberg display): the schedule replays the same. */
  readonly seed: number;
  /** VWAP: the volume profile used (weights per slice), as it was when the parent started. */
  readonly profile?: readonly number[];
  /** The mid (or last) of the live quote at the start: what slippage is measured against. */
  readonly arrivalPrice?: DecimalString;
  /** The market's traded volume at the start (POV counts the volume since). */
  readonly arrivalVolume?: DecimalString;
  /** The market's VWAP of the day at the start: with the volume, the interval VWAP since the start is known. */
  readonly arrivalVwap?: DecimalString;
}

export interface AlgoParentPaused {
  readonly type: 'algoParentPaused';
  readonly at: string;
  readonly parentId: string;
  readonly by: string;
}

export interface AlgoParentResumed {
  readonly type: 'algoParentResumed';
  readonly at: string;
  readonly parentId: string;
  readonly by: string;
}

/** The schedule is recomputed from the new terms. A lower quantity waits for working children to be cancelled before it holds. */
export interface AlgoParentAmended {
  readonly type: 'algoParentAmended';
  readonly at: string;
  readonly parentId: string;
  readonly by: string;
  readonly quantity?: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly endTime?: string;
}

/** No new children from now; cancelled once none is working. */
export interface AlgoParentCancelled {
  readonly type: 'algoParentCancelled';
  readonly at: string;
  readonly parentId: string;
  readonly by: string;
}

/** Something needs a person (children rejected past the retry limit): the parent is paused with the reason. */
export interface AlgoParentFlagged {
  readonly type: 'algoParentFlagged';
  readonly at: string;
  readonly parentId: string;
  readonly reason: string;
}

/** The end time came with quantity left: no new children; the working ones are cancelled or left as the parameters say. */
export interface AlgoParentEnded {
  readonly type: 'algoParentEnded';
  readonly at: string;
  readonly parentId: string;
}
