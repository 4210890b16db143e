import { expect, test } from '@playwright/test';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * A broker that takes no cancel/replace and rejects market orders at session level (35=3), as some
 * real engines do: the screens offer no amend there and say why, a broker's reject reads as one with
 * its reason, and the alert list is the desk's (journaled): a page reload shows the same.
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({
    behaviour: { 'SIM-B': { noCancelReplace: true, rejectMarketOrdersSessionLevel: true } },
    capabilities: { 'SIM-B': { cancelReplace: false } },
  });
});

test.afterAll(async () => {
  await stack?.stop();
});

test('the amend action is greyed with the reason where the broker takes no cancel/replace', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '150', limitPrice: '400', broker: 'SIM-B' });
  await expect(desk.status(orderId)).toHaveText(/^New/);

  const rowAmend = page.getByRole('button', { name: `Amend order ${orderId}` });
  await expect(rowAmend).toBeDisabled();
  await expect(rowAmend).toHaveAttribute('title', /SIM-B takes no amends \(no cancel\/replace\)/);
  await expect(page.getByRole('button', { name: `Cancel order ${orderId}` })).toBeEnabled();

  await desk.cell(orderId, 'symbol').click({ button: 'right' });
  const amend = page.getByRole('menuitem', { name: /^Amend/ });
  await expect(amend).toBeDisabled();
  await expect(amend).toContainText('SIM-B takes no amends (no cancel/replace): cancel and enter a new order');
  await expect(page.getByRole('menuitem', { name: 'Cancel', exact: true })).toBeEnabled();
  await page.screenshot({ path: test.info().outputPath('amend-greyed.png') });
  await page.keyboard.press('Escape');

  // The shortcut is refused too, saying why; no dialog opens.
  await desk.cell(orderId, 'symbol').click();
  await page.keyboard.press('a');
  await expect(page.getByRole('log', { name: 'Latest alert' })).toContainText(`Order ${orderId} cannot be amended: SIM-B takes no amends`);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The same order at a broker that takes amends: offered.
  const other = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '150', limitPrice: '400', broker: 'SIM-A' });
  await expect(desk.status(other)).toHaveText(/^New/);
  await expect(page.getByRole('button', { name: `Amend order ${other}` })).toBeEnabled();
});

test("a broker's session-level reject is a rejected order with the broker's reason, and the alert list survives a reload", async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '10', orderType: 'market', broker: 'SIM-B' });
  await expect(desk.status(orderId)).toContainText('Rejected');
  await expect(desk.cell(orderId, 'text')).toContainText('SIM-B rejected the order: OrdType (40): Value is incorrect (out of range) for this tag');

  const label = `SIM-B rejected the new order for order ${orderId}: OrdType (40)`;
  const openAlerts = async () => {
    await page.getByRole('button', { name: /^Alerts: / }).click();
    return page.getByRole('dialog', { name: 'Alerts' });
  };
  let alerts = await openAlerts();
  const row = () => alerts.getByRole('listitem').filter({ hasText: label });
  await expect(row()).toHaveCount(1);
  await expect(row()).toContainText('Error');
  await expect(alerts.getByText(/malformed/i)).toHaveCount(0);

  // A reload is a new window: the desk's snapshot brings the same list.
  await page.reload();
  await desk.open(stack.url);
  alerts = await openAlerts();
  await expect(row()).toHaveCount(1);
  await row().getByRole('button', { name: /^Acknowledge: / }).click();
  await expect(row()).toContainText(/acknowledged by \S+/);
  await page.keyboard.press('Escape');

  // The acknowledgement is the desk's too.
  await page.reload();
  await desk.open(stack.url);
  alerts = await openAlerts();
  await expect(row()).toContainText(/acknowledged by \S+/);
  await page.screenshot({ path: test.info().outputPath('alerts-after-reload.png') });
});
