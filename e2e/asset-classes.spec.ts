import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * Issue 13 in the browser: an instrument of each class picked by typing part of its name, its live
 * quote in the ticket, an order in the class's own units, the order in the blotter with its class and
 * last price; the market watch. The desk's clock is fixed (contracts expire; no test reads the date).
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({ startTime: '2026-12-07T15:00:00.000Z' });
});

test.afterAll(async () => {
  await stack?.stop();
});

const CLASSES = [
  { typed: 'apple inc', symbol: 'AAPL', badge: 'EQ', quantityLabel: 'Quantity (shares)', priceLabel: 'Limit price (USD)', quantity: '100', shown: '100' },
  { typed: 'e-mini s&p 500 dec', symbol: 'ESZ6', badge: 'FUT', quantityLabel: 'Quantity (contracts)', priceLabel: 'Limit price (USD)', quantity: '2', shown: '2' },
  { typed: 'euro / us dollar 3 month', symbol: 'EUR/USD', badge: 'FX', quantityLabel: 'Quantity (EUR)', priceLabel: 'Limit rate', quantity: '1000000', shown: '1,000,000' },
  { typed: 'AAPL Dec 18 2026 200 Call', symbol: 'AAPL', badge: 'OPT', quantityLabel: 'Quantity (contracts)', priceLabel: 'Limit premium', quantity: '5', shown: '5' },
  { typed: 'Treasury 4.25% Nov 2034', symbol: 'T 4.25 11/15/34', badge: 'BOND', quantityLabel: 'Face value (USD)', priceLabel: 'Limit (% of par)', quantity: '1000000', shown: '1,000,000' },
] as const;

for (const c of CLASSES) {
  test(`${c.badge}: pick by name, see the quote, order in ${c.quantityLabel}, see it in the blotter with its last price`, async ({ page }) => {
    const desk = new DeskPage(page);
    await desk.open(stack.url);
    await desk.pickInstrument(c.typed, { symbol: c.symbol });
    await expect(page.locator('.ticket .instrument-card .class-badge')).toHaveText(c.badge);

    // The live quote: numbers, not placeholders, and not stale.
    const strip = page.locator('.ticket .quote-strip');
    await expect(strip.locator('.quote-bid .quote-value')).toHaveText(/^[\d,]+(\.\d+)?$/, { timeout: 15_000 });
    await expect(strip.locator('.quote-ask .quote-value')).toHaveText(/^[\d,]+(\.\d+)?$/);
    await expect(page.getByTestId('quote-freshness')).toContainText('live');

    // Units and price meaning of the class; the bid becomes the limit (a buy resting at the bid).
    await page.getByLabel(c.quantityLabel, { exact: true }).fill(c.quantity);
    await page.getByLabel('Order type').selectOption('limit');
    await strip.locator('.quote-bid .quote-pick').click();
    const limit = await page.getByLabel(c.priceLabel, { exact: true }).inputValue();
    expect(limit).toMatch(/^\d+(\.\d+)?$/);
    await expect(page.getByTestId('ticket-preview')).toContainText('Notional');

    const confirmation = page.locator('.ticket-confirmation');
    await page.getByRole('button', { name: 'Submit order' }).click();
    await expect(confirmation).toContainText(/order [A-Z0-9]{5}-\d+/);
    const orderId = /([A-Z0-9]{5}-\d+)/.exec((await confirmation.textContent()) ?? '')?.[1] ?? '';

    await expect(desk.status(orderId)).toContainText(/New|Partially filled|Filled/);
    await expect(desk.cell(orderId, 'assetClass')).toHaveText(c.badge);
    await expect(desk.cell(orderId, 'symbol')).toHaveText(c.symbol);
    await expect(desk.cell(orderId, 'quantity')).toHaveText(c.shown);
    await expect(desk.cell(orderId, 'last')).toHaveText(/^[\d,]+(\.\d+)?$/, { timeout: 15_000 });
  });
}

test('a price off the tick grid and a quantity off the lot are refused in the ticket, before anything is sent', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await desk.pickInstrument('e-mini s&p 500 dec', { symbol: 'ESZ6' });
  await page.getByLabel('Quantity (contracts)', { exact: true }).fill('1');
  await page.getByLabel('Limit price (USD)', { exact: true }).fill('6000.10');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('.ticket .field-error').first()).toContainText('multiple of the tick size 0.25');
  await expect(page.locator('.ticket-confirmation')).toHaveText('');
  await desk.pickInstrument('Treasury 4.25% Nov 2034', { symbol: 'T 4.25 11/15/34' });
  await page.getByLabel('Face value (USD)', { exact: true }).fill('1500');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.getByText('Quantity must be a multiple of the lot size 1,000')).toBeVisible();
});

