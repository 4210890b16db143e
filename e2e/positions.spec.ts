import { expect, test } from '@playwright/test';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * Issue 14 in the browser: one instrument of each class bought against the simulator, then seen on
 * the positions screen: the position in its class's units, its P&L, group subtotals and the grand
 * total moving with a further fill; a start-of-day file with a bad row refused with its line, then a
 * good one imported. The desk's clock is fixed (contracts expire; no test reads the date).
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({
    startTime: '2026-12-07T15:00:00.000Z',
    funds: [
      { name: 'GLOBAL-MACRO', baseCurrency: 'USD', accounts: ['FUND-ALPHA', 'FUND-BETA'] },
      { name: 'EURO-CREDIT', baseCurrency: 'EUR', accounts: ['FUND-GAMMA'] },
      { name: 'STERLING', baseCurrency: 'GBP', accounts: ['FUND-DELTA'] },
    ],
  });
});

test.afterAll(async () => {
  await stack?.stop();
});

const TRADES = [
  { instrumentId: 'AAPL.XNAS', quantity: '100', shown: '100', label: 'Quantity (shares)' },
  { instrumentId: 'ESZ6.XCME', quantity: '2', shown: '2', label: 'Quantity (contracts)' },
  { instrumentId: 'EURUSD.3M', quantity: '1000000', shown: '1,000,000', label: 'Quantity (EUR)' },
  { instrumentId: 'AAPL261218C200', quantity: '5', shown: '5', label: 'Quantity (contracts)' },
  { instrumentId: 'UST.4.25.2034', quantity: '1000000', shown: '1,000,000', label: 'Face value (USD)' },
] as const;

/** A market order from the ticket, in the class's own quantity field; returns the order id. */
async function buyAtMarket(desk: DeskPage, t: { instrumentId: string; quantity: string; label: string }): Promise<string> {
  const p = desk.page;
  await desk.pickInstrument(t.instrumentId, { id: t.instrumentId });
  await p.getByLabel('Side', { exact: true }).selectOption('buy');
  await p.getByLabel(t.label, { exact: true }).fill(t.quantity);
  await p.getByLabel('Order type').selectOption('market');
  const confirmation = p.locator('.ticket-confirmation');
  const previous = (await confirmation.count()) > 0 ? ((await confirmation.textContent()) ?? '') : '';
  await p.getByRole('button', { name: 'Submit order' }).click();
  await expect(confirmation).not.toHaveText(previous);
  const match = /([A-Z0-9]{5}-\d+)/.exec((await confirmation.textContent()) ?? '');
  if (!match?.[1]) throw new Error('no order id in the confirmation');
  return match[1];
}

const NUMBER = /^-?[\d,]+\.\d\d$/;

