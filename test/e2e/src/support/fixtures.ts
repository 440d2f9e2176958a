import { aBed, aMeeting, aPlacement, aReferral, aSetting } from '@placement/test-support';
import { api, TestServer, TOKENS } from './server';

export async function expectCreated(server: TestServer, route: string, token: string, body: unknown): Promise<void> {
  const res = await api(server, 'POST', route, { token, body });
  if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A referral received from a placement officer: `aReferral` with the given overrides. */
export async function refer(server: TestServer, overrides: Parameters<typeof aReferral>[0] = {}): Promise<void> {
  await expectCreated(server, '/v1/referrals', TOKENS.placement, aReferral(overrides));
}

/**
 * A referral `r-<childId>` for the child, matched to the setting at a meeting `m-<childId>` that
 * assessed the `residents` already living there: the child is ready to be placed.
 */
export async function referAndMatch(
  server: TestServer,
  childId: string,
  settingId: string,
  residents: string[],
  child: NonNullable<Parameters<typeof aReferral>[0]>['child'] = {},
): Promise<void> {
  await refer(server, { referralId: `r-${childId}`, childId, child });
  await expectCreated(
    server,
    `/v1/referrals/r-${childId}/matching-meetings`,
    TOKENS.placement,
    aMeeting({ meetingId: `m-${childId}`, settingId, residents }),
  );
}

/** A home with beds b1..bN and the given children already living in the first beds, each properly matched. */
export async function homeWithResidents(
  server: TestServer,
  settingId: string,
  beds: number,
  residents: string[],
): Promise<void> {
  await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId, maxChildren: beds }));
  for (let i = 1; i <= beds; i++)
    await expectCreated(server, `/v1/settings/${settingId}/beds`, TOKENS.admin, aBed({ bedId: `b${i}` }));
  const placed: string[] = [];
  for (const [i, childId] of residents.entries()) {
    const referralId = `r-${childId}`;
    await referAndMatch(server, childId, settingId, placed, { dateOfBirth: '2011-05-05' });
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({ placementId: `p-${childId}`, childId, referralId, settingId, bedId: `b${i + 1}` }),
    );
    placed.push(childId);
  }
}

/*
 * The case study's emergency: Ben, a boy referred as an emergency, placed at once in Ash's
 * emergency bed e1, before any matching meeting (the placement flags him until one matches him).
 */
export const bensEmergencyReferral = (overrides: Parameters<typeof aReferral>[0] = {}) =>
  aReferral({ referralId: 'r-ben', childId: 'ben', urgency: 'emergency', child: { sex: 'M' }, ...overrides });

export const bensEmergencyPlacement = (overrides: Parameters<typeof aPlacement>[0] = {}) =>
  aPlacement({
    placementId: 'p-ben',
    childId: 'ben',
    referralId: 'r-ben',
    settingId: 'ash',
    bedId: 'e1',
    emergency: true,
    ...overrides,
  });
