import type { Page } from '@playwright/test';
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

const monitor = (page: Page) => page.getByRole('dialog', { name: 'Session monitor' });
const sessionRow = (page: Page, name: string) => monitor(page).getByRole('row', { name: `${name} session` });

test('the session monitor: both sessions with sequence numbers, log SIM-B out and in, the FIX log searched by ClOrdID', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '100', limitPrice: '400', broker: 'SIM-A' });

  // Opened from the status bar's session pill.
  await page.getByRole('button', { name: /^SIM-A: Logged on.*Open the session monitor/ }).click();
  const dialog = monitor(page);
  await expect(dialog).toBeVisible();
  for (const broker of ['SIM-A', 'SIM-B']) {
    await expect(dialog.getByLabel(`${broker} state`)).toHaveText('Logged on');
    await expect(dialog.getByLabel(`${broker} next incoming sequence number`)).toHaveText(/^\d+$/);
    await expect(dialog.getByLabel(`${broker} next outgoing sequence number`)).toHaveText(/^\d+$/);
  }
  // Heartbeats every 5 s in this stack: the age is shown and follows the clock.
  await expect(dialog.getByLabel('SIM-A time since last heartbeat')).toHaveText(/s ago/, { timeout: 15_000 });
  const seqOut = Number(await dialog.getByLabel('SIM-A next outgoing sequence number').textContent());
  expect(seqOut).toBeGreaterThan(1);

  // The FIX log of SIM-A, searched for the order's ClOrdID: raw beside parsed.
  await dialog.getByLabel('Search FIX log').fill(orderId);
  await dialog.getByRole('button', { name: 'Search', exact: true }).click();
  const log = dialog.getByRole('table', { name: 'FIX log of SIM-A' });
  await expect(log.getByRole('row').filter({ hasText: 'NewOrderSingle' })).toHaveCount(1);
  await expect(log.getByRole('row').filter({ hasText: 'ExecutionReport' }).first()).toBeVisible();
  await log.getByRole('button', { name: /^NewOrderSingle: show message/ }).click();
  const detail = dialog.getByRole('group', { name: /^FIX NewOrderSingle \d+$/ });
  await expect(detail.getByLabel(/^Raw FIX NewOrderSingle/)).toContainText(`11=${orderId}`);
  const clOrdIdRow = detail.getByRole('table', { name: /^Parsed FIX NewOrderSingle/ }).getByRole('row').filter({ hasText: 'ClOrdID' });
  await expect(clOrdIdRow.getByRole('cell')).toHaveText(['11', 'ClOrdID', orderId]);
  // Only messages sent, of type ExecutionReport: none.
  await dialog.getByLabel('Direction').selectOption('out');
  await dialog.getByLabel('Message type').selectOption('8');
  await expect(log).toContainText('No messages match the search');
  await dialog.getByRole('button', { name: 'Clear' }).click();
  await expect(log.getByRole('row').filter({ hasText: 'Logon' }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('session-monitor.png') });

  // Log SIM-B out: its state says so, and orders to SIM-B are refused with a clear message.
  await dialog.getByRole('button', { name: 'Log out SIM-B' }).click();
  await expect(dialog.getByLabel('SIM-B state')).toHaveText('Stopped');
  await expect(dialog.getByRole('status', { name: 'Session action result' })).toContainText('SIM-B logged out');
  await expect(dialog.getByRole('button', { name: 'Connect SIM-B' })).toBeEnabled();
  await expect(dialog.getByLabel('SIM-A state')).toHaveText('Logged on');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /^SIM-B: Stopped/ })).toBeVisible();

  await desk.fillTicket({ instrumentId: 'MSFT.XNAS', quantity: '50', limitPrice: '400', broker: 'SIM-B' });
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('.ticket-panel').getByRole('alert')).toContainText(/SIM-B is logged out \(from the session monitor at .*\): connect it there first/);

  // The shortcut opens the monitor again; connect SIM-B.
  await page.locator('.orders-blotter .grid-host').click();
  await page.keyboard.press('s');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Connect SIM-B' }).click();
  await expect(dialog.getByLabel('SIM-B state')).toHaveText('Logged on', { timeout: 15_000 });
  await expect(sessionRow(page, 'SIM-B')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('session-monitor-reconnected.png') });
});

test('setting next sequence numbers asks for confirmation, restates the values, and is refused while logged on', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await page.getByRole('button', { name: /^SIM-B: Logged on/ }).click();
  const dialog = monitor(page);
  await expect(dialog.getByRole('button', { name: 'Set next sequence numbers of SIM-B' })).toBeDisabled();

  await dialog.getByRole('button', { name: 'Log out SIM-B' }).click();
  await expect(dialog.getByLabel('SIM-B state')).toHaveText('Stopped');
  const incoming = Number(await dialog.getByLabel('SIM-B next incoming sequence number').textContent());
  const outgoing = Number(await dialog.getByLabel('SIM-B next outgoing sequence number').textContent());
  await dialog.getByRole('button', { name: 'Set next sequence numbers of SIM-B' }).click();
  const seq = page.getByRole('alertdialog', { name: 'Set next sequence numbers of SIM-B' });
  await seq.getByLabel('Next incoming sequence number').fill(String(incoming));
  await seq.getByLabel('Next outgoing sequence number').fill(String(outgoing));
  await seq.getByRole('button', { name: 'Review…' }).click();
  await expect(seq.getByRole('list', { name: 'Sequence numbers to set' })).toContainText(`Next incoming sequence number: ${incoming}`);
  await expect(seq.getByRole('list', { name: 'Sequence numbers to set' })).toContainText(`Next outgoing sequence number: ${outgoing}`);
  await seq.getByRole('button', { name: 'Set sequence numbers of SIM-B' }).click();
  await expect(seq.getByRole('status')).toHaveText(`SIM-B: the next logon uses incoming ${incoming}, outgoing ${outgoing}`);
  await seq.getByRole('button', { name: 'Close' }).click();
  await expect(seq).toBeHidden();
  await expect(dialog).toBeVisible();

  await dialog.getByRole('button', { name: 'Connect SIM-B' }).click();
  await expect(dialog.getByLabel('SIM-B state')).toHaveText('Logged on', { timeout: 15_000 });
});
