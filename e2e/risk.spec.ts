import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * Pre-trade risk end to end: the ticket's inline checks, a warning overridden with a reason, a hard
 * block, and the kill switch with orders working at two brokers and an algo running (all canceled, new orders refused,
 * reduce-only letting a closing order through, trading resumed).
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({
    riskLimits: {
      instruments: { 'AAPL.XNAS': { maxQuantity: { block: '100000' } } },
      watch: ['MSFT.XNAS'],
      overrideRoles: ['trader'],
      defaultRole: 'trader',
    },
  });
});

test.afterAll(async () => {
  await stack?.stop();
});

// axe-core on a loaded machine takes a while per screen.
test.describe.configure({ timeout: 240_000 });

const checks = (page: Page) => page.locator('.ticket').getByRole('list', { name: 'Pre-trade checks' });

test('a watch-list warning shows in the ticket and is sent once overridden with a reason, kept on the order', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await desk.fillTicket({ instrumentId: 'MSFT.XNAS', quantity: '10', limitPrice: '400', broker: 'SIM-B' });
  await expect(checks(page)).toContainText('Warning INSTRUMENT_ON_WATCH_LIST instrument=MSFT.XNAS');
  const reason = page.getByLabel('Override reason');
  await expect(reason).toBeVisible();
  await expectAccessible(page, 'ticket with a risk warning');

  // Without a reason the desk refuses, saying why.
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('.ticket .form-error[role="alert"]')).toContainText('override with a reason');

  await reason.fill('PM approved by phone');
  const orderId = await desk.submit({ instrumentId: 'MSFT.XNAS', quantity: '10', limitPrice: '400', broker: 'SIM-B' });
  await expect(desk.cell(orderId, 'risk')).toContainText(/overridden by .+: INSTRUMENT_ON_WATCH_LIST \(PM approved by phone\)/);
});

test('a hard block cannot be overridden: refused with its code and figures, kept on the denied order', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await desk.fillTicket({ instrumentId: 'AAPL.XNAS', quantity: '200000', limitPrice: '150', broker: 'SIM-A' });
  await expect(checks(page)).toContainText('Blocked QUANTITY_ABOVE_MAX quantity=200000 max=100000');
  await expect(page.getByLabel('Override reason')).toHaveCount(0);
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('.ticket .form-error[role="alert"]')).toContainText('blocked by the pre-trade checks: QUANTITY_ABOVE_MAX quantity=200000 max=100000');
  await expect(page.locator('.orders-blotter [col-id="risk"]', { hasText: 'blocked: QUANTITY_ABOVE_MAX' })).toHaveCount(1);
});

