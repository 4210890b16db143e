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
  instrumentId: 'S.XNAS',
  assetClass: 'equity',
  symbol: 'S',
  currency: 'USD',
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

describe('ExecutionTape.refresh', () => {
  type Node = { rowIndex: number; data: ExecutionView | undefined; updates: number; updateData(data: ExecutionView): void };

  /** ag-grid's infinite row model in brief: blocks of `blockSize` rows loaded from the tape, the first `blocks` of them. */
  class FakeGrid {
    nodes: Node[] = [];
    rowCount = 0;
    reloads = 0;
    constructor(
      private readonly tape: ExecutionTape,
      private readonly blockSize: number,
      private readonly blocks: number,
      private readonly sortModel: IGetRowsParams['sortModel'] = [],
    ) {}
    forEachNode(callback: (node: Node) => void) {
      this.nodes.filter((n) => n.rowIndex < this.rowCount).forEach(callback);
    }
    refreshInfiniteCache() {
      this.reloads++;
      const { rows, last } = load(this.tape, 0, this.blockSize * this.blocks, this.sortModel);
      this.rowCount = last ?? 0;
      this.nodes = Array.from({ length: this.blockSize * this.blocks }, (_, rowIndex) => ({
        rowIndex,
        data: rows[rowIndex],
        updates: 0,
        updateData(next: ExecutionView) {
          this.data = next;
          this.updates++;
        },
      }));
    }
    setRowCount(rowCount: number) {
      this.rowCount = rowCount;
    }
    /** The rows shown: loaded and within the row count. */
    shown() {
      return this.nodes.filter((n) => n.rowIndex < this.rowCount).map((n) => n.data?.execId);
    }
  }

  it('loads the blocks the first time, then updates the loaded rows in place and sets the new number of rows', () => {
    const tape = new ExecutionTape(3);
    const grid = new FakeGrid(tape, 3, 1);
    tape.refresh(executions(1, 2, 3), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([1, 3, ['E3', 'E2', 'E1']]);
    // More rows than the loaded block: it was full, its rows are updated and the count set.
    tape.refresh(executions(1, 2, 3, 4, 5), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([1, 5, ['E5', 'E4', 'E3']]);
    // A full tape: the oldest goes as the newest comes.
    const full = executions(2, 3, 4, 5, 6);
    tape.refresh(full, grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([1, 5, ['E6', 'E5', 'E4']]);
    expect(grid.nodes.map((n) => n.updates)).toEqual([2, 2, 2]);
    // Only the rows whose execution changed are updated.
    const busted = new Map(full).set('B:E5', fill(5, { state: 'busted', endedBy: 'E9' }));
    tape.refresh(busted, grid);
    expect(grid.nodes.map((n) => n.updates)).toEqual([2, 3, 2]);
    expect(grid.nodes[1]?.data?.state).toBe('busted');
    // Fewer rows (a new snapshot): the count goes down, the rows shown are right.
    tape.refresh(executions(7), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([1, 1, ['E7']]);
  });

  it('reloads when it grows past a block the grid loaded partly empty', () => {
    const tape = new ExecutionTape(4);
    const grid = new FakeGrid(tape, 4, 1);
    grid.refreshInfiniteCache(); // the grid loads its first block when created: no executions yet
    tape.refresh(executions(1), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([2, 1, ['E1']]);
    tape.refresh(executions(1, 2), grid);
    tape.refresh(executions(1, 2, 3), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([4, 3, ['E3', 'E2', 'E1']]);
    // A block of 4 holding 4 rows: full; growing past it needs no reload.
    tape.refresh(executions(1, 2, 3, 4), grid);
    tape.refresh(executions(1, 2, 3, 4, 5, 6), grid);
    expect([grid.reloads, grid.rowCount, grid.shown()]).toEqual([5, 6, ['E6', 'E5', 'E4', 'E3']]);
  });

  it('keeps the order the grid last asked for', () => {
    const tape = new ExecutionTape(2);
    const grid = new FakeGrid(tape, 2, 1, [{ colId: 'time', sort: 'asc' }]);
    tape.refresh(executions(1, 2, 3), grid);
    expect(grid.shown()).toEqual(['E1', 'E2']);
    tape.refresh(executions(2, 3, 4), grid);
    expect([grid.reloads, grid.shown()]).toEqual([1, ['E2', 'E3']]);
  });

  it('leaves a longer scroll range for a later refresh when asked, but shortens it at once', () => {
    const tape = new ExecutionTape(3);
    const grid = new FakeGrid(tape, 3, 1);
    tape.refresh(executions(1, 2, 3), grid);
    // Grown, not yet told: the loaded rows still show the newest, the count waits.
    tape.refresh(executions(1, 2, 3, 4, 5), grid, false);
    expect([grid.reloads, grid.rowCount, grid.shown(), tape.countBehind]).toEqual([1, 3, ['E5', 'E4', 'E3'], true]);
    tape.refresh(executions(1, 2, 3, 4, 5), grid, true);
    expect([grid.reloads, grid.rowCount, tape.countBehind]).toEqual([1, 5, false]);
    // Shorter: set whatever `grow` says.
    tape.refresh(executions(6, 7), grid, false);
    expect([grid.reloads, grid.rowCount, grid.shown(), tape.countBehind]).toEqual([1, 2, ['E7', 'E6'], false]);
  });
});
