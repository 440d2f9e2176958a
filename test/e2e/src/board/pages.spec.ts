import type { BrowserContext, Page } from 'playwright-core';
import { expectCreated } from '../support/fixtures';
import { TestClock } from '../support/clock';
import { api, TOKENS, type TestServer } from '../support/server';
import { describeInBrowser, launchBrowser, newContext, screenshot, type RunningBrowser } from './browser';
import { readmeReferral, seriousViolations, signIn, type DemoRole } from './board';
import { startBoard } from './server';

interface SettingView {
  beds: { bedId: string; state: { status: string } }[];
}

async function bedStatus(server: TestServer, settingId: string, bedId: string): Promise<string | undefined> {
  const res = await api<SettingView>(server, 'GET', `/v1/settings/${settingId}`, { token: TOKENS.auditor });
  return res.body.beds.find((b) => b.bedId === bedId)?.state.status;
}

/** Presses Tab until the focused element matches `selector` (keyboard only, as a person would). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) > 0) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describeInBrowser('the board in a real browser', () => {
  let server: TestServer;
  let chrome: RunningBrowser;
  const clock = new TestClock();
  const contexts: BrowserContext[] = [];

  async function as(role: DemoRole, width: 1280 | 768 = 1280): Promise<Page> {
    const context = await newContext(chrome.browser, server.baseUrl, width);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, role);
    return page;
  }

  beforeAll(async () => {
    server = await startBoard({}, clock);
    chrome = await launchBrowser();
    await expectCreated(server, '/v1/referrals', TOKENS.placement, readmeReferral('ref-axe', 'axe-1'));
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('every page passes axe-core (WCAG 2.2 AA): no serious or critical violation, at 1280 px and tablet', async () => {
    // A step-down to scan: planned by the manager for c0004, who lives at Beechcroft.
    await expectCreated(server, '/v1/step-downs', TOKENS.manager, {
      stepDownId: 'sd-axe',
      childId: 'c0004',
      toHouseholdId: 'rmbc-fh-001',
      placementType: 'long-term',
      plannedDate: '2027-01-11',
      safetyPlan: {
        summaryProvided: true,
        reviewDate: '2027-02-01',
        contingencyAgreed: true,
        leadRole: 'social-worker',
      },
      milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: '2026-12-15' }],
    });
    const pages: Record<DemoRole, string[]> = {
      'placement-officer': [
        '/',
        '/?kind=residential&sex=F',
        '/referrals',
        '/referrals/ref-axe',
        '/referrals/ref-axe/matches',
        '/referrals/ref-axe/meeting',
        '/referrals/ref-axe/meeting?settingId=rmbc-ch-02',
        '/referrals/ref-axe/placement',
        '/sufficiency',
        '/no-such-page',
      ],
      'residential-manager': [
        '/homes',
        '/homes/rmbc-ch-02',
        '/homes/rmbc-ch-05',
        '/step-downs/new?childId=c0004&settingId=rmbc-ch-02',
        '/step-downs/sd-axe',
      ],
      auditor: [
        '/audit',
        '/audit/children/c0004',
        '/audit/children/c0004?asOf=2026-11-30T10:00:00Z',
        '/audit/verify',
        '/audit/access',
      ],
      admin: ['/'],
    };
    const found: string[] = [];
    const anonymous = await (await newContext(chrome.browser, server.baseUrl)).newPage();
    contexts.push(anonymous.context());
    await anonymous.goto('/sign-in');
    for (const v of await seriousViolations(anonymous)) found.push(`/sign-in: ${v.id} ${v.targets.join(', ')}`);
    // Every page at 1280 px; on a tablet, one of each kind (the layouts are the same components).
    const tablet = new Set([
      '/',
      '/referrals/ref-axe/matches',
      '/referrals/ref-axe/meeting?settingId=rmbc-ch-02',
      '/homes/rmbc-ch-02',
      '/step-downs/sd-axe',
      '/audit/children/c0004',
      '/sufficiency',
    ]);
    for (const width of [1280, 768] as const) {
      for (const [role, paths] of Object.entries(pages) as [DemoRole, string[]][]) {
        const shown = width === 1280 ? paths : paths.filter((p) => tablet.has(p));
        if (shown.length === 0) continue;
        const page = await as(role, width);
        for (const path of shown) {
          await page.goto(path);
          for (const v of await seriousViolations(page))
            found.push(`${width} ${role} ${path}: ${v.id} (${v.impact}) ${v.targets.join(', ')}`);
          await screenshot(
            page,
            `${width}-${role}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'capacity'}`,
          );
        }
      }
    }
    // A form refused with its error summary is a page too.
    const officer = await as('placement-officer');
    await officer.goto('/referrals/ref-axe/meeting?settingId=rmbc-ch-02');
    await officer.getByRole('button', { name: 'Record the meeting' }).click();
    expect(await officer.locator('.govuk-error-summary').innerText()).toContain('Select the decision');
    for (const v of await seriousViolations(officer))
      found.push(`meeting with errors: ${v.id} ${v.targets.join(', ')}`);
    await screenshot(officer, '1280-meeting-errors');
    expect(found).toEqual([]);
    // Some thirty pages, each scanned twice: slow on a busy machine, but ten minutes means hung.
  }, 600_000);

  it('charts children looked after and care leavers on the sufficiency page, each with its figures', async () => {
    const page = await as('placement-officer');
    await page.goto('/sufficiency');
    const figures = async (title: string) => {
      expect(await page.getByRole('img', { name: title }).count()).toBe(1);
      const table = page.locator('table', { has: page.locator('caption', { hasText: `Figures: ${title}` }) });
      return {
        head: await table.locator('thead th').allInnerTexts(),
        thisMonth: await table.locator('tbody tr').last().locator('td, th').allInnerTexts(),
      };
    };
    const lookedAfter = await figures('Children looked after, at each month end (placed or not)');
    expect(lookedAfter.head).toEqual(['Month', 'Looked after', 'Not placed', 'Started', 'Ceased']);
    expect(Number(lookedAfter.thisMonth[1])).toBeGreaterThan(0);
    // The demo estate's two care leavers: cl-0001 staying put with her former foster carers, cl-0002 in 16+ supported.
    const leavers = await figures('Care leavers, at each month end');
    expect(leavers.head).toEqual(['Month', 'Care leavers', 'Staying put', '16+ supported']);
    expect(leavers.thisMonth.slice(1)).toEqual(['2', '1', '1']);
  });

  it('completes the placement form with the keyboard alone', async () => {
    await expectCreated(server, '/v1/referrals', TOKENS.placement, readmeReferral('ref-keys', 'keys-1'));
    await expectCreated(server, '/v1/referrals/ref-keys/holds', TOKENS.placement, {
      settingId: 'rmbc-ch-02',
      bedId: 'b3',
      until: clock.inMs(48 * 3_600_000),
    });
    await expectCreated(server, '/v1/referrals/ref-keys/matching-meetings', TOKENS.placement, {
      meetingId: 'mtg-keys',
      heldOn: '2026-11-30',
      attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }],
      unitConsidered: { kind: 'setting', settingId: 'rmbc-ch-02' },
      impactAssessments: [
        { residentChildId: 'c0004', outcome: 'no-concerns', risksConsidered: [] },
        { residentChildId: 'c0005', outcome: 'manageable', risksConsidered: [] },
      ],
      decision: 'matched',
      reasons: [{ code: 'NEEDS_MET', text: 'Needs can be met.' }],
    });
    const page = await as('placement-officer');
    await page.goto('/referrals/ref-keys/placement');
    await tabTo(page, 'input[name="bed"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'select[name="legalStatus"]');
    // Type-ahead on a focused select, as a keyboard user chooses an option.
    await page.keyboard.type('C2');
    await tabTo(page, 'button[type="submit"]:not(.board-sign-out__button)');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/referrals\/ref-keys$/);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Placed: bed b3 at rmbc-ch-02');
    // The referral starts tomorrow (2026-12-01): tonight the bed is reserved for the child, not yet occupied.
    expect(await bedStatus(server, 'rmbc-ch-02', 'b3')).toBe('Reserved');
  });

  it('refuses a POST without its CSRF token, or with another, and writes nothing', async () => {
    const page = await as('placement-officer');
    const form = { settingId: 'rmbc-ch-03', bedId: 'b1', hours: '48' };
    const before = await bedStatus(server, 'rmbc-ch-03', 'b1');
    const missing = await page.request.post('/referrals/ref-axe/holds', { form, maxRedirects: 0 });
    expect(missing.status()).toBe(403);
    expect(await missing.text()).toContain('The form has expired or did not come from this service');
    const forged = await page.request.post('/referrals/ref-axe/holds', {
      form: { ...form, _csrf: 'a'.repeat(256) },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await bedStatus(server, 'rmbc-ch-03', 'b1')).toBe(before);
  });

  it('shows an auditor no write form and refuses any write they POST, even with a valid token', async () => {
    const page = await as('auditor');
    await page.goto('/referrals/ref-axe/matches');
    expect(await page.getByRole('button', { name: /^Hold/ }).count()).toBe(0);
    expect(await page.locator('form[method="post"]').count()).toBe(1); // sign out, and nothing else
    const csrf = await page.locator('form[action="/sign-out"] input[name="_csrf"]').inputValue();
    const writes: [string, Record<string, string>][] = [
      ['/referrals/ref-axe/holds', { settingId: 'rmbc-ch-03', bedId: 'b1', hours: '48' }],
      ['/referrals/ref-axe/placement', { bed: 'rmbc-ch-03/b1', place: 'K2', placeProvider: 'PR1' }],
      ['/homes/rmbc-ch-03/beds/b1/out-of-use', { reason: 'maintenance' }],
      ['/step-downs', { childId: 'c0004', toHouseholdId: 'rmbc-fh-001' }],
    ];
    for (const [path, form] of writes) {
      const res = await page.request.post(path, { form: { ...form, _csrf: csrf }, maxRedirects: 0 });
      expect([path, res.status()]).toEqual([path, 403]);
    }
    await page.goto('/homes');
    expect(await page.locator('h1').innerText()).toBe('You cannot do this');
    expect(await bedStatus(server, 'rmbc-ch-03', 'b1')).not.toBe('OutOfUse');
  });

  it("shows a residential manager only their homes' children: another home's beds, not who is in them", async () => {
    // Rotherham's fifth home is not one the demo manager keeps; its residents, as an auditor reads them.
    const elsewhere = await api<{
      beds: { bedId: string; state: { status: string; occupant?: { childId: string; placementId: string } } }[];
    }>(server, 'GET', '/v1/settings/rmbc-ch-05', { token: TOKENS.auditor });
    const residents = elsewhere.body.beds.flatMap((b) => (b.state.occupant ? [b.state.occupant] : []));
    const child = residents[0]?.childId;
    if (child === undefined) throw new Error('the seed has no child at rmbc-ch-05');
    // A step-down from there, planned by the placement team into a household whose approval takes the child.
    const households = await api<{
      units: { households: { householdId: string; status: string; freePlaces: number }[] };
    }>(server, 'GET', '/v1/capacity', { token: TOKENS.auditor });
    const open = households.body.units.households.filter((h) => h.status === 'approved' && h.freePlaces > 0);
    let planned = false;
    for (const { householdId } of open) {
      for (const placementType of ['long-term', 'short-term']) {
        const res = await api(server, 'POST', '/v1/step-downs', {
          token: TOKENS.placement,
          body: {
            stepDownId: 'sd-elsewhere',
            childId: child,
            toHouseholdId: householdId,
            placementType,
            plannedDate: '2027-01-18',
            safetyPlan: {
              summaryProvided: true,
              reviewDate: '2027-02-01',
              contingencyAgreed: true,
              leadRole: 'social-worker',
            },
            milestones: [],
          },
        });
        planned = res.status === 201;
        if (planned) break;
        expect((res.body as { code?: string }).code).toBe('APPROVAL_TERMS_EXCEEDED');
      }
      if (planned) break;
    }
    expect(planned).toBe(true);

    const page = await as('residential-manager');
    await page.goto('/homes');
    const homes = await page.locator('table').first().innerText();
    for (const kept of ['rmbc-ch-01', 'rmbc-ch-02', 'rmbc-ch-03', 'rmbc-ch-04']) expect(homes).toContain(kept);
    expect(homes).not.toContain('rmbc-ch-05');
    expect(await page.locator('main').innerText()).not.toContain('sd-elsewhere');

    // Their own home names its residents; another home says which beds are taken, not by whom.
    await page.goto('/homes/rmbc-ch-02');
    expect(await page.locator('main').innerText()).toContain('Child c0004');
    await page.goto('/homes/rmbc-ch-05');
    const other = await page.locator('main').innerText();
    expect(await page.locator('.govuk-tag', { hasText: 'Occupied' }).count()).toBe(residents.length);
    for (const r of residents) {
      expect(other).not.toContain(r.childId);
      expect(other).not.toContain(r.placementId);
    }
    expect(other).not.toMatch(/Child\s*,|placement\s*,|referral\s+until/);
    expect(other).not.toContain('sd-elsewhere');
    expect(other).toContain('Not shown: this is not one of the homes you keep.');
    expect(await page.getByRole('link', { name: /Plan a step-down/ }).count()).toBe(0);
    expect(await page.locator('form[action*="/beds/"]').count()).toBe(0);
    await screenshot(page, '1280-residential-manager-another-home');

    // Nor by its own address: that step-down, the referrals and a child's audit are not theirs to read.
    await page.goto('/step-downs/sd-elsewhere');
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    expect(await page.locator('main').innerText()).not.toContain(child);
    for (const path of ['/referrals', '/referrals/ref-axe', `/audit/children/${child}`]) {
      const res = await page.goto(path);
      expect([path, res?.status(), await page.locator('h1').innerText()]).toEqual([path, 403, 'You cannot do this']);
    }
  });

  it('signs out, after which no page is shown', async () => {
    const page = await as('placement-officer');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'board.sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto('/referrals');
    expect(page.url()).toMatch(/\/sign-in$/);
  });

  it('updates the capacity board live when a bed is held elsewhere', async () => {
    const page = await as('placement-officer');
    const capacity = await api<{
      units: { beds: { settingId: string; settingName: string; bedId: string; label: string; status: string }[] };
    }>(server, 'GET', '/v1/capacity', { token: TOKENS.auditor });
    const bed = capacity.body.units.beds.find((b) => b.status === 'vacant' && b.settingId !== 'rmbc-ch-02');
    if (!bed) throw new Error('the seed has no vacant bed');
    await page.goto('/');
    await page.locator('body[data-capacity-live="connected"]').waitFor({ state: 'attached' });
    const row = () =>
      page.locator('#capacity-units tr', { hasText: bed.settingName }).filter({ hasText: `Bed ${bed.label}` });
    expect(await row().innerText()).toContain('Vacant');
    await expectCreated(server, '/v1/referrals', TOKENS.placement, readmeReferral('ref-live', 'live-1'));
    await expectCreated(server, '/v1/referrals/ref-live/holds', TOKENS.placement, {
      settingId: bed.settingId,
      bedId: bed.bedId,
      until: clock.inMs(3_600_000),
    });
    // No reload: the page hears the change over the stream and redraws itself.
    await row().filter({ hasText: 'Held for referral ref-live' }).waitFor();
    expect(await page.locator('#capacity-live').innerText()).toContain('Capacity updated');
  });
});
