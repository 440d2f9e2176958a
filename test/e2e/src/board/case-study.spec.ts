import type { Page } from 'playwright-core';
import { expectCreated } from '../support/fixtures';
import { api, TOKENS, type TestServer } from '../support/server';
import { describeInBrowser, launchBrowser, newContext, screenshot, type RunningBrowser } from './browser';
import { fillDate, readmeReferral, signIn } from './board';
import { startBoard } from './server';
import { TestClock } from '../support/clock';

/** The confirmation after a form; a refusal's error summary fails the test with its words. */
async function notice(page: Page): Promise<string> {
  const said = page.locator('.govuk-notification-banner, .govuk-error-summary, main h1').first();
  await said.waitFor();
  const summary = page.locator('.govuk-error-summary');
  if ((await summary.count()) > 0) throw new Error(`refused: ${await summary.innerText()}`);
  return page.locator('.govuk-notification-banner').innerText();
}

const DAY_MS = 24 * 3_600_000;

describeInBrowser('the residential case study, through the pages in a real browser', () => {
  let server: TestServer;
  let chrome: RunningBrowser;
  const clock = new TestClock();
  beforeAll(async () => {
    server = await startBoard({}, clock);
    chrome = await launchBrowser();
    await expectCreated(server, '/v1/referrals', TOKENS.placement, readmeReferral('ref-demo-1', 'demo-1'));
    // The team works the referral an hour after it arrived: the auditor can look between the two.
    clock.advance(3_600_000);
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  // One case, three people in turn: each part needs what the one before it recorded.
  it('officer: referral→matches→hold→meeting→place; manager: step-down→complete; auditor: as of → verify', async () => {
    await asPlacementOfficer();
    await asResidentialManager();
    await asAuditor();
  });

  async function asPlacementOfficer(): Promise<void> {
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

    // Tonight (30 November) the bed is free with the arrival booked; from 1 December it is demo-1's.
    const bed = await api<{ beds: { bedId: string; state: { status: string; next?: { date: string } } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state).toMatchObject({
      status: 'Reserved',
      next: { date: '2026-12-01', change: 'arrival' },
    });
    const diary = await api<{
      beds: { bedId: string; bookings: { childId: string; from: string; arrival: string }[] }[];
    }>(server, 'GET', '/v1/settings/rmbc-ch-02/diary?from=2026-11-30&to=2026-12-07', { token: TOKENS.auditor });
    expect(diary.body.beds.find((b) => b.bedId === 'b3')?.bookings).toEqual([
      expect.objectContaining({ childId: 'demo-1', from: '2026-12-01', arrival: 'planned' }),
    ]);
    await context.close();
  }

  async function asResidentialManager(): Promise<void> {
    const context = await newContext(chrome.browser, server.baseUrl);
    const page = await context.newPage();
    // The next morning demo-1 has arrived: the manager plans her step-down from the home she now lives in.
    clock.advance(DAY_MS);
    await signIn(page, 'residential-manager');
    await page.getByRole('link', { name: 'Beechcroft', exact: true }).click();
    await screenshot(page, 'manager-1-home');
    await page.getByRole('link', { name: 'Plan a step-down for child demo-1' }).click();
    await page.getByLabel('Foster household').selectOption('rmbc-fh-001');
    await fillDate(page, 'Planned moving date', '2027-01-11');
    await page.getByLabel('A summary of the safety plan has been given to the family').check();
    await page.getByLabel('A contingency has been agreed').check();
    await fillDate(page, 'Safety plan review date', '2027-02-01');
    await page.getByLabel('Milestone 1', { exact: true }).selectOption('introductions');
    await fillDate(page, 'Milestone 1 due', '2026-12-15');
    await page.getByLabel('Milestone 2', { exact: true }).selectOption('overnight-stay');
    await fillDate(page, 'Milestone 2 due', '2027-01-04');
    await screenshot(page, 'manager-2-plan');
    await page.getByRole('button', { name: 'Plan the step-down' }).click();
    expect(await notice(page)).toContain('Step-down planned for child demo-1');

    // Time passes: the introductions happen, then the move (facts about the past carry no future date).
    clock.advance(DAY_MS * 41);
    await page.reload();
    await page.getByRole('group', { name: 'Outcome of introductions' }).getByLabel('Met').check();
    await fillDate(page, 'Date of introductions', '2026-12-15');
    await page.getByRole('button', { name: 'Record introductions' }).click();
    expect(await notice(page)).toContain('recorded: met');
    await fillDate(page, 'Moving date', '2027-01-11');
    await screenshot(page, 'manager-3-step-down');
    await page.getByRole('button', { name: 'Complete the step-down' }).click();
    expect(await notice(page)).toContain('Step-down completed on 2027-01-11');

    const bed = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
    await context.close();
  }

  async function asAuditor(): Promise<void> {
    const context = await newContext(chrome.browser, server.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'auditor');
    await page.getByLabel('Child id').fill('demo-1');
    // 10:30 London on 30 November: after the referral (10:00), before the placement (11:00).
    await fillDate(page, 'As of (leave blank for the record as it stands)', '2026-11-30');
    await page.getByLabel('Time (24-hour, optional)').fill('10:30');
    await page.getByRole('button', { name: 'Show the timeline' }).click();
    expect(await page.locator('h1').innerText()).toContain('as of 30 November 2026 at 10:30');
    const then = await page.locator('main').innerText();
    expect(then).toContain('No placement was recorded.');
    await screenshot(page, 'auditor-1-timeline-as-of');

    await page.getByRole('link', { name: 'See the record as it stands' }).click();
    const now = await page.locator('main').innerText();
    expect(now).toContain('Bed b3 at rmbc-ch-02');
    expect(now).toMatch(/Step-down .* completed|StepDownCompleted|stepped down/i);
    await screenshot(page, 'auditor-2-timeline-now');

    await page.goto('/audit');
    await page.getByRole('button', { name: 'Verify the record' }).click();
    expect(await page.locator('.govuk-panel').innerText()).toContain('The record is intact');
    expect(await page.locator('code.board-head').first().innerText()).toMatch(/^\d+:[0-9a-f]{64}$/);
    await screenshot(page, 'auditor-3-verify');
    await context.close();
  }
});
