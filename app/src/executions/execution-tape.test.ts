import type { IGetRowsParams } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import type { ExecutionView } from '../../../shared/contract/views';
import { ExecutionTape, fillStateText } from './execution-tape';

const fill = (n: number, overrides: Partial<ExecutionView> = {}): ExecutionView => ({
  execKey: `B:E${n}`,
  execId: `E${n}`,
  orderId: 'O-1',
  clOrdId: 'C-1',
  broker: 'B',
  account: 'A',
  symbol: 'S',
  side: 'buy',
  execType: 'trade',
  lastQty: String(n % 3 === 0 ? 100 : 9),
  lastPx: '1',
  cumQty: String(n),
  avgPx: '1',
  status: 'partiallyFilled',
  receivedAt: `2026-11-27T10:00:0${n}.000Z`,
  state: 'active',
  ...overrides,
});

const executions = (...ns: number[]) => new Map(ns.map((n) => [`B:E${n}`, fill(n)] as const));

function load(tape: ExecutionTape, startRow: number, endRow: number, sortModel: IGetRowsParams['sortModel'] = []) {
  let result: { rows: ExecutionView[]; last: number | undefined } | undefined;
  tape.getRows({ startRow, endRow, sortModel, filterModel: {}, successCallback: (rows: ExecutionView[], last?: number) => (result = { rows, last }), failCallback: () => {} } as unknown as IGetRowsParams);
  return result!;
}

describe('ExecutionTape', () => {
  it('serves the executions newest first, block by block, with the total as the last row', () => {
    const tape = new ExecutionTape();
    tape.show(executions(1, 2, 3, 4));
    expect(load(tape, 0, 2)).toEqual({ rows: [fill(4), fill(3)], last: 4 });
    expect(load(tape, 2, 4).rows.map((r) => r.execId)).toEqual(['E2', 'E1']);
  });

  it('serves one version between two shows, so blocks loaded by scrolling fit together', () => {
    const tape = new ExecutionTape();
    const first = executions(1, 2, 3);
    tape.show(first);
    const top = load(tape, 0, 2).rows;
    expect(load(tape, 2, 4).rows).toEqual([fill(1)]);
    tape.show(executions(1, 2, 3, 4));
    expect(load(tape, 0, 2).rows.map((r) => r.execId)).toEqual(['E4', 'E3']);
    expect(top.map((r) => r.execId)).toEqual(['E3', 'E2']);
  });

  it('sorts by a column, decimals as decimals, ties newest first', () => {
    const tape = new ExecutionTape();
    tape.show(executions(1, 2, 3, 4, 5, 6));
    expect(load(tape, 0, 6, [{ colId: 'lastQty', sort: 'desc' }]).rows.map((r) => r.execId)).toEqual(['E6', 'E3', 'E5', 'E4', 'E2', 'E1']);
    expect(load(tape, 0, 2, [{ colId: 'time', sort: 'asc' }]).rows.map((r) => r.execId)).toEqual(['E1', 'E2']);
  });

  it('says what ended a fill', () => {
    expect(fillStateText(fill(1))).toBe('');
    expect(fillStateText(fill(1, { state: 'busted', endedBy: 'E9' }))).toBe('Busted by E9');
    expect(fillStateText(fill(1, { execRefId: 'E1' }))).toBe('refers to E1');
  });
});
