import type { Page } from 'playwright-core';
import { expectCreated } from '../support/fixtures';
import { api, TOKENS, type TestServer } from '../support/server';
import { describeInBrowser, launchBrowser, newContext, screenshot, type RunningBrowser } from './browser';
import { signIn } from './board';
import { startBoard } from './server';

/** The README's referral: a girl of 14 wanted from 1 December 2026, for whom Beechcroft (rmbc-ch-02) has bed b3. */
const REFERRAL = {
  referralId: 'ref-demo-1',
  childId: 'demo-1',
  child: {
    sex: 'F',
    dateOfBirth: '2012-05-14',
    localAuthority: 'E08000018',
    homePostcode: 'S60 3DY',
    categoryOfNeed: 'N1',
  },
  urgency: 'planned',
  startDate: '2026-12-01',
  needs: {
    preferredArea: { postcodeDistrict: 'S66', maxDistanceKm: 20 },
    communicationNeeds: [],
    adaptations: [],
    canLiveWith: ['with-others'],
    placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
    fosterPlacementType: 'long-term',
    risksToSelf: ['going-missing'],
    risksToOthers: [],
    deprivationOfLiberty: false,
  },
  requestedBy: { role: 'social-worker', team: 'children-in-care-north' },
};

/** The confirmation after a form; a refusal's error summary fails the test with its words. */
async function notice(page: Page): Promise<string> {
  const said = page.locator('.govuk-notification-banner, .govuk-error-summary, main h1').first();
  await said.waitFor();
  const summary = page.locator('.govuk-error-summary');
  if ((await summary.count()) > 0) throw new Error(`refused: ${await summary.innerText()}`);
  return page.locator('.govuk-notification-banner').innerText();
}

describeInBrowser('the residential case study, through the pages in a real browser', () => {
  let server: TestServer;
  let chrome: RunningBrowser;
  beforeAll(async () => {
    server = await startBoard();
    chrome = await launchBrowser();
    await expectCreated(server, '/v1/referrals', TOKENS.placement, REFERRAL);
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('as placement officer: referral → matches → hold → meeting → place', async () => {
    const context = await newContext(chrome.browser, server.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'placement-officer');
    await page.getByRole('link', { name: 'ref-demo-1' }).click();
    expect(await page.locator('h1').innerText()).toContain('Child demo-1');
    await screenshot(page, 'officer-1-referral');

    await page.getByRole('button', { name: 'See ranked matches' }).click();
    await screenshot(page, 'officer-2-matches');
    await page.getByRole('button', { name: 'Hold Bed b3 at rmbc-ch-02' }).click();
    expect(await notice(page)).toContain('Bed b3 at rmbc-ch-02 is held for 48 hours');

    // The meeting form lists the two children living at Beechcroft.
    await page.getByRole('group', { name: 'Child c0004' }).getByLabel('No concerns').check();
    await page.getByRole('group', { name: 'Child c0005' }).getByLabel('Manageable').check();
    await page.getByLabel('Matched', { exact: true }).check();
    await page.getByLabel('Main reason').selectOption('NEEDS_MET');
    await screenshot(page, 'officer-3-meeting');
    await page.getByRole('button', { name: 'Record the meeting' }).click();
    expect(await notice(page)).toContain('Matching meeting recorded: matched');

    await page.getByRole('button', { name: 'Place', exact: true }).click();
    await page.getByLabel(/Bed b3 \(Room 3\) at Beechcroft/).check();
    await page.getByLabel('Legal status (SSDA903 LS)').selectOption('C2');
    await screenshot(page, 'officer-4-placement');
    await page.getByRole('button', { name: 'Place the child' }).click();
    expect(await notice(page)).toContain('Placed: bed b3 at rmbc-ch-02 from 2026-12-01');

    const bed = await api<{ beds: { bedId: string; state: { status: string; occupant?: { childId: string } } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state).toMatchObject({
      status: 'Occupied',
      occupant: { childId: 'demo-1' },
    });
    await context.close();
  });
});
