import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SessionData } from 'express-session';
import { SqliteSessionStore } from './sqlite-session-store';

const session = (expires: number, role = 'auditor'): SessionData =>
  ({
    cookie: { expires: new Date(expires), originalMaxAge: 60_000 },
    viewer: { id: 'a-1', role, settingIds: [] },
  }) as unknown as SessionData;

function call<T>(fn: (cb: (error?: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
}

describe('SqliteSessionStore', () => {
  let dir: string;
  let now = 1_000_000;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'board-sessions-'));
    now = 1_000_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a session across a restart of the process (a new store on the same file)', async () => {
    const file = path.join(dir, 'sessions.db');
    const first = new SqliteSessionStore(file, 60_000, () => now);
    await call((cb) => first.set('sid-1', session(now + 60_000), cb));
    first.close();
    const second = new SqliteSessionStore(file, 60_000, () => now);
    const read = await call<SessionData | null>((cb) => second.get('sid-1', cb));
    expect(read?.viewer).toEqual({ id: 'a-1', role: 'auditor', settingIds: [] });
    second.close();
  });

  it('never returns a session past its expiry, and destroy forgets it at once', async () => {
    const store = new SqliteSessionStore(path.join(dir, 's.db'), 60_000, () => now);
    await call((cb) => store.set('old', session(now + 1_000), cb));
    await call((cb) => store.set('live', session(now + 60_000), cb));
    now += 2_000;
    expect(await call((cb) => store.get('old', cb))).toBeNull();
    expect(await call<SessionData | null>((cb) => store.get('live', cb))).not.toBeNull();
    await call((cb) => store.destroy('live', cb));
    expect(await call((cb) => store.get('live', cb))).toBeNull();
    store.close();
  });

  it('touch moves the expiry on (a rolling session stays alive while used)', async () => {
    const store = new SqliteSessionStore(path.join(dir, 's.db'), 60_000, () => now);
    await call((cb) => store.set('sid', session(now + 1_000), cb));
    await call((cb) => store.touch('sid', session(now + 10_000), cb));
    now += 5_000;
    expect(await call<SessionData | null>((cb) => store.get('sid', cb))).not.toBeNull();
    store.close();
  });
});
