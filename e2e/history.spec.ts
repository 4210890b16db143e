import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

const historyDialog = (page: Page, orderId: string) => page.getByRole('dialog', { name: `Order history ${orderId}` });

/** The timeline rows of one kind of event (the FIX detail rows under them have no event name). */
const eventRows = (dialog: Locator, event: string) => dialog.getByRole('table', { name: /^Events of order/ }).getByRole('row').filter({ hasText: event });

async function focusedRowId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('[row-id]')?.getAttribute('row-id') ?? null);
}

test('a filled order: Enter opens its history, with the submit, each execution report, and the FIX raw beside parsed', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '300', limitPrice: '200', broker: 'SIM-A' });
  await expect(desk.status(orderId)).toContainText('Filled', { timeout: 15_000 });

  await desk.cell(orderId, 'symbol').click();
  await page.keyboard.press('Enter');
  const dialog = historyDialog(page, orderId);
  await expect(dialog).toBeVisible();

  const state = dialog.getByRole('region', { name: 'Current state of the order' });
  await expect(state.locator('.badge').first()).toHaveText('Filled');
  await expect(state).toContainText('300 / 300');
  await expect(state).toContainText('SIM-A');
  await expect(state.getByRole('list', { name: /ClOrdID chain/ })).toContainText(orderId);

  await expect(eventRows(dialog, 'Submitted')).toHaveCount(1);
  await expect(eventRows(dialog, 'Submitted')).toContainText('Pending new');
  await expect(eventRows(dialog, 'Submitted')).toContainText(`ClOrdID ${orderId}`);
  const reports = eventRows(dialog, 'Execution report');
  await expect(reports.filter({ hasText: /→ new/ })).toHaveCount(1);
  await expect(reports.filter({ hasText: /→ partiallyFilled/ }).first()).toContainText('Partially filled');
  const last = reports.filter({ hasText: /→ filled/ });
  await expect(last).toContainText('Filled');
  await expect(last).toContainText('ExecutionReport');

  // Expand one report with the keyboard.
  const toggle = last.getByRole('button', { name: /^FIX ExecutionReport of event \d+$/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const detail = dialog.getByRole('group', { name: /^FIX ExecutionReport of event \d+$/ });
  await expect(detail.getByLabel(/^Raw FIX/)).toContainText('35=8');
  await expect(detail.getByLabel(/^Raw FIX/)).toContainText('39=2');
  const ordStatus = detail.getByRole('table', { name: /^Parsed FIX/ }).getByRole('row').filter({ hasText: 'OrdStatus' });
  await expect(ordStatus).toHaveCount(1);
  await expect(ordStatus.getByRole('cell')).toHaveText(['39', 'OrdStatus', '2 (Filled)']);
  await page.screenshot({ path: test.info().outputPath('order-history-filled.png') });

  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(detail).toHaveCount(0);

  // Escape closes, and the keyboard is back on the order's row.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await focusedRowId(page)).toBe(orderId);

  // A warning stays counted in the status bar, and its list leads back to the order's history.
  await page.keyboard.press('Delete');
  const alertCount = page.getByRole('button', { name: /^Alerts: .*\d+ warnings? \(\d+ new\)/ });
  await expect(alertCount).toBeVisible();
  await expect(page.getByRole('log', { name: 'Latest alert' })).toContainText(`Order ${orderId} cannot be cancelled now`);
  await page.locator('.statusbar').screenshot({ path: test.info().outputPath('status-bar-alerts.png') });
  await alertCount.click();
  const alerts = page.getByRole('dialog', { name: 'Alerts' });
  await alerts.getByRole('button', { name: `Show history of order ${orderId}` }).first().click();
  await expect(alerts).toBeHidden();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the history opened from the context menu keeps up with the order while open', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '400', limitPrice: '421', broker: 'SIM-B' });
  await expect(desk.status(orderId)).toHaveText(/^(New|Partially filled)/);

  await desk.cell(orderId, 'symbol').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'History' }).click();
  const dialog = historyDialog(page, orderId);
  await expect(dialog).toBeVisible();
  // No reopening: the view follows the order's row to Filled.
  await expect(eventRows(dialog, 'Execution report').filter({ hasText: /→ filled/ })).toHaveCount(1, { timeout: 15_000 });
  await expect(dialog.getByRole('region', { name: 'Current state of the order' }).locator('.badge').first()).toHaveText('Filled');

  await dialog.getByRole('button', { name: 'Close order history' }).click();
  await expect(dialog).toBeHidden();
  expect(await focusedRowId(page)).toBe(orderId);

  // The toolbar button acts on the one selected order; H on the focused row does the same.
  await page.getByRole('button', { name: 'Show history of the selected order' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Show history of the selected order' })).toBeFocused();
  await page.keyboard.press('F3');
  expect(await focusedRowId(page)).toBe(orderId);
  await page.keyboard.press('h');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test("a rejected order's history (double-click the row) shows the broker's reason", async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'NVDA.XNAS', quantity: '10', limitPrice: '5', broker: 'SIM-A' });
  await expect(desk.status(orderId)).toContainText('Rejected');

  await desk.cell(orderId, 'symbol').dblclick();
  const dialog = historyDialog(page, orderId);
  await expect(dialog).toBeVisible();
  const state = dialog.getByRole('region', { name: 'Current state of the order' });
  await expect(state.locator('.badge').first()).toHaveText('Rejected');
  await expect(state.locator('.history-reason')).toContainText(/unknown symbol: no instrument with ISIN US67066G1040/i);

  const rejected = eventRows(dialog, 'Execution report').filter({ hasText: /→ rejected/ });
  await expect(rejected).toContainText(/unknown symbol: no instrument with ISIN US67066G1040/i);
  await expect(rejected).toContainText('Rejected');
  await rejected.getByRole('button', { name: /^FIX ExecutionReport/ }).click();
  const parsed = dialog.getByRole('table', { name: /^Parsed FIX/ });
  await expect(parsed.getByRole('row').filter({ hasText: 'OrdStatus' }).getByRole('cell').last()).toHaveText('8 (Rejected)');
  await expect(parsed.getByRole('row').filter({ hasText: 'Text' }).getByRole('cell').last()).toContainText(/unknown symbol: no instrument with ISIN US67066G1040/i);
  await page.screenshot({ path: test.info().outputPath('order-history-rejected.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
