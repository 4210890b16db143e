import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { expectAccessible } from './support/axe';
import { DeskPage } from './support/desk-page';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';

let stack: DeskStack;
/** Orders placed once for the tests that only read them: one resting, one filled, one rejected. */
let placed: { resting: string; filled: string; rejected: string } | undefined;

test.beforeAll(async () => {
  stack = await startDeskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

/** The orders placed once (below), on a desk whose layout is back to the default. */
async function withOrders(desk: DeskPage): Promise<{ resting: string; filled: string; rejected: string }> {
  await desk.resetLayout();
  if (placed === undefined) {
    const resting = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '150', limitPrice: '400', broker: 'SIM-B' });
    const filled = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '20', limitPrice: '195', broker: 'SIM-A' });
    const rejected = await desk.submit({ instrumentId: 'NVDA.XNAS', quantity: '10', limitPrice: '5', broker: 'SIM-A' });
    await expect(desk.status(filled)).toContainText('Filled', { timeout: 15_000 });
    await expect(desk.status(rejected)).toContainText('Rejected');
    await expect(desk.status(resting)).toHaveText(/^New/);
    placed = { resting, filled, rejected };
  }
  return placed;
}

/** The orders grid as its cells show it: header names and each row's texts, in the grid's column order. */
async function gridTable(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  return page.evaluate(() => {
    const blotter = document.querySelector('.orders-blotter')!;
    const skip = (colId: string) => colId === 'actions' || colId.startsWith('ag-Grid-');
    const headers = [...blotter.querySelectorAll<HTMLElement>('.ag-header-row-column .ag-header-cell[col-id]')]
      .filter((h) => !skip(h.getAttribute('col-id')!))
      .sort((a, b) => Number(a.getAttribute('aria-colindex')) - Number(b.getAttribute('aria-colindex')));
    const colIds = headers.map((h) => h.getAttribute('col-id')!);
    const rowIndexes = [...new Set([...blotter.querySelectorAll('.ag-row[row-index]')].map((r) => r.getAttribute('row-index')!).filter((i) => /^\d+$/.test(i)))].sort((a, b) => Number(a) - Number(b));
    const rows = rowIndexes.map((index) => colIds.map((colId) => (blotter.querySelector(`.ag-row[row-index="${index}"] [col-id="${colId}"]`)?.textContent ?? '').trim()));
    return { header: headers.map((h) => (h.querySelector('.ag-header-cell-text')?.textContent ?? '').trim()), rows };
  });
}

test('the fill columns are visible at 1,366 px, with the status beside them', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await withOrders(desk);
  const grid = await page.locator('.orders-blotter .grid-root').boundingBox();
  const pinnedRight = await page.locator('.orders-blotter .ag-header-cell[col-id="actions"]').boundingBox();
  expect(grid).not.toBeNull();
  for (const colId of ['status', 'filled', 'cumQty', 'leavesQty', 'avgPx']) {
    const header = await page.locator(`.orders-blotter .ag-header-cell[col-id="${colId}"]`).boundingBox();
    expect(header, colId).not.toBeNull();
    expect(header!.x, colId).toBeGreaterThanOrEqual(grid!.x);
    expect(header!.x + header!.width, `${colId} fits left of the pinned actions`).toBeLessThanOrEqual((pinnedRight?.x ?? grid!.x + grid!.width) + 1);
  }
  await expectAccessible(page, 'the desk at 1,366 px');
});