test('the picker is a combobox: arrows move through ranked matches, Enter picks, Escape closes; axe-clean', async ({ page }) => {
  // axe-core over a page whose quotes tick takes tens of seconds on a loaded machine.
  test.setTimeout(180_000);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const picker = desk.picker();
  await picker.fill('eur');
  const options = page.locator('.ticket [role="option"]');
  await expect(options.first()).toBeVisible();
  await expect(picker).toHaveAttribute('aria-expanded', 'true');
  expect(await options.count()).toBeGreaterThan(2);
  await expectAccessible(page, 'the ticket with the instrument picker open');
  await picker.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  const second = (await options.nth(1).locator('.picker-symbol').textContent()) ?? '';
  await picker.press('Escape');
  await expect(picker).toHaveAttribute('aria-expanded', 'false');
  await picker.press('ArrowDown');
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(page.locator('.ticket .instrument-card .symbol')).toHaveText(second);
  await expectAccessible(page, 'the ticket with an FX instrument and its quote');
});

test('market watch: add by the picker, ticking quotes, reorder, double-click to the ticket, remove; kept after a reload', async ({ page }) => {
  test.setTimeout(180_000);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  const watch = page.locator('.market-watch');
  const add = page.getByRole('combobox', { name: 'Add an instrument to the market watch' });
  // In row order (ag-grid's DOM order is not the rows' order).
  const symbols = async () =>
    (await watch.locator('.ag-row[row-index]').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('row-index')), r.querySelector('[col-id="symbol"]')?.textContent?.trim() ?? ''] as const)))
      .filter(([, symbol]) => symbol !== '')
      .sort((a, b) => a[0] - b[0])
      .map(([, symbol]) => symbol);

  for (const [typed, symbol] of [
    ['gold feb', 'GCG7'],
    ['microsoft corp', 'MSFT'],
    ['USD/JPY', 'USD/JPY'],
  ] as const) {
    await add.fill(typed);
    await expect(watch.locator('[role="option"]').first()).toBeVisible();
    await add.press('Enter');
    await expect(watch.locator(`.ag-row [col-id="symbol"]`, { hasText: symbol }).first()).toBeVisible();
  }
  await expect(add).toHaveValue('');
  await expect.poll(symbols).toEqual(['GCG7', 'MSFT', 'USD/JPY']);
  // Quotes arrive for each row.
  for (const id of ['GCG7.XCEC', 'MSFT.XNAS', 'USDJPY.SPOT']) await expect(watch.locator(`.ag-row[row-id="${id}"] [col-id="bid"]`)).toHaveText(/^[\d,]+(\.\d+)?$/, { timeout: 15_000 });
  await expectAccessible(page, 'the market watch with three instruments');

  // Reorder: Alt+↑ on USD/JPY moves it above MSFT.
  await watch.locator('.ag-row [col-id="symbol"]', { hasText: 'USD/JPY' }).click();
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(symbols).toEqual(['GCG7', 'USD/JPY', 'MSFT']);

  // Double-click on the ask: the ticket buys at the ask.
  const ask = (await watch.locator('.ag-row', { hasText: 'MSFT' }).locator('[col-id="ask"]').textContent())?.replace(/,/g, '') ?? '';
  await watch.locator('.ag-row', { hasText: 'MSFT' }).locator('[col-id="ask"]').dblclick();
  await expect(page.locator('.ticket .instrument-card .symbol')).toHaveText('MSFT');
  await expect(page.getByLabel('Side', { exact: true })).toHaveValue('buy');
  expect(Number(await page.getByLabel('Limit price (USD)', { exact: true }).inputValue())).toBeGreaterThan(0);
  expect(ask).toMatch(/^\d/);

  // Remove with Delete; the list is kept with the layout.
  await watch.locator('.ag-row [col-id="symbol"]', { hasText: 'GCG7' }).click();
  await page.keyboard.press('Delete');
  await expect.poll(symbols).toEqual(['USD/JPY', 'MSFT']);
  await page.waitForTimeout(1_500); // the workspace is saved a moment after a change
  await page.reload();
  await expect(page.getByText('SIM-A: Logged on')).toBeVisible({ timeout: 20_000 });
  await expect.poll(symbols, { timeout: 10_000 }).toEqual(['USD/JPY', 'MSFT']);
  await desk.resetLayout();
});
