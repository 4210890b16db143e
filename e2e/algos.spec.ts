import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * An algo from the UI: a TWAP started from the algo ticket against the simulator, its chart moving
 * as slices go out, then paused (its children cancelled at the broker), resumed and cancelled.
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

test('start a TWAP from the algo ticket, watch the chart move, pause, resume, amend, cancel', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await page.getByRole('button', { name: 'Algos', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Algos' });
  const ticket = dialog.getByRole('form', { name: 'Algo ticket' });

  // Inline validation: the desk's schema names the field.
  await ticket.getByLabel('Quantity').fill('abc');
  await ticket.getByRole('button', { name: 'Start algo' }).click();
  await expect(ticket.locator('#algo-quantity-error')).toContainText('positive decimal');

  await ticket.getByLabel('Strategy').selectOption('twap');
  await ticket.getByLabel('Instrument').selectOption('AAPL.XNAS');
  await ticket.getByLabel('Quantity').fill('1200');
  await expect(ticket.locator('#algo-quantity-error')).toHaveCount(0);
  await ticket.getByLabel('Limit price').fill('400');
  await ticket.getByLabel('Duration (minutes)').fill('2');
  await ticket.getByLabel('Slices').fill('24');
  await ticket.getByLabel('Child style').selectOption('passive');
  await ticket.getByRole('button', { name: 'Start algo' }).click();
  await expect(ticket.getByRole('status')).toContainText(/Algo algo-\S+ started/);
  const parentId = /Algo (algo-\S+) started/.exec((await ticket.getByRole('status').textContent()) ?? '')?.[1] ?? '';

  const status = dialog.getByTestId('algo-status').first();
  await expect(status).toHaveText('Running');
  const chart = dialog.getByTestId('algo-chart');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(dialog.getByRole('table', { name: /^Children of/ })).toContainText(/New|Pending new/);
  // The orders blotter shows the child with its parent's strategy and the parent it belongs to.
  const firstChild = (await dialog.locator('.algo-children tbody tr td').first().textContent()) ?? '';
  await expect(desk.cell(firstChild, 'strategy')).toHaveText('TWAP');
  await expect(desk.cell(firstChild, 'parentId')).toHaveText(parentId);
  // The chart moves: a new point at each slice (every 5 s).
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const before = Number(await chart.getAttribute('data-points'));
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(before);
  await expectAccessible(page, 'the algos dialog');

  await dialog.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status).toHaveText('Paused');
  const children = dialog.locator('.algo-children tbody tr');
  await expect(children.filter({ hasText: /^(?!.*(Canceled|Filled|Rejected)).*$/ })).toHaveCount(0, { timeout: 15_000 });

  await dialog.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(status).toHaveText('Running');
  const count = await children.count();
  await expect.poll(() => children.count(), { timeout: 15_000 }).toBeGreaterThan(count);

  // Amend down: the working children are cancelled, then the new quantity holds and the schedule goes on.
  await dialog.getByLabel('New quantity').fill('600');
  await dialog.getByRole('button', { name: 'Amend algo', exact: true }).click();
  await expect(dialog.getByTestId('algo-quantity').first()).toHaveText('600', { timeout: 15_000 });
  await expect(status).toHaveText('Running');

  await dialog.getByRole('button', { name: 'Cancel algo', exact: true }).click();
  await expect(status).toHaveText('Cancelled', { timeout: 15_000 });
  await page.screenshot({ path: test.info().outputPath('algos.png') });
});