test('the Working view shows only working orders, with their totals', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const { resting, filled, rejected } = await withOrders(desk);
  await page.getByRole('button', { name: 'Working', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Working', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(desk.status(resting)).toBeVisible();
  await expect(desk.status(filled)).toHaveCount(0);
  await expect(desk.status(rejected)).toHaveCount(0);
  const statuses = await page.locator('.orders-blotter .ag-row:not(.ag-row-pinned) [col-id="status"]').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  for (const status of statuses) expect(status).toMatch(/^(New|Partially filled|Pending new|Pending cancel|Pending replace|Suspended|Stopped)/);
  // The pinned totals row counts what the view shows.
  const totals = page.locator('.orders-blotter .ag-row-pinned[row-index^="b"] [col-id="orderId"]');
  await expect(totals).toHaveText(`${statuses.length} ${statuses.length === 1 ? 'order' : 'orders'}`);
  await page.getByRole('button', { name: 'Rejected', exact: true }).click();
  await expect(desk.status(rejected)).toBeVisible();
  await expect(desk.status(resting)).toHaveCount(0);
  await expectAccessible(page, 'the Rejected view');
  await page.getByRole('button', { name: 'All', exact: true }).click();
});

test('the CSV export holds the grid’s rows as shown, and the selection copies as text', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const { resting, filled } = await withOrders(desk);
  await page.getByRole('button', { name: 'Filters' }).click();
  await expect(page.locator('.orders-blotter .ag-floating-filter').first()).toBeVisible();
  await expectAccessible(page, 'the orders blotter with its filter row');
  const shown = await gridTable(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
  const csv = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8'), { skipEmptyLines: true }).data;
  expect(csv[0]).toEqual(shown.header);
  // The quote columns tick between reading the grid and the export: every other cell must be the same.
  const live = new Set(['Last', 'From last'].map((name) => shown.header.indexOf(name)).filter((i) => i >= 0));
  expect(live.size).toBe(2);
  const steady = (rows: readonly (readonly string[])[]) => rows.map((r) => r.filter((_, i) => !live.has(i)));
  expect(steady(csv.slice(1))).toEqual(steady(shown.rows));
  expect(csv.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining([resting, filled]));

  await desk.status(resting).click();
  await page.keyboard.press('Control+c');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(resting);
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text.split('\n')[0]).toBe(shown.header.join('\t'));
  await page.getByRole('button', { name: 'Filters' }).click();
});

