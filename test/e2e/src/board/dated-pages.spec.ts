import type { BrowserContext, Page } from 'playwright-core';
import { aMeeting, aPlacement, aReferral } from '@placement/test-support';
import { expectCreated, refer } from '../support/fixtures';
import { TestClock } from '../support/clock';
import { api, TOKENS, type TestServer } from '../support/server';
import { describeInBrowser, launchBrowser, newContext, screenshot, type RunningBrowser } from './browser';
import { fillDate, seriousViolations, signIn, type DemoRole } from './board';
import { startBoard } from './server';

/**
 * The board's dated pages (capacity on any night, a home's two-week diary), the work queue and
 * the meeting's overrides, in a real browser on the demo estate. Tonight is 30 November 2026; a
 * child is booked into Beechcroft's bed b3 from 3 December.
 */
describeInBrowser('the dated pages of the board in a real browser', () => {
  let server: TestServer;
  let chrome: RunningBrowser;
  const clock = new TestClock();
  const contexts: BrowserContext[] = [];

  async function as(role: DemoRole): Promise<Page> {
    const context = await newContext(chrome.browser, server.baseUrl);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, role);
    return page;
  }

  /** The page's serious or critical axe violations, each named with the page. */
  async function scan(page: Page, name: string): Promise<string[]> {
    await screenshot(page, name);
    return (await seriousViolations(page)).map((v) => `${name}: ${v.id} (${v.impact}) ${v.targets.join(', ')}`);
  }

  beforeAll(async () => {
    server = await startBoard({}, clock);
    chrome = await launchBrowser();
    // A planned arrival: matched, held and placed in Beechcroft's b3 from 3 December.
    await refer(server, { referralId: 'ref-dated', childId: 'dated-1', startDate: '2026-12-03' });
    await expectCreated(server, '/v1/referrals/ref-dated/holds', TOKENS.placement, {
      settingId: 'rmbc-ch-02',
      bedId: 'b3',
      until: clock.inMs(72 * 3_600_000),
    });
    await expectCreated(server, '/v1/referrals/ref-dated/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'mtg-dated', settingId: 'rmbc-ch-02', residents: ['c0004', 'c0005'] }),
      heldOn: '2026-11-30',
    });
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'pl-dated',
        childId: 'dated-1',
        referralId: 'ref-dated',
        settingId: 'rmbc-ch-02',
        bedId: 'b3',
        startDate: '2026-12-03',
      }),
    );
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('shows capacity on any night, each unit with its state and next change; a bad date is an error', async () => {
    const page = await as('placement-officer');
    const b3 = () => page.locator('#capacity-units tr', { hasText: 'Beechcroft' }).filter({ hasText: 'Bed Room 3' });
    await page.goto('/');
    expect(await page.locator('h1').innerText()).toContain('Capacity tonight');
    // Tonight b3 is free, its arrival booked for the 3rd.
    expect(await b3().innerText()).toMatch(/Reserved[\s\S]*Planned arrival 3 December 2026/);

    // The night of the 4th, chosen in the date input (a GET form: it works without JavaScript).
    await fillDate(page, 'Show the board for the night of', '2026-12-04');
    await page.getByRole('button', { name: 'Show this night' }).click();
    await page.waitForURL(/on-day=4/);
    expect(await page.locator('h1').innerText()).toContain('Capacity on the night of 4 December 2026');
    expect(await b3().innerText()).toMatch(/Occupied[\s\S]*Occupied since 3 December 2026/);
    const found = await scan(page, 'dated-capacity-2026-12-04');

    // The filters keep the night; the link back leads to tonight.
    await page.getByLabel('Kind').selectOption('residential');
    await page.getByRole('button', { name: 'Filter units' }).click();
    expect(page.url()).toContain('on=2026-12-04');
    expect(await page.locator('h1').innerText()).toContain('4 December 2026');

    // A night that never was: the error summary, linked to the date input, not a failure.
    const res = await page.goto('/?on=2026-02-30');
    expect(res?.status()).toBe(400);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter a real date');
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#on-day');
    expect(await page.locator('h1').innerText()).toContain('Capacity tonight');
    found.push(...(await scan(page, 'dated-capacity-invalid')));
    expect(found).toEqual([]);
  }, 240_000);

  it("shows a home's beds as a two-week diary, by fortnights; another's names no one", async () => {
    const page = await as('residential-manager');
    await page.goto('/homes/rmbc-ch-02');
    await page.getByRole('link', { name: 'Two-week diary of Beechcroft' }).click();
    expect(await page.locator('caption').innerText()).toBe('Beds at Beechcroft, 30 November 2026 to 13 December 2026');
    // A header per night, a row header per bed: the cell under Thursday 3 December is b3's planned arrival.
    const nights = await page.locator('table.board-diary thead th').allInnerTexts();
    expect(nights).toHaveLength(15);
    expect(await page.locator('table.board-diary thead th[scope="col"]').count()).toBe(15);
    const third = nights.findIndex((n) => n.startsWith('Thu 3 Dec'));
    const b3 = page.locator('table.board-diary tbody tr', { hasText: 'Bed b3' });
    expect(await b3.locator('th[scope="row"]').innerText()).toContain('Bed b3');
    expect(await b3.locator('th, td').nth(third).innerText()).toBe('Planned arrival: child dated-1');
    expect(
      await b3
        .locator('th, td')
        .nth(third + 1)
        .innerText(),
    ).toBe('Occupied: child dated-1');
    expect(await b3.locator('th, td').nth(1).innerText()).toBe('Free'); // the hold became the booking
    const found = await scan(page, 'diary-rmbc-ch-02');

    await page.getByRole('link', { name: /Next fortnight/ }).click();
    expect(page.url()).toContain('from=2026-12-14');
    expect(await page.locator('caption').innerText()).toContain('14 December 2026 to 27 December 2026');
    await page.getByRole('link', { name: /Previous fortnight/ }).click();
    expect(page.url()).toContain('from=2026-11-30');

    // A home this manager does not keep: which beds are booked, not by whom.
    const elsewhere = await api<{ beds: { state: { occupant?: { childId: string; placementId: string } } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-05',
      { token: TOKENS.auditor },
    );
    const residents = elsewhere.body.beds.flatMap((b) => (b.state.occupant ? [b.state.occupant] : []));
    expect(residents.length).toBeGreaterThan(0);
    await page.goto('/homes/rmbc-ch-05/diary');
    const other = await page.locator('main').innerText();
    expect(other).toContain('Occupied');
    expect(other).toContain('Not shown: this is not one of the homes you keep');
    for (const r of residents) {
      expect(other).not.toContain(r.childId);
      expect(other).not.toContain(r.placementId);
    }
    found.push(...(await scan(page, 'diary-rmbc-ch-05-not-kept')));

    const res = await page.goto('/homes/rmbc-ch-02/diary?from=2026-13-01');
    expect(res?.status()).toBe(400);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter a real date');
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#from-day');
    found.push(...(await scan(page, 'diary-invalid-date')));
    expect(found).toEqual([]);
  }, 240_000);

  it('shows each person their work queue, newest first, each alert in words with a link to its page', async () => {
    // A hold that lapses within the hour, on a bed free tonight: HOLD_LAPSING, the newest alert of all.
    const capacity = await api<{ units: { beds: { settingId: string; bedId: string; status: string }[] } }>(
      server,
      'GET',
      '/v1/capacity',
      { token: TOKENS.auditor },
    );
    const bed = capacity.body.units.beds.find((b) => b.status === 'vacant' && b.settingId !== 'rmbc-ch-02');
    if (!bed) throw new Error('the seed has no vacant bed');
    await refer(server, { referralId: 'ref-queue', childId: 'queue-1' });
    await expectCreated(server, '/v1/referrals/ref-queue/holds', TOKENS.placement, {
      settingId: bed.settingId,
      bedId: bed.bedId,
      until: clock.inMs(3_600_000),
    });
    const listed = async (token: string) =>
      (await api<{ items: { alertId: string }[] }>(server, 'GET', '/v1/alerts?limit=200', { token })).body.items;
    const found: string[] = [];

    const officer = await as('placement-officer');
    await officer.getByRole('link', { name: 'Work queue' }).click();
    expect(await officer.locator('h1').innerText()).toBe('Work queue');
    const rows = officer.locator('table tbody tr');
    expect(await rows.count()).toBe((await listed(TOKENS.placement)).length);
    const first = await rows.first().innerText();
    expect(first).toContain('A hold on a bed lapses within two hours');
    expect(first).toContain(`Bed ${bed.bedId} at ${bed.settingId}`);
    found.push(...(await scan(officer, 'work-queue-officer')));
    await rows
      .first()
      .getByRole('link', { name: /Referral ref-queue/ })
      .click();
    await officer.waitForURL(/\/referrals\/ref-queue$/);

    // A residential manager's queue is the API's for their role: their homes and the children known to them.
    const manager = await as('residential-manager');
    await manager.goto('/work-queue');
    const theirs = await listed(TOKENS.manager);
    expect(theirs.length).toBeLessThan((await listed(TOKENS.placement)).length);
    expect(await manager.locator('table tbody tr').count()).toBe(theirs.length);
    expect(await manager.locator('main').innerText()).not.toContain('rmbc-ch-05');
    found.push(...(await scan(manager, 'work-queue-manager')));
    expect(found).toEqual([]);
  }, 240_000);

  it('records an override per binding exclusion; without one, placing there is refused in words', async () => {
    // A child who needs a solo placement: the engine excludes every bed of a home where children live.
    const capacity = await api<{ units: { beds: { settingId: string; bedId: string; status: string }[] } }>(
      server,
      'GET',
      '/v1/capacity',
      { token: TOKENS.auditor },
    );
    const beds = capacity.body.units.beds;
    const bed = beds.find(
      (b) =>
        b.status === 'vacant' &&
        b.settingId !== 'rmbc-ch-02' &&
        beds.some((o) => o.settingId === b.settingId && o.status === 'occupied'),
    );
    if (!bed) throw new Error('the seed has no vacant bed in a home where children live');
    const solo = aReferral({ referralId: 'ref-solo', childId: 'solo-1', startDate: '2026-12-01' });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...solo,
      needs: { ...solo.needs, canLiveWith: ['solo'] },
    });
    await expectCreated(server, '/v1/referrals/ref-solo/holds', TOKENS.placement, {
      settingId: bed.settingId,
      bedId: bed.bedId,
      until: clock.inMs(48 * 3_600_000),
    });
    const page = await as('placement-officer');
    const meeting = async (override: boolean): Promise<void> => {
      await page.goto(`/referrals/ref-solo/meeting?settingId=${bed.settingId}`);
      for (const radio of await page.locator('input[value="no-concerns"]').all()) await radio.check();
      await page.getByLabel('Matched', { exact: true }).check();
      await page.getByLabel('Main reason').selectOption('NEEDS_MET');
      if (override) {
        await page.getByLabel(/Override: the child cannot live with those living there \(CANNOT_LIVE_WITH\)/).check();
        // Ticked with no reason and no one authorising: the error summary says so, naming the code.
        await page.getByRole('button', { name: 'Record the meeting' }).click();
        const summary = await page.locator('.govuk-error-summary').innerText();
        expect(summary).toContain('Say why the meeting sets aside CANNOT_LIVE_WITH');
        expect(summary).toContain('Select who authorised the override of CANNOT_LIVE_WITH');
        found.push(...(await scan(page, 'meeting-override-errors')));
        await page.getByLabel('Why the meeting sets aside CANNOT_LIVE_WITH').fill('The panel agreed she can share.');
        await page.getByLabel(/Who authorised the override of CANNOT_LIVE_WITH/).selectOption('registered-manager');
      }
      await page.getByRole('button', { name: 'Record the meeting' }).click();
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Matching meeting recorded');
    };
    const place = async (): Promise<void> => {
      await page.goto('/referrals/ref-solo/placement');
      await page.getByLabel(new RegExp(`Bed ${bed.bedId} \\(`)).check();
      await page.getByLabel('Legal status (SSDA903 LS)').selectOption('C2');
      await page.getByRole('button', { name: 'Place the child' }).click();
    };
    const found: string[] = [];

    await page.goto(`/referrals/ref-solo/meeting?settingId=${bed.settingId}`);
    expect(await page.locator('main').innerText()).toContain(
      'Override: the child cannot live with those living there (CANNOT_LIVE_WITH)',
    );
    found.push(...(await scan(page, 'meeting-overrides')));

    // Matched with no override: the placement is refused, the exclusion named in plain English.
    await meeting(false);
    await place();
    const refused = await page.locator('.govuk-error-summary').innerText();
    expect(refused).toContain('the child cannot live with those living there (CANNOT_LIVE_WITH)');
    expect(refused).toContain('(EXCLUDED_BY_MATCHING)');
    found.push(...(await scan(page, 'placement-excluded-by-matching')));

    // A meeting that overrides it, with its reason and who authorised it: the placement goes ahead.
    await meeting(true);
    await place();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `Placed: bed ${bed.bedId} at ${bed.settingId}`,
    );
    expect(found).toEqual([]);
  }, 240_000);
});
