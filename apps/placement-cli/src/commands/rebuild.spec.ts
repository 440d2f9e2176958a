import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections, openReadModelDb } from '@placement/projections';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from '../testing/run-cli';

const cli = (...args: string[]) => runCli(args);

describe('placement-cli rebuild (spawned)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-rebuild-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds every read model, or one, from the event log', async () => {
    const events = join(dir, 'events.db');
    const readModels = join(dir, 'read-models.db');
    const store = await openSqliteEventStore({ path: events });
    await appendAll(store, syntheticEvents({ count: 3000 }));
    await store.close();

    const all = cli('rebuild', '--db', events, '--read-models', readModels);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('capacity: rebuilt to position 2999');
    expect(all.stdout).toContain('sufficiency: rebuilt to position 2999');

    const db = openReadModelDb({ path: readModels });
    const beds = db.all('SELECT * FROM capacity_beds ORDER BY setting_id, bed_id');
    db.run('DELETE FROM capacity_beds');
    db.close();
    const one = cli('rebuild', 'capacity', '--db', events, '--read-models', readModels);
    expect(one.status).toBe(0);
    expect(one.stdout).not.toContain('sufficiency');
    const after = openReadModelDb({ path: readModels });
    expect(after.all('SELECT * FROM capacity_beds ORDER BY setting_id, bed_id')).toEqual(beds);
    after.close();

    const unknown = cli('rebuild', 'nope', '--db', events, '--read-models', readModels);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(allProjections()[0].name);
  });
});