test('a saved layout comes back after a reload', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await withOrders(desk);
  await page.getByRole('button', { name: 'Done', exact: true }).click();
  await page.getByRole('button', { name: 'Columns' }).first().click();
  const chooser = page.getByRole('dialog', { name: 'Orders columns' });
  await chooser.getByLabel('Show Broker').uncheck();
  await chooser.getByRole('button', { name: 'Move Leaves left' }).click();
  await expectAccessible(page, 'the column chooser');
  await chooser.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('.orders-blotter .ag-header-cell[col-id="broker"]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Layouts', exact: true }).click();
  const layouts = page.getByRole('dialog', { name: 'Layouts' });
  await layouts.getByLabel('Layout name').fill('Close of day');
  await layouts.getByRole('button', { name: 'Save layout' }).click();
  await expect(layouts.getByRole('status')).toContainText('Saved as "Close of day"');
  await expectAccessible(page, 'the layouts dialog');
  await layouts.getByRole('button', { name: 'Close', exact: true }).click();
  await page.waitForTimeout(1_500); // the save goes to the desk a moment after the change

  await page.reload();
  await desk.open(stack.url);
  await expect(page.getByRole('button', { name: 'Done', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.orders-blotter .ag-header-cell[col-id="broker"]')).toHaveCount(0);
  const order = await page.locator('.orders-blotter .ag-header-row-column .ag-header-cell[col-id]').evaluateAll((cells) =>
    cells.sort((a, b) => Number(a.getAttribute('aria-colindex')) - Number(b.getAttribute('aria-colindex'))).map((c) => c.getAttribute('col-id')),
  );
  expect(order.indexOf('leavesQty')).toBeLessThan(order.indexOf('cumQty'));
  await page.getByRole('button', { name: 'Layouts', exact: true }).click();
  await expect(layouts.getByText('Close of day', { exact: true })).toBeVisible();
  // Back to the default for the other tests.
  await layouts.getByRole('button', { name: 'Reset to default' }).click();
  await layouts.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('button', { name: 'All', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.orders-blotter .ag-header-cell[col-id="broker"]')).toHaveCount(1);
  await page.waitForTimeout(1_500);
});

test('every action by keyboard: views, quick filter, re-ticket, reverse, history', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const { filled, resting } = await withOrders(desk);
  await page.keyboard.press('F3');
  await page.keyboard.press('2'); // Done
  await expect(page.getByRole('button', { name: 'Done', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('/');
  await expect(page.getByLabel('Quick filter')).toBeFocused();
  await page.keyboard.type('aapl');
  await expect(desk.status(filled)).toBeVisible();
  // The quick filter applies a moment after the typing stops: only AAPL rows then.
  await expect.poll(async () => [...new Set(await page.locator('.orders-blotter .ag-row[row-index]:not(.ag-row-pinned) [col-id="symbol"]').allTextContents())]).toEqual(['AAPL']);
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Quick filter')).toHaveValue('');
  await page.keyboard.press('F3');
  await page.keyboard.press('3'); // All
  // Focus the filled order's row, then R: its values in the ticket, to review.
  await desk.cell(filled, 'symbol').click();
  await page.keyboard.press('r');
  await expect(page.getByLabel('Quantity')).toBeFocused();
  await expect(page.getByLabel('Instrument', { exact: true })).toHaveValue('AAPL');
  await expect(page.getByLabel('Quantity')).toHaveValue('20');
  await expect(page.getByLabel('Limit price')).toHaveValue('195');
  await expect(page.getByLabel('Side', { exact: true })).toHaveValue('buy');
  // Shift+R on it: sell what filled, at the average price.
  await desk.cell(filled, 'symbol').click();
  await page.keyboard.press('Shift+R');
  await expect(page.getByLabel('Side', { exact: true })).toHaveValue('sell');
  await expect(page.getByLabel('Quantity')).toHaveValue('20');
  await expect(page.getByLabel('Limit price')).toHaveValue('190');
  await desk.cell(resting, 'symbol').click();
  await page.keyboard.press('h');
  await expect(page.getByRole('dialog', { name: /Order history/ })).toBeVisible();
  await expectAccessible(page, 'the order history');
  await page.keyboard.press('Escape');
  await page.keyboard.press('l');
  await expect(page.getByRole('dialog', { name: 'Layouts' })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('the other screens pass axe-core too: context menu, amend, sessions, alerts, settings, help', async ({ page }) => {
  test.slow(); // several pages, each scanned by axe-core more than once
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const { resting } = await withOrders(desk);
  await desk.cell(resting, 'symbol').click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await expectAccessible(page, 'the context menu');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: `Amend order ${resting}` }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the amend dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /SIM-A: Logged on/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the session monitor');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Sounds & notifications' }).click();
  await expect(page.getByRole('dialog', { name: 'Sounds and notifications' })).toBeVisible();
  await expectAccessible(page, 'sounds and notifications');
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectAccessible(page, 'the keyboard shortcuts');
  await page.keyboard.press('Escape');
  const alerts = page.getByRole('button', { name: /^Alerts:/ });
  if ((await alerts.count()) > 0) {
    await alerts.click();
    await expectAccessible(page, 'the alerts list');
    await page.keyboard.press('Escape');
  }
});

test('a blotter pops out into a tab of its own, offered back when the desk is opened again', async ({ page, context }) => {
  test.slow(); // several pages, each scanned by axe-core more than once
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const { resting } = await withOrders(desk);
  const [popout] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Pop out orders' }).click()]);
  await popout.waitForLoadState();
  await expect(popout).toHaveTitle('Orders — Meridian Desk');
  await expect(popout.locator(`.orders-blotter [row-id="${resting}"] [col-id="status"]`)).toHaveText(/^New/);
  await expect(popout.locator('.ticket-panel')).toHaveCount(0);
  await expectAccessible(popout, 'a popped-out orders window');
  // Re-ticket from a window without a ticket: the ticket opens there, in a dialog.
  await popout.locator(`.orders-blotter [row-id="${resting}"] [col-id="symbol"]`).click();
  await popout.keyboard.press('r');
  await expect(popout.getByRole('dialog').getByLabel('Instrument', { exact: true })).toHaveValue('MSFT');
  await expectAccessible(popout, 'the ticket in a popped-out window');
  await popout.keyboard.press('Escape');
  await page.waitForTimeout(1_500); // the workspace remembers the window a moment later

  const again = await context.newPage();
  await new DeskPage(again).open(stack.url);
  const [reopened] = await Promise.all([context.waitForEvent('page'), again.getByRole('button', { name: 'Reopen orders' }).click()]);
  await reopened.waitForLoadState();
  await expect(reopened).toHaveTitle('Orders — Meridian Desk');
  // Offered once: reopened, the offer is gone.
  await expect(again.getByRole('region', { name: 'Windows open last time' })).toHaveCount(0);
  await popout.close();
  await reopened.close();
  await again.close();
});
