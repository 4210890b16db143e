import { expect, test } from '@playwright/test';
import { SIM_ALGO_FILE } from '../electron/simulator/sim-broker-algos';
import { expectAccessible } from './support/axe';
import type { DeskStack } from './support/desk-stack';
import { startDeskStack } from './support/desk-stack';
import { DeskPage } from './support/desk-page';

/**
 * Issue 15, brokers' algos in the browser: SIM-A publishes the simulator's FIXatdl file, SIM-B none.
 * The ticket renders the strategy's parameters from the file, refuses a bad value inline, sends, and
 * the simulator works the order in slices to a fill.
 */
let stack: DeskStack;

test.beforeAll(async () => {
  stack = await startDeskStack({ algoDefinitions: { 'SIM-A': SIM_ALGO_FILE } });
});

test.afterAll(async () => {
  await stack?.stop();
});

test("pick the broker's algo, fill its parameters, see an invalid value inline, send, see it fill", async ({ page }) => {
  // axe on the ticket and four fill rounds of 0.7 s: under a loaded machine this runs near the default minute.
  test.setTimeout(120_000);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await desk.fillTicket({ instrumentId: 'AAPL.XNAS', quantity: '400', limitPrice: '191', broker: 'SIM-A' });

  const algo = page.getByLabel('Broker algo');
  await algo.selectOption({ label: 'Sim POV' });
  // The panel from the file: its labels, the required mark, the range as a hint.
  const rate = page.getByLabel('Participation rate');
  await expect(rate).toHaveAttribute('aria-required', 'true');
  await expect(rate).toHaveAttribute('placeholder', '0.01 – 0.5');
  await expect(page.getByLabel('I-would price')).toBeVisible();
  await expectAccessible(page, 'the ticket with a broker algo', '.ticket');

  // Out of the file's range: shown under the field, and nothing is sent.
  await rate.fill('0.75');
  await rate.blur();
  const inline = page.locator('.broker-algo .field-error', { hasText: 'ParticipationRate must be at most 0.5' });
  await expect(inline).toBeVisible();
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(rate).toBeFocused();
  await expect(page.locator('.ticket-confirmation')).toHaveText('');

  // A rule of the file across two parameters.
  await page.getByLabel('Minimum rate').fill('0.3');
  await rate.fill('0.25');
  await expect(inline).toBeHidden();
  await page.getByLabel('Minimum rate').blur();
  await expect(page.locator('.broker-algo .field-error', { hasText: 'The minimum rate may not exceed the participation rate' })).toBeVisible();
  await page.getByLabel('Minimum rate').fill('');

  await page.getByRole('button', { name: 'Submit order' }).click();
  const confirmation = page.locator('.ticket-confirmation');
  await expect(confirmation).toContainText(/order [A-Z0-9]{5}-\d+/);
  const orderId = /([A-Z0-9]{5}-\d+)/.exec((await confirmation.textContent()) ?? '')?.[1] ?? '';
  // Worked at 25% a round: four fills of 100.
  await expect(desk.status(orderId)).toHaveText('Filled', { timeout: 20_000 });
  await expect(desk.cell(orderId, 'cumQty')).toHaveText('400');
  // The blotter says whose algo works it.
  await expect(desk.cell(orderId, 'strategy')).toHaveText('SIM-POV (broker)');
  await expect(desk.cell(orderId, 'parentId')).toHaveText('');
});

test('a broker without a FIXatdl file offers no broker algo; changing broker clears the choice', async ({ page }) => {
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await page.getByLabel('Broker', { exact: true }).selectOption('SIM-A');
  await page.getByLabel('Broker algo').selectOption({ label: 'Sim VWAP' });
  await expect(page.getByLabel('Urgency')).toHaveValue('M');
  await page.getByLabel('Broker', { exact: true }).selectOption('SIM-B');
  await expect(page.getByLabel('Broker algo')).toHaveCount(0);
  await page.getByLabel('Broker', { exact: true }).selectOption('SIM-A');
  await expect(page.getByLabel('Broker algo')).toHaveValue('');
});

test("the algo ticket routes a parent to the broker's own algo: its panel from the file, one order, worked by the broker", async ({ page }) => {
  test.setTimeout(90_000);
  const desk = new DeskPage(page);
  await desk.open(stack.url);
  await page.getByRole('button', { name: 'Algos', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Algos' });
  const ticket = dialog.getByRole('form', { name: 'Algo ticket' });
  await ticket.getByLabel('Strategy').selectOption({ label: "Broker's own algo" });
  await ticket.getByLabel('Broker', { exact: true }).selectOption('SIM-A');
  // The desk's own schedule fields give way to the broker's parameters.
  await expect(ticket.getByLabel('Slices', { exact: true })).toHaveCount(0);
  await expect(ticket.getByLabel('Child style')).toHaveCount(0);
  await ticket.getByLabel('Instrument').selectOption('AAPL.XNAS');
  await ticket.getByLabel('Quantity').fill('300');
  await ticket.getByLabel('Limit price').fill('191');
  await ticket.getByRole('button', { name: "Send to the broker's algo" }).click();
  await expect(ticket.locator('#algo-strategy-error')).toHaveText("choose the broker's algo");
  await ticket.getByLabel('Broker algo').selectOption({ label: 'Sim VWAP' });
  await ticket.getByLabel('Urgency').selectOption({ label: 'High' });
  await ticket.getByRole('button', { name: "Send to the broker's algo" }).click();
  await expect(ticket.getByRole('status')).toContainText(/Order [A-Z0-9]{5}-\d+ routed to SIM-A's SIM-VWAP/);
  const orderId = /Order ([A-Z0-9]{5}-\d+)/.exec((await ticket.getByRole('status').textContent()) ?? '')?.[1] ?? '';
  // Urgency High: the simulator works it in two slices to a fill; the blotter says whose algo it is.
  await expect(desk.status(orderId)).toHaveText('Filled', { timeout: 20_000 });
  await expect(desk.cell(orderId, 'strategy')).toHaveText('SIM-VWAP (broker)');
  await expect(desk.cell(orderId, 'cumQty')).toHaveText('300');
});
