import Database from 'better-sqlite3';
import path from 'node:path';
import { aSetting } from '@placement/test-support';
import { api, withServer, TOKENS } from './support/server';
import { eventually } from './support/eventually';

interface Health {
  status: string;
  details: {
    projections: {
      status: string;
      projections: {
        name: string;
        state: string;
        position: string;
        error?: { type: string; code: string | null; position: string };
      }[];
    };
  };
}

describe('a projection that fails on the real server', () => {
  const server = withServer();

  it('makes /health DOWN with name, position, error type; refuses its reads; other reads, commands work', async () => {
    await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: aSetting({ settingId: 'h1' }) });
    // Break the capacity read model from outside (as a bad migration or a bug would): its next write throws.
    const outside = new Database(path.join(server.dir, 'read-models.db'));
    outside.exec('DROP TABLE capacity_beds');
    outside.close();
    const added = await api<{ position: string }>(server, 'POST', '/v1/settings/h1/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b1', kind: 'residential', label: 'Room 1' },
    });
    expect(added.status).toBe(201);

    // The runner meets the broken table when it applies the bed: wait for that, however long it takes.
    const health = await eventually(
      () => api<Health>(server, 'GET', '/health'),
      (res) => res.status !== 200,
      'the capacity projection failed',
    );
    expect(health.status).toBe(503);
    const capacity = health.body.details.projections.projections.find((p) => p.name === 'capacity');
    expect(capacity).toEqual({
      name: 'capacity',
      state: 'failed',
      position: (BigInt(added.body.position) - 1n).toString(),
      error: { type: 'SqliteError', code: 'SQLITE_ERROR', position: added.body.position },
    });
    expect(
      health.body.details.projections.projections
        .filter((p) => p.name !== 'capacity')
        .every((p) => p.state === 'caught-up'),
    ).toBe(true);

    const read = await api<{ status: number; detail: string }>(server, 'GET', '/v1/capacity', {
      token: TOKENS.auditor,
    });
    expect(read.status).toBe(503);
    expect(read.contentType).toContain('application/problem+json');
    expect(
      (await api(server, 'GET', `/v1/sufficiency/trends?minPosition=${added.body.position}`, { token: TOKENS.auditor }))
        .status,
    ).toBe(200);
  });
});
