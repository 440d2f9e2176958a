import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore, type EventStore, type SqliteEventStore } from '@placement/event-store';
import {
  allProjections,
  openReadModelDb,
  ProjectionRunner,
  readChildAudit,
  readReferralAudit,
  type ReadModelDb,
} from '@placement/projections';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import type { ProjectionsService } from '../projections/projections.service';
import {
  GetChildAuditHandler,
  GetChildAuditQuery,
  GetReferralAuditHandler,
  GetReferralAuditQuery,
} from './audit.queries';

/** The real store, counting the events `readAll` hands back: how much of the whole log a request reads. */
function counting(store: EventStore): { store: EventStore; readAllEvents: () => number } {
  let events = 0;
  const counted = new Proxy(store, {
    get: (target, name, receiver) => {
      if (name === 'readAll')
        return async (...args: Parameters<EventStore['readAll']>) => {
          const page = await target.readAll(...args);
          events += page.length;
          return page;
        };
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, readAllEvents: () => events };
}

describe('audit queries read a history through the API’s audit index', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadModelDb;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'audit-queries-'));
    store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
    await appendAll(store, syntheticEvents({ count: 2_000, seed: 3 }));
    db = openReadModelDb({ path: path.join(dir, 'read-models.db') });
    const runner = new ProjectionRunner({ store, db, projections: allProjections() });
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    await runner.stop();
  });
  afterAll(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a child’s and a referral’s history without reading the log through, and as a scan would', async () => {
    const projections = { readModels: db } as ProjectionsService;
    const reads = counting(store);
    const child = await new GetChildAuditHandler(reads.store, projections).execute(
      new GetChildAuditQuery('c-20', null),
    );
    const referral = await new GetReferralAuditHandler(reads.store, projections).execute(
      new GetReferralAuditQuery('r-20', null),
    );
    expect(reads.readAllEvents()).toBe(0);
    expect(child).toEqual(await readChildAudit(store, 'c-20'));
    expect(referral).toEqual(await readReferralAudit(store, 'r-20'));
    expect(child.entries.length).toBeGreaterThan(3);
  });
});
