import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

/**
 * axe-core on what the page shows now (or the part `within` selects): no serious or critical violation (WCAG 2.x A and AA rules and
 * axe's best practices). A failure lists each rule, its impact and where.
 */
export async function expectAccessible(page: Page, screen: string, within?: string): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  const results = await (within !== undefined ? builder.include(within) : builder).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join('; ') ?? ''}`).join('\n')}`);
  expect(report, `axe-core on ${screen}`).toEqual([]);
}
