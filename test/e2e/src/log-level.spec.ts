import Database from 'better-sqlite3';
import { aSetting } from '@placement/test-support';
import { eventually } from './support/eventually';

import { api, LogCapture, withServer, TOKENS } from './support/server';

/*
 * LOG_LEVEL is applied to every line, Nest's own start-up lines included: at `warn`, a
 * start-up and a run of successful requests write nothing, and a server error still does.
 */
describe('LOG_LEVEL=warn on the real server', () => {
  const log = new LogCapture();
  const server = withServer({ LOG_LEVEL: 'warn' }, { logger: log });

  it('writes no start-up or request line below warn, and still the warning and error of a 5xx', async () => {
    expect(
      (await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: aSetting({ settingId: 'lvl-1' }) }))
        .status,
    ).toBe(201);
    expect((await api(server, 'GET', '/v1/settings/lvl-1', { token: TOKENS.auditor })).status).toBe(200);
    expect((await api(server, 'GET', '/health')).status).toBe(200);
    expect(log.lines).toEqual([]);

    // Another process holds the write lock past the store's busy timeout: the command fails with a 5xx.
    const lock = new Database(server.sqlitePath);
    lock.exec('BEGIN EXCLUSIVE');
    let status: number;
    try {
      status = (
        await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: aSetting({ settingId: 'lvl-2' }) })
      ).status;
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    expect(status).toBe(503);
    // The request line is written when the response finishes, which can be after fetch resolves.
    await eventually(
      async () => log.lines.length,
      (n) => n >= 2,
      'the 5xx lines',
    );
    expect(log.entries().map((e) => [e['level'], e['msg']])).toEqual([
      ['error', 'unhandled error'],
      ['warn', 'request'],
    ]);
  });
});
