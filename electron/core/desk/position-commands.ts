import type { ImportStartOfDayRequest, ImportStartOfDayResult } from '../../../shared/contract/positions';
import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import { describeCsvProblems } from '../csv/csv-table';
import { parseStartOfDayFile } from '../positions/start-of-day-file';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/** Imports the start-of-day positions: the whole file or nothing; a bad row is refused with its line and field. */
export async function importStartOfDay(ctx: DeskContext, request: ImportStartOfDayRequest): Promise<Result<ImportStartOfDayResult>> {
  const parsed = parseStartOfDayFile(request.text, ctx.config.accounts, ctx.instruments);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    const where = first === undefined ? {} : { [first.field ?? 'text']: `line ${first.line}: ${first.message}` };
    return fail('INVALID_REQUEST', describeCsvProblems(request.fileName, parsed.problems), where);
  }
  return ctx.journal.groupCommit(() => {
    record(ctx, { type: 'startOfDayImported', at: ctx.now(), by: ctx.operator, source: request.fileName, positions: parsed.positions });
    return ok({ positions: parsed.positions.length });
  });
}
