import type { ChildBody } from '@placement/api';
import { EventStore, openSqliteEventStore } from '@placement/event-store';
import { aReferral } from '@placement/test-support';
import { expectCreated, refer } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * A child's UPN (or the DfE's UN code), MOTHER and MC_DOB, the facts the SSDA903 header needs:
 * given at registration (with the referral) and recorded later by POST /v1/children/{id}/details.
 */

interface Result {
  id: string;
  events: string[];
  replayed: boolean;
}

describe('a child’s UPN, MOTHER and MC_DOB over HTTP', () => {
  let server: TestServer;
  let store: EventStore;
  const details = (childId: string, body: unknown, token: string = TOKENS.placement, headers = {}) =>
    api<Result & Problem>(server, 'POST', `/v1/children/${childId}/details`, { token, body, headers });
  const record = async (childId: string) =>
    (await api<ChildBody>(server, 'GET', `/v1/children/${childId}`, { token: TOKENS.auditor })).body.child;

  beforeAll(async () => {
    server = await startServer();
    const girl = aReferral({ referralId: 'r-ann', childId: 'ann', child: { sex: 'F', dateOfBirth: '2010-02-02' } });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...girl,
      child: { ...girl.child, upn: 'UN4', mother: '0' },
    });
    await refer(server, { referralId: 'r-ben', childId: 'ben', child: { sex: 'M' } });
    store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.close();
  });

  /** Runs `act` and says whether the event log moved. */
  async function writes(act: () => Promise<unknown>): Promise<boolean> {
    const before = await store.headPosition();
    await act();
    return (await store.headPosition()) !== before;
  }

  it('registers a child with the UPN code and MOTHER the referral gives', async () => {
    expect(await record('ann')).toMatchObject({ upn: 'UN4', mother: '0', motherChildDateOfBirth: null });
    expect(await record('ben')).toMatchObject({ upn: null, mother: null });
  });

  it('refuses a referral with a wrong UPN check letter, or MOTHER for a boy: 400 naming the field', async () => {
    const wrongLetter = aReferral({ referralId: 'r-cal', childId: 'cal', child: { sex: 'M' } });
    const boyMother = aReferral({ referralId: 'r-dan', childId: 'dan', child: { sex: 'M' } });
    let first: Problem | undefined;
    let second: Problem | undefined;
    const wrote = await writes(async () => {
      first = (
        await api<Problem>(server, 'POST', '/v1/referrals', {
          token: TOKENS.placement,
          body: { ...wrongLetter, child: { ...wrongLetter.child, upn: 'A801200005001' } },
        })
      ).body;
      second = (
        await api<Problem>(server, 'POST', '/v1/referrals', {
          token: TOKENS.placement,
          body: { ...boyMother, child: { ...boyMother.child, mother: '0' } },
        })
      ).body;
    });
    expect(wrote).toBe(false);
    expect(first).toMatchObject({ status: 400, errors: [{ field: 'child.upn', rule: 'isUpn' }] });
    expect(first?.errors?.[0].message).toMatch(/check letter/);
    expect(second).toMatchObject({ status: 400, errors: [{ field: 'child.mother', rule: 'childDetails' }] });
  });

  it('records a UPN learnt after registration, keeping MOTHER as it was', async () => {
    const res = await details('ann', { upn: 'W372200125001' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'ann', events: ['ChildDetailsUpdated'], replayed: false });
    expect(await record('ann')).toMatchObject({ upn: 'W372200125001', mother: '0', motherChildDateOfBirth: null });
  });

  it('writes nothing when nothing changes', async () => {
    let res: Awaited<ReturnType<typeof details>> | undefined;
    expect(await writes(async () => (res = await details('ann', { upn: 'W372200125001', mother: '0' })))).toBe(false);
    expect(res).toMatchObject({ status: 201, body: { events: [] } });
  });

  it('records that a girl became a mother, with her child’s date of birth, and a value set back again', async () => {
    expect((await details('ann', { mother: '1', motherChildDateOfBirth: '2026-05-01' })).body.events).toEqual([
      'ChildDetailsUpdated',
    ]);
    expect(await record('ann')).toMatchObject({ mother: '1', motherChildDateOfBirth: '2026-05-01' });
    // A, then B, then A again: each is a change the record must keep.
    expect((await details('ann', { upn: 'UN2' })).body.events).toEqual(['ChildDetailsUpdated']);
    expect((await details('ann', { upn: 'W372200125001' })).body.events).toEqual(['ChildDetailsUpdated']);
    expect(await record('ann')).toMatchObject({ upn: 'W372200125001' });
  });

  it('answers a retry with the same Idempotency-Key with the first outcome, even after another change', async () => {
    const headers = { 'idempotency-key': 'ann-upn-unknown-1' };
    const first = await details('ann', { upn: 'UN5' }, TOKENS.placement, headers);
    expect(first.body).toMatchObject({ events: ['ChildDetailsUpdated'], replayed: false });
    await details('ann', { upn: 'W372200125001' });
    let retry: Awaited<ReturnType<typeof details>> | undefined;
    expect(await writes(async () => (retry = await details('ann', { upn: 'UN5' }, TOKENS.placement, headers)))).toBe(
      false,
    );
    expect(retry?.body).toMatchObject({ events: ['ChildDetailsUpdated'], replayed: true });
    expect(await record('ann')).toMatchObject({ upn: 'W372200125001' });
  });

  it('refuses bad input with 400 naming the field and rule, writing nothing', async () => {
    const cases: [unknown, string, string][] = [
      [{ upn: 'A801200005001' }, 'upn', 'isUpn'],
      [{ upn: 'UN6' }, 'upn', 'isUpn'],
      [{ mother: '2' }, 'mother', 'isIn'],
      [{ motherChildDateOfBirth: '2026-02-30' }, 'motherChildDateOfBirth', 'isBusinessDate'],
      [{}, 'body', 'atLeastOne'],
      [{ upn: 'UN2', nickname: 'x' }, 'nickname', 'whitelistValidation'],
    ];
    for (const [body, field, rule] of cases) {
      let res: Awaited<ReturnType<typeof details>> | undefined;
      expect(await writes(async () => (res = await details('ann', body)))).toBe(false);
      expect(res?.status).toBe(400);
      expect(res?.contentType).toMatch(/application\/problem\+json/);
      expect(res?.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
  });

  it('refuses a broken rule with 422 and its code, naming the field, writing nothing', async () => {
    const cases: [string, unknown, string, RegExp][] = [
      ['ben', { mother: '0' }, 'INVALID_INPUT', /^mother: /],
      ['ben', { motherChildDateOfBirth: '2026-01-01' }, 'INVALID_INPUT', /^motherChildDateOfBirth: /],
      ['ann', { mother: '1', motherChildDateOfBirth: null }, 'INVALID_INPUT', /^motherChildDateOfBirth: /],
      ['ann', { motherChildDateOfBirth: '2009-01-01' }, 'INVALID_DATES', /^motherChildDateOfBirth: /],
    ];
    for (const [childId, body, code, detail] of cases) {
      let res: Awaited<ReturnType<typeof details>> | undefined;
      expect(await writes(async () => (res = await details(childId, body)))).toBe(false);
      expect(res?.status).toBe(422);
      expect(res?.body).toMatchObject({ code });
      expect(res?.body.detail).toMatch(detail);
    }
  });

  it('is for placement officers and admins; an unknown child is 404', async () => {
    expect(
      await writes(async () => expect((await details('ann', { upn: 'UN3' }, TOKENS.auditor)).status).toBe(403)),
    ).toBe(false);
    expect((await details('ann', { upn: 'UN3' }, TOKENS.manager)).status).toBe(403);
    expect((await details('nobody', { upn: 'UN3' }, TOKENS.admin)).status).toBe(404);
  });
});