test('one instrument of each class traded: positions, P&L, group totals and the grand total move', async ({ page }) => {
  test.setTimeout(120_000);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  for (const t of TRADES) {
    const orderId = await buyAtMarket(desk, t);
    await expect(desk.status(orderId)).toContainText('Filled', { timeout: 30_000 });
  }

  await page.getByRole('tab', { name: 'Positions' }).click();
  const view = page.getByRole('region', { name: 'Positions' });
  await view.getByLabel('Group by').selectOption({ label: 'Asset class › Currency' });
  await view.getByRole('button', { name: 'Expand all' }).click();
  const cell = (key: string, col: string) => view.locator(`[row-id="${key}"] [col-id="${col}"]`);
  for (const t of TRADES) {
    const key = `FUND-ALPHA|${t.instrumentId}`;
    await expect(cell(key, 'quantity')).toHaveText(t.shown, { timeout: 15_000 });
    await expect(cell(key, 'bought')).toHaveText(t.shown);
    await expect(cell(key, 'pnlBase')).toHaveText(NUMBER, { timeout: 15_000 });
    await expect(cell(key, 'markSource')).toHaveText(/last|mid|close/);
  }
  // FX: the quantity is in EUR, the exposure is its EUR leg; P&L in USD.
  await expect(cell('FUND-ALPHA|EURUSD.3M', 'exposureCurrency')).toHaveText('EUR');
  await expect(cell('FUND-ALPHA|EURUSD.3M', 'currency')).toHaveText('USD');
  // A group per class, with its subtotal; the grand total counts every position.
  const group = (id: string) => view.locator(`[row-id="${id}"]`);
  for (const c of ['equity', 'future', 'fx', 'option', 'bond']) await expect(group(`assetClass=${c}/`).locator('[col-id="pnlBase"]')).toHaveText(NUMBER);
  await expect(view.getByText('Total (5)', { exact: true })).toBeVisible();
  // Subtotals in the positions' own currency where the group is in one (every class here is in USD), in base always.
  const equityUsd = group('assetClass=equity/currency=USD/');
  await expect(equityUsd.locator('[col-id="currency"]')).toHaveText('USD');
  await expect(equityUsd.locator('[col-id="pnl"]')).toHaveText(NUMBER);
  await expect(equityUsd.locator('[col-id="exposure"]')).toHaveText(NUMBER);
  // FX: its P&L subtotal in USD, its exposure subtotal in EUR (the base-currency leg).
  await expect(group('assetClass=fx/').locator('[col-id="pnl"]')).toHaveText(NUMBER);
  await expect(group('assetClass=fx/').locator('[col-id="currency"]')).toHaveText('USD');
  await expect(group('assetClass=fx/').locator('[col-id="exposureCurrency"]')).toHaveText('EUR');
  await expect(group('assetClass=fx/').locator('[col-id="exposure"]')).toHaveText('1,000,000.00');
  await expect(cell('FUND-ALPHA|AAPL.XNAS', 'fxSource')).toHaveText('same currency');
  const equityGross = group('assetClass=equity/').locator('[col-id="grossExposureBase"]');
  const before = await equityGross.textContent();

  // Another 100 AAPL: the position, the equity subtotal and the total move.
  await page.getByRole('tab', { name: 'Trading' }).click();
  const more = await buyAtMarket(desk, TRADES[0]);
  await expect(desk.status(more)).toContainText('Filled', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Positions' }).click();
  await view.getByLabel('Group by').selectOption({ label: 'Asset class › Currency' });
  await view.getByRole('button', { name: 'Expand all' }).click();
  await expect(cell('FUND-ALPHA|AAPL.XNAS', 'quantity')).toHaveText('200', { timeout: 15_000 });
  await expect(equityGross).not.toHaveText(before ?? '');

  // Double-click: the position's orders and fills.
  await cell('FUND-ALPHA|AAPL.XNAS', 'label').dblclick();
  const dialog = page.getByRole('dialog', { name: /Orders and fills: AAPL · FUND-ALPHA/ });
  await expect(dialog.getByRole('table', { name: 'Orders of the position' }).locator('tbody tr')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Close' }).click();
});

test('a bad start-of-day file is refused with its line; a good one is imported', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await page.getByRole('tab', { name: 'Positions' }).click();
  const view = page.getByRole('region', { name: 'Positions' });
  const picker = view.getByLabel('Import start of day');
  const bad = ['account,instrumentId,quantity,price', 'FUND-BETA,MSFT.XNAS,300,400', 'FUND-BETA,NOPE.XXXX,1,1'].join('\n');
  await picker.setInputFiles({ name: 'sod-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(view.getByRole('alert')).toContainText("line 3, instrumentId: no instrument 'NOPE.XXXX'");
  await expect(view.getByRole('alert')).toContainText('nothing loaded');
  await expect(view.locator('[row-id="FUND-BETA|MSFT.XNAS"]')).toHaveCount(0);

  // FUND-GAMMA is in EURO-CREDIT (base EUR): pence-priced Vodafone through EUR/GBP; FUND-DELTA in STERLING (GBP):
  // Toyota's yen crossed through USD (the master has no GBP/JPY).
  const good = ['account,instrumentId,quantity,price', 'FUND-BETA,MSFT.XNAS,300,400', 'FUND-GAMMA,VOD.XLON,1000,70', 'FUND-DELTA,7203.XTKS,100,2500'].join('\n');
  await picker.setInputFiles({ name: 'sod.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(view.getByRole('status')).toContainText('3 positions');
  await view.getByLabel('Group by').selectOption({ label: 'No grouping' });
  await expect(view.locator('[row-id="FUND-BETA|MSFT.XNAS"] [col-id="startQuantity"]')).toHaveText('300');
  const fx = (key: string, col: string) => view.locator(`[row-id="${key}"] [col-id="${col}"]`);
  await expect(fx('FUND-GAMMA|VOD.XLON', 'fxSource')).toHaveText(/^1\/EURGBP\.SPOT (last|mid|close)$/, { timeout: 15_000 });
  await expect(fx('FUND-DELTA|7203.XTKS', 'fxSource')).toHaveText(/^1\/USDJPY\.SPOT (last|mid|close) × 1\/GBPUSD\.SPOT (last|mid|close)$/, { timeout: 15_000 });
  await expect(fx('FUND-DELTA|7203.XTKS', 'fxRate')).toHaveText(/^0\.00\d+$/);
  await expect(fx('FUND-DELTA|7203.XTKS', 'fxAge')).toHaveText(/^\d+[smh]$/);
  await expect(fx('FUND-DELTA|7203.XTKS', 'pnlBase')).toHaveText(NUMBER);
});
