import type { Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { aReferral, type NeedsBody, type ReferralBody } from '@placement/test-support';

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

/**
 * The README's referral: a girl of 14 wanted from 1 December 2026 near S66, at risk of going
 * missing, for whom Beechcroft (rmbc-ch-02) has bed b3; a case names its own child.
 */
export function readmeReferral(referralId: string, childId: string, needs: Partial<NeedsBody> = {}): ReferralBody {
  return aReferral({
    referralId,
    childId,
    child: { dateOfBirth: '2012-05-14', homePostcode: 'S60 3DY' },
    startDate: '2026-12-01',
    needs: { preferredArea: { postcodeDistrict: 'S66', maxDistanceKm: 20 }, risksToSelf: ['going-missing'], ...needs },
    requestedBy: { role: 'social-worker', team: 'children-in-care-north' },
  });
}

/** Types a date into a GOV.UK date input found by its legend. */
export async function fillDate(page: Page, legend: string, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  const group = page.getByRole('group', { name: legend, exact: true });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year);
}
