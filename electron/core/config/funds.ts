import { z } from 'zod';
import { identifier } from '../../../shared/contract/ticket';
import { isCurrencyCode } from '../../../shared/domain/instrument-codes';

/**
 * Funds: each account of the desk belongs to exactly one fund, and a fund reports its P&L in its
 * base currency. A config without `funds` gets one fund, DEFAULT_FUND, in USD, holding every account
 * (the configs written before funds existed stay valid and mean what they meant).
 */
export const fundSchema = z
  .object({
    name: identifier('funds[].name', 32),
    baseCurrency: z.string().refine(isCurrencyCode, { error: 'funds[].baseCurrency must be an ISO 4217 currency code, e.g. USD' }),
    accounts: z.array(identifier('funds[].accounts[]', 32)).min(1, { error: 'a fund holds at least one account' }),
  })
  .strict();
export const fundsSchema = z.array(fundSchema).min(1, { error: 'funds, when given, lists at least one fund' });

export type FundConfig = z.infer<typeof fundSchema>;

export const DEFAULT_FUND: Omit<FundConfig, 'accounts'> = { name: 'DESK', baseCurrency: 'USD' };

/** What is wrong with the funds of a config: an account in no fund, in two, or not among the desk's accounts; a fund named twice. */
export function fundsProblems(accounts: readonly string[], funds: readonly FundConfig[] | undefined): Array<{ path: Array<string | number>; message: string }> {
  if (funds === undefined) return [];
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const owner = new Map<string, string>();
  const names = new Set<string>();
  funds.forEach((f, i) => {
    if (names.has(f.name)) problems.push({ path: ['funds', i, 'name'], message: `fund ${f.name} is named twice` });
    names.add(f.name);
    f.accounts.forEach((a, j) => {
      const first = owner.get(a);
      if (first !== undefined) problems.push({ path: ['funds', i, 'accounts', j], message: `account ${a} is already in fund ${first}: an account belongs to one fund` });
      else owner.set(a, f.name);
      if (!accounts.includes(a)) problems.push({ path: ['funds', i, 'accounts', j], message: `account ${a} is not one of the desk's accounts` });
    });
  });
  for (const a of accounts) if (!owner.has(a)) problems.push({ path: ['funds'], message: `account ${a} belongs to no fund` });
  return problems;
}

export function resolveFunds(accounts: readonly string[], funds: readonly FundConfig[] | undefined): readonly FundConfig[] {
  return funds ?? [{ ...DEFAULT_FUND, accounts: [...accounts] }];
}

/** account → its fund. */
export function fundOfAccount(funds: readonly FundConfig[]): ReadonlyMap<string, FundConfig> {
  return new Map(funds.flatMap((f) => f.accounts.map((a) => [a, f] as const)));
}
