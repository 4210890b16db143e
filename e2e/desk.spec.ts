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

// The sequence New → Partially filled → Filled is proven from the order's history (history.spec.ts):
// the blotter may show any of them only for a frame.
test('a marketable limit order fills in two executions', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '300', limitPrice: '200', broker: 'SIM-A' });
  await expect(desk.status(orderId)).toHaveText(/^Filled/, { timeout: 15_000 });
  await expect(desk.cell(orderId, 'cumQty')).toHaveText('300');
  await expect(desk.cell(orderId, 'leavesQty')).toHaveText('0');
  await expect(page.locator('.executions-blotter [role="row"]', { hasText: orderId })).toHaveCount(2);
});

test('amend quantity and price of a resting order and see the replaced values', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '150', limitPrice: '400', broker: 'SIM-B' });
  await expect(desk.status(orderId)).toHaveText(/^New/);
  await page.getByRole('button', { name: `Amend order ${orderId}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('New quantity').fill('250');
  await dialog.getByLabel('New limit price').fill('401.5');
  await dialog.getByRole('button', { name: 'Send amend' }).click();
  await expect(dialog).toBeHidden();
  await expect(desk.cell(orderId, 'quantity')).toHaveText('250');
  await expect(desk.cell(orderId, 'limitPrice')).toHaveText('401.5');
  await expect(desk.status(orderId)).toHaveText(/^New/);
});

test('cancel a resting order from the blotter and see Canceled', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'AAPL.XNAS', side: 'sell', quantity: '75', limitPrice: '250', broker: 'SIM-A' });
  await expect(desk.status(orderId)).toHaveText(/^New/);
  await page.getByRole('button', { name: `Cancel order ${orderId}` }).click();
  await expect(desk.status(orderId)).toContainText('Canceled');
  await expect(page.getByRole('button', { name: `Cancel order ${orderId}` })).toBeDisabled();
});

test("a rejected order shows the broker's reason", async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'NVDA.XNAS', quantity: '10', limitPrice: '5', broker: 'SIM-A' });
  await expect(desk.status(orderId)).toContainText('Rejected');
  await expect(desk.cell(orderId, 'text')).toContainText(/unknown symbol/i);
});

test('a bad ticket gets inline errors and sends nothing', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const rowsBefore = await page.locator('.orders-blotter [role="row"][row-id]').count();
  await desk.fillTicket({ instrumentId: 'AAPL.XNAS', quantity: '0', limitPrice: '-3' });
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.getByLabel('Quantity')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Limit price')).toHaveAttribute('aria-invalid', 'true');
  await page.waitForTimeout(300);
  expect(await page.locator('.orders-blotter [role="row"][row-id]').count()).toBe(rowsBefore);
});

test('a second tab sees the same live state', async ({ page, context }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const other = new DeskPage(await context.newPage());
  await other.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'EURUSD.SPOT', quantity: '1000000', limitPrice: '1.07', broker: 'SIM-B' });
  await expect(other.status(orderId)).toHaveText(/^New/);
  await page.getByRole('button', { name: `Cancel order ${orderId}` }).click();
  await expect(other.status(orderId)).toContainText('Canceled');
  await expect(other.cell(orderId, 'quantity')).toHaveText('1,000,000');
});

test('after the host is killed and restarted, the blotter is the same', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const resting = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '42', limitPrice: '410', broker: 'SIM-A' });
  await expect(desk.status(resting)).toHaveText(/^New/);
  const filled = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '20', limitPrice: '195', broker: 'SIM-B' });
  await expect(desk.status(filled)).toContainText('Filled', { timeout: 15_000 });
  const rowsBefore = await page.locator('.orders-blotter [row-id] [col-id="status"]').allTextContents();
  const idsBefore = await page.locator('.orders-blotter [row-id]').evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('row-id')))].sort());

  await stack.crashAndRestartHost();
  await desk.open(stack.url);
  await expect(desk.status(resting)).toHaveText(/^New/);
  await expect(desk.status(filled)).toContainText('Filled');
  const idsAfter = await page.locator('.orders-blotter [row-id]').evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('row-id')))].sort());
  expect(idsAfter).toEqual(idsBefore);
  expect((await page.locator('.orders-blotter [row-id] [col-id="status"]').allTextContents()).length).toBe(rowsBefore.length);
  // The order is still live at the broker after the restart: cancel it.
  await page.getByRole('button', { name: `Cancel order ${resting}` }).click();
  await expect(desk.status(resting)).toContainText('Canceled');
  const clOrdIds = stack.sim.receivedClOrdIds().filter((r) => r.msgType !== 'H').map((r) => r.clOrdId);
  expect(new Set(clOrdIds).size).toBe(clOrdIds.length);
});
