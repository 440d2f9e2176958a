import type { Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export type DemoRole = 'placement-officer' | 'residential-manager' | 'auditor' | 'admin';

/** Signs in on the demo page as one of the four demo people. */
export async function signIn(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('radio', { name: new RegExp(`^${role.replace('-', ' ')}`, 'i') }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('domcontentloaded');
}

/** The axe-core scan: WCAG 2.2 A and AA rules; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
}
