import { expect, test } from '@playwright/test';
import { DeskPage } from './support/desk-page';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';

let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

/**
 * The rows' pinned columns follow the horizontal scroll by a shift (grid/pinned-sections.ts), not
 * sticky positioning (a composited layer per row): they must stay where the header's pinned columns are.
 */
test('pinned columns stay at the grid edges, under their headers, while the orders grid scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 768 });
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await desk.resetLayout();
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '150', limitPrice: '400', broker: 'SIM-B' });
  await expect(desk.status(orderId)).toBeVisible();
  const blotter = page.locator('.orders-blotter');
  const row = blotter.locator(`.ag-row[row-id="${orderId}"]`);
  const x = async (selector: string) => (await blotter.locator(selector).first().boundingBox())?.x;
  // A pinned cell of the row, beside the same column's header cell.
  const aligned = async (colId: string) => {
    const header = await x(`.ag-header-cell[col-id="${colId}"]`);
    const cell = (await row.locator(`[col-id="${colId}"]`).boundingBox())?.x;
    expect(header, colId).toBeDefined();
    expect(Math.abs((cell ?? NaN) - header!), `${colId} under its header`).toBeLessThanOrEqual(1);
    return cell!;
  };
  const scroll = (left: number) =>
    blotter.locator('.ag-grid-viewport').first().evaluate((viewport, to) => {
      viewport.scrollLeft = to === -1 ? viewport.scrollWidth : to;
      return viewport.scrollLeft;
    }, left);

  const scrollable = await blotter.locator('.ag-grid-viewport').first().evaluate((v) => v.scrollWidth - v.clientWidth);
  expect(scrollable, 'the grid is wider than the window').toBeGreaterThan(100);
  const leftAtStart = await aligned('orderId');
  const rightAtStart = await aligned('actions');
  for (const to of [Math.round(scrollable / 2), -1]) {
    const now = await scroll(to);
    expect(now).toBeGreaterThan(0);
    // The scrolled columns moved; the pinned ones did not.
    await expect.poll(() => aligned('orderId')).toBeCloseTo(leftAtStart, 0);
    await expect.poll(() => aligned('actions')).toBeCloseTo(rightAtStart, 0);
  }
  // Not sticky: Chromium would give each row's section a layer of its own.
  expect(await row.locator('.ag-grid-pinned-left-cells').evaluate((e) => getComputedStyle(e).position)).toBe('relative');
  await scroll(0);
  await expect.poll(() => aligned('orderId')).toBeCloseTo(leftAtStart, 0);
});
