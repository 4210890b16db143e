import { createHash } from 'node:crypto';
import type { RiskLimits } from '../config/risk-limits-config';
import { NO_RISK_LIMITS, riskLimitsSchema } from '../config/risk-limits-config';
import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';

type Loaded = readonly [hash: string, json: string, at: string, by: string];

export interface RiskLimitsStateView {
  readonly limits: RiskLimits;
  readonly hash: string;
  readonly loadedAt?: string;
  readonly loadedBy?: string;
}

/**
 * The risk limits in force: the last `riskLimitsLoaded` (none: no limits). The journal, not the
 * file, is the truth: a restarted desk checks against what it journaled, and journals the file's
 * limits when they differ.
 */
export class RiskLimitsState implements ReadModel<boolean, { current(): RiskLimitsStateView }, { loaded: Loaded }> {
  readonly name = 'riskLimits';
  readonly version = 1;
  readonly parts = { loaded: LOADED_CODEC };
  private loaded: Loaded | undefined;
  private current: RiskLimitsStateView = { limits: NO_RISK_LIMITS, hash: limitsHash(NO_RISK_LIMITS) };
  readonly view = { current: () => this.current };

  apply(event: DeskEvent): boolean {
    if (event.type !== 'riskLimitsLoaded') return false;
    this.set([event.hash, JSON.stringify(event.limits), event.at, event.by]);
    return true;
  }

  capture() {
    return { loaded: this.loaded === undefined ? [] : [this.loaded] };
  }

  restore(parts: { readonly loaded: readonly Loaded[] }): void {
    const loaded = parts.loaded[0];
    if (loaded === undefined) {
      this.loaded = undefined;
      this.current = { limits: NO_RISK_LIMITS, hash: limitsHash(NO_RISK_LIMITS) };
    } else this.set(loaded);
  }

  private set(loaded: Loaded): void {
    this.loaded = loaded;
    this.current = { limits: riskLimitsSchema.parse(JSON.parse(loaded[1])), hash: loaded[0], loadedAt: loaded[2], loadedBy: loaded[3] };
  }
}

/** sha-256 of the limits' canonical JSON (keys sorted at every level). */
export function limitsHash(limits: RiskLimits): string {
  return createHash('sha256').update(canonicalJson(limits)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const LOADED_CODEC: PartCodec<Loaded> = {
  entriesPerBlock: 1,
  write: (l, w) => {
    w.inline(l[0]);
    w.inline(l[1]);
    w.inline(l[2]);
    w.str(l[3]);
  },
  read: (r): Loaded => [r.str(), r.str(), r.str(), r.str()],
};
