import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { DeskPage } from './support/desk-page';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';

/** The desk's clock is moved: "yesterday" and "today" are these, never the machine's date. */
const MONDAY = '2026-03-02T14:00:00.000Z';
const TUESDAY = '2026-03-03T09:30:00.000Z';

let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({ startTime: MONDAY });
});

test.afterAll(async () => {
  await stack?.stop();
});

test("an order of a previous day is found by its ID after a restart, with its whole history", async ({ page }) => {
  test.setTimeout(120_000); // two host starts and a journal search: a loaded runner needs more than a minute
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const monday = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '40', limitPrice: '195', broker: 'SIM-A' });
  await expect(desk.status(monday)).toContainText('Filled', { timeout: 15_000 });

  // The next day: the host stopped and started again, its clock on Tuesday.
  await stack.restartHost({ startTime: TUESDAY });
  await desk.open(stack.url);
  const tuesday = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '5', limitPrice: '400', broker: 'SIM-B' });
  await expect(desk.status(tuesday)).toHaveText(/^New/);

  // From the journal: the date range defaults to the last 30 days up to the desk's today (Tuesday).
  await page.getByLabel('Find orders by order ID, ClOrdID, symbol, account or broker').fill(monday);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Any day' })).toHaveAttribute('aria-pressed', 'true');
  await expect(desk.status(monday)).toContainText('Filled');
  await expect(desk.cell(monday, 'cumQty')).toHaveText('40');
  // Another day's order shows its date beside the time.
  await expect(desk.cell(monday, 'createdAt')).toContainText(/2026-03-0[23] \d\d:\d\d:\d\d/);
  await expect(desk.status(tuesday)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Matched by orderId' })).toBeVisible();
  await expectAccessible(page, 'orders of any day');

  // Every order of Monday (local days: the range covers the desk's Monday in any time zone).
  await page.getByLabel('Find orders by order ID, ClOrdID, symbol, account or broker').fill('');
  await page.getByLabel('From').fill('2026-03-01');
  await page.getByLabel('to', { exact: true }).fill('2026-03-02');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(desk.status(monday)).toContainText('Filled');
  await expect(desk.status(tuesday)).toHaveCount(0);

  // Its whole history, from the journal.
  await desk.cell(monday, 'symbol').dblclick();
  const history = page.getByRole('dialog', { name: /Order history/ });
  await expect(history).toBeVisible();
  await expect(history).toContainText('Submitted');
  await expect(history).toContainText('Filled');
  await page.keyboard.press('Escape');

  // Back to the live book.
  await page.getByRole('button', { name: 'Live' }).click();
  await expect(desk.status(tuesday)).toHaveText(/^New/);
});
