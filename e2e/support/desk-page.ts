import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export interface TicketValues {
  /** The instrument's id in the desk's master (AAPL.XNAS): typed into the picker, which ranks it first. */
  instrumentId: string;
  side?: 'buy' | 'sell' | 'sellShort';
  quantity: string;
  orderType?: 'market' | 'limit' | 'stop' | 'stopLimit';
  limitPrice?: string;
  account?: string;
  broker?: string;
}

/** The desk as a person uses it: by the labels on screen. */
export class DeskPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByText('SIM-A: Logged on')).toBeVisible({ timeout: 20_000 });
    await expect(this.page.getByText('SIM-B: Logged on')).toBeVisible({ timeout: 20_000 });
  }

  /** Back to the default layout (columns, views, filters), as another test may have left it. */
  async resetLayout(): Promise<void> {
    await this.page.getByRole('button', { name: 'Layouts', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Layouts' });
    await dialog.getByRole('button', { name: 'Reset to default' }).click();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toBeHidden();
  }

  async fillTicket(t: TicketValues): Promise<void> {
    const p = this.page;
    await this.pickInstrument(t.instrumentId, { id: t.instrumentId });
    await p.getByLabel('Side', { exact: true }).selectOption(t.side ?? 'buy');
    await p.getByLabel('Quantity').fill(t.quantity);
    await p.getByLabel('Order type').selectOption(t.orderType ?? 'limit');
    if (t.limitPrice !== undefined) await p.getByLabel(/^Limit (price|rate|premium|\(% of par\))/).fill(t.limitPrice);
    if (t.account !== undefined) await p.getByLabel('Account', { exact: true }).selectOption(t.account);
    if (t.broker !== undefined) await p.getByLabel('Broker', { exact: true }).selectOption(t.broker);
  }

  /** The ticket's instrument picker. */
  picker(): Locator {
    return this.page.getByRole('combobox', { name: 'Instrument', exact: true });
  }

  /** Types into the ticket's picker, waits for the ranked matches and takes the best (Enter); checks what was picked. */
  async pickInstrument(typed: string, picked: { readonly symbol?: string; readonly id?: string }): Promise<void> {
    const picker = this.picker();
    await picker.fill(typed);
    await expect(this.page.locator('.ticket [role="option"]').first()).toBeVisible();
    await picker.press('Enter');
    const card = this.page.locator('.ticket .instrument-card');
    if (picked.id !== undefined) await expect(card).toHaveAttribute('data-instrument-id', picked.id);
    if (picked.symbol !== undefined) await expect(card.locator('.symbol')).toHaveText(picked.symbol);
  }

  /** Submits the ticket and returns the order id the desk confirmed. */
  async submit(t: TicketValues): Promise<string> {
    await this.fillTicket(t);
    const confirmation = this.page.locator('.ticket-confirmation');
    const previous = (await confirmation.count()) > 0 ? ((await confirmation.textContent()) ?? '') : '';
    await this.page.getByRole('button', { name: 'Submit order' }).click();
    await expect(confirmation).not.toHaveText(previous);
    await expect(confirmation).toContainText(/order [A-Z0-9]{5}-\d+/);
    const text = (await confirmation.textContent()) ?? '';
    const match = /([A-Z0-9]{5}-\d+)/.exec(text);
    if (!match?.[1]) throw new Error(`no order id in the confirmation: ${text}`);
    return match[1];
  }

  cell(orderId: string, colId: string): Locator {
    return this.page.locator(`.orders-blotter [row-id="${orderId}"] [col-id="${colId}"]`);
  }

  status(orderId: string): Locator {
    return this.cell(orderId, 'status');
  }
}
