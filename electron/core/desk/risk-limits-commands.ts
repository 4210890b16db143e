import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { RiskLimitsReloaded, RiskLimitsView, RiskLimitUsage } from '../../../shared/contract/risk';
import type { Threshold } from '../config/risk-limits-config';
import { NO_RISK_LIMITS, riskLimitsSchema, type RiskLimits } from '../config/risk-limits-config';
import { ConfigError, loadJsonConfig } from '../config/json-config';
import { Dec, decimalString } from '../decimal/decimal';
import { accountLimits } from '../risk/limit-resolution';
import { limitsHash } from '../risk/risk-limits-state';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/** The limits the config names: its file (read and validated whole: throws a ConfigError), its inline limits, or none. */
export function configuredRiskLimits(ctx: Pick<DeskContext, 'config'>): RiskLimits {
  const source = ctx.config.riskLimits;
  if (source === undefined) return NO_RISK_LIMITS;
  if (typeof source === 'string') return loadJsonConfig(riskLimitsSchema, source, 'risk limits');
  return source;
}

/** Journals the limits when they differ from those in force (at a start, and at a reload). */
export function journalRiskLimits(ctx: DeskContext, limits: RiskLimits, source: 'start' | 'reload'): RiskLimitsReloaded {
  const hash = limitsHash(limits);
  if (hash === ctx.models.riskLimits.view.current().hash) return { hash, changed: false };
  record(ctx, { type: 'riskLimitsLoaded', at: ctx.now(), by: ctx.operator, source, hash, limits: limits as unknown as Record<string, unknown> });
  ctx.log.info('risk limits loaded', { source, hash });
  return { hash, changed: true };
}

/** Reads the limits file again: a bad file is refused with every bad field, and the limits in force stay. */
export function reloadRiskLimits(ctx: DeskContext): Promise<Result<RiskLimitsReloaded>> {
  return ctx.journal.groupCommit(() => {
    let limits: RiskLimits;
    try {
      limits = configuredRiskLimits(ctx);
    } catch (error) {
      if (error instanceof ConfigError) return fail('INVALID_REQUEST', `risk limits not reloaded, the limits in force stay: ${error.message}`);
      throw error;
    }
    return ok(journalRiskLimits(ctx, limits, 'reload'));
  });
}

/** The limits in force and what each account uses of them now. */
export function riskLimitsView(ctx: DeskContext): Result<RiskLimitsView> {
  const current = ctx.models.riskLimits.view.current();
  const usage: RiskLimitUsage[] = [];
  for (const account of ctx.config.accounts) {
    const limits = accountLimits(current.limits, account);
    usage.push(usageOf('dailyGrossNotional', account, ctx.models.riskUsage.view.dailyGross(account), limits.maxDailyGrossNotional));
    usage.push(usageOf('openOrders', account, new Dec(ctx.models.openOrdersByAccount.view.count(account)), limits.maxOpenOrders));
  }
  return ok({
    hash: current.hash,
    ...(current.loadedAt !== undefined && { loadedAt: current.loadedAt }),
    baseCurrency: current.limits.baseCurrency,
    limits: current.limits,
    usage,
    tradingState: ctx.models.tradingState.view.state(),
  });
}

function usageOf(limit: string, account: string, used: Dec, threshold: Threshold | undefined): RiskLimitUsage {
  const lowest = threshold?.block ?? threshold?.warn;
  return {
    limit,
    account,
    used: decimalString(used),
    ...(threshold?.warn !== undefined && { warnAt: threshold.warn }),
    ...(threshold?.block !== undefined && { blockAt: threshold.block }),
    ...(lowest !== undefined && { percent: decimalString(used.times(100).dividedBy(lowest).toDecimalPlaces(2)) }),
  };
}