test('the kill switch cancels orders working at two brokers and an algo, refuses new ones, reduce-only lets a closing order through, and trading resumes', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  // A position to close later: 100 AAPL bought (marketable at 200 against an offer near 190).
  const bought = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '100', limitPrice: '200', broker: 'SIM-A' });
  await expect(desk.status(bought)).toContainText('Filled', { timeout: 15_000 });
  // Orders resting at both brokers (limits far below the market).
  const atA = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '50', limitPrice: '150', broker: 'SIM-A' });
  const atB = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '60', limitPrice: '151', broker: 'SIM-B', account: 'FUND-BETA' });
  await expect(desk.status(atA)).toHaveText(/^New/);
  await expect(desk.status(atB)).toHaveText(/^New/);
  // And an algo running: a passive TWAP whose children rest below the market.
  await page.getByRole('button', { name: 'Algos', exact: true }).click();
  const algos = page.getByRole('dialog', { name: 'Algos' });
  const algoTicket = algos.getByRole('form', { name: 'Algo ticket' });
  await algoTicket.getByLabel('Strategy').selectOption('twap');
  await algoTicket.getByLabel('Instrument').selectOption('AAPL.XNAS');
  await algoTicket.getByLabel('Quantity').fill('1200');
  await algoTicket.getByLabel('Limit price').fill('150');
  await algoTicket.getByLabel('Duration (minutes)').fill('10');
  await algoTicket.getByLabel('Slices').fill('20');
  await algoTicket.getByLabel('Child style').selectOption('passive');
  await algoTicket.getByRole('button', { name: 'Start algo' }).click();
  await expect(algoTicket.getByRole('status')).toContainText(/Algo algo-\S+ started/);
  const algoStatus = algos.getByTestId('algo-status').first();
  await expect(algoStatus).toHaveText('Running');
  const algoChildren = algos.locator('.algo-children tbody tr');
  await expect(algoChildren.first()).toContainText(/New|Pending new/, { timeout: 15_000 });
  await algos.getByRole('button', { name: 'Close', exact: true }).click();

  await page.getByRole('button', { name: 'Kill switch', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Kill switch' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Cancel')).toHaveValue('all');
  await dialog.getByLabel('Then trading is').selectOption('halted');
  await dialog.getByLabel('Reason').fill('e2e: runaway orders');
  await expectAccessible(page, 'kill switch confirmation');
  await dialog.getByRole('button', { name: 'Confirm kill switch' }).click();
  await expect(dialog).toBeHidden();

  await expect(desk.status(atA)).toContainText('Canceled');
  await expect(desk.status(atB)).toContainText('Canceled');
  // The algo is cancelled with its working children, and sends nothing more.
  await page.getByRole('button', { name: 'Algos', exact: true }).click();
  await expect(algoStatus).toHaveText('Cancelled', { timeout: 15_000 });
  await expect(algoChildren.filter({ hasText: /^(?!.*(Canceled|Filled|Rejected)).*$/ })).toHaveCount(0, { timeout: 15_000 });
  const sent = await algoChildren.count();
  await algos.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByText(/^Trading halted: no new orders \(kill switch by .+: e2e: runaway orders\)/)).toBeVisible();
  await expect(page.locator('.statusbar')).toContainText('Trading: Halted');

  // New orders are refused, with the reason, in the ticket.
  await desk.fillTicket({ instrumentId: 'AAPL.XNAS', quantity: '10', limitPrice: '150', broker: 'SIM-A', account: 'FUND-ALPHA' });
  await expect(checks(page)).toContainText('Blocked TRADING_HALTED');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('.ticket .form-error[role="alert"]')).toContainText('TRADING_HALTED');

  // The hotkey: reduce-only.
  await page.locator('.app-title').click();
  await page.keyboard.press('Shift+K');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Then trading is').selectOption('reduceOnly');
  await dialog.getByLabel('Reason').fill('e2e: close out only');
  await dialog.getByRole('button', { name: 'Confirm kill switch' }).click();
  await expect(page.getByText(/^Reduce-only: only orders that reduce a position/)).toBeVisible();

  // Buying more is refused; selling the 100 held goes through.
  await desk.fillTicket({ instrumentId: 'AAPL.XNAS', quantity: '10', limitPrice: '150', broker: 'SIM-A', account: 'FUND-ALPHA' });
  await expect(checks(page)).toContainText('Blocked REDUCE_ONLY position=100 quantity=10 side=buy');
  const closing = await desk.submit({ instrumentId: 'AAPL.XNAS', side: 'sell', quantity: '100', limitPrice: '150', broker: 'SIM-A', account: 'FUND-ALPHA' });
  await expect(desk.status(closing)).toContainText(/New|Partially filled|Filled/);

  // Resume.
  await page.getByRole('button', { name: 'Risk limits', exact: true }).click();
  const risk = page.getByRole('dialog', { name: 'Risk limits' });
  await expect(risk.getByRole('table', { name: 'Usage per account' })).toContainText('FUND-ALPHA');
  await expectAccessible(page, 'risk limits dialog');
  await risk.getByLabel('Reason to resume').fill('e2e: all clear');
  await risk.getByRole('button', { name: 'Resume trading' }).click();
  await expect(risk.getByText('Trading resumed')).toBeVisible();
  await risk.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText(/^Reduce-only/)).toHaveCount(0);
  const after = await desk.submit({ instrumentId: 'AAPL.XNAS', quantity: '10', limitPrice: '150', broker: 'SIM-A', account: 'FUND-ALPHA' });
  await expect(desk.status(after)).toHaveText(/^New/);
  // The cancelled algo stayed cancelled: no child after the kill switch, not even once trading resumed.
  await page.getByRole('button', { name: 'Algos', exact: true }).click();
  await expect(algoStatus).toHaveText('Cancelled');
  await expect(algoChildren).toHaveCount(sent);
});
