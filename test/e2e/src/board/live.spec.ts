import { expectCreated } from '../support/fixtures';
import { TestClock } from '../support/clock';
import { api, TOKENS, type TestServer } from '../support/server';
import { readmeReferral } from './board';
import { startBoard } from './server';

/** One server-sent event as a browser's EventSource parses it. */
interface SentEvent {
  event?: string;
  id?: string;
  retry?: string;
  data?: string;
}

/** A connection to the board's live capacity stream, as an EventSource makes it. */
class Stream {
  private buffer = '';
  private constructor(
    readonly response: Response,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  static async open(server: TestServer, cookie: string | undefined, lastEventId?: string): Promise<Stream> {
    const abort = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (cookie) headers['cookie'] = cookie;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await fetch(`${server.baseUrl}/capacity/stream`, {
      headers,
      redirect: 'manual',
      signal: abort.signal,
    });
    if (!response.body) throw new Error('the stream has no body');
    return new Stream(response, response.body.getReader(), abort);
  }

  /** The next event of this type (heartbeats and others are read past). */
  async next(type: string): Promise<SentEvent> {
    const decoder = new TextDecoder();
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event: SentEvent = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const field = line.slice(0, colon) as keyof SentEvent;
          const value = line.slice(colon + 1).replace(/^ /, '');
          event[field] = field === 'data' && event.data !== undefined ? `${event.data}\n${value}` : value;
        }
        if (event.event === type) return event;
        continue;
      }
      const { done, value } = await this.reader.read();
      if (done) throw new Error(`the stream ended before a ${type} event`);
      this.buffer += decoder.decode(value, { stream: true });
    }
  }

  /** Drops the connection, as a network failure would. */
  drop(): void {
    this.abort.abort();
  }
}

interface Capacity {
  position: string;
  units: { beds: { settingId: string; bedId: string; status: string; hold: { referralId: string } | null }[] };
}

/** Signs in on the demo page as a browser would: the sign-in form's CSRF token, then the new session's cookie. */
async function signIn(server: TestServer, role: string): Promise<string> {
  const form = await fetch(`${server.baseUrl}/sign-in`, { redirect: 'manual' });
  const first = form.headers
    .getSetCookie()
    .find((c) => c.startsWith('board.sid='))
    ?.split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!first || !token) throw new Error('the sign-in page gave no session or CSRF token');
  const signedIn = await fetch(`${server.baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ role, _csrf: token }).toString(),
  });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers
    .getSetCookie()
    .find((c) => c.startsWith('board.sid='))
    ?.split(';')[0];
  return cookie ?? first;
}

describe("the board's live capacity stream", () => {
  let server: TestServer;
  const clock = new TestClock();
  beforeAll(async () => {
    server = await startBoard({}, clock);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is not sent to anyone without a signed-in session', async () => {
    const anonymous = await Stream.open(server, undefined);
    expect(anonymous.response.headers.get('content-type') ?? '').not.toContain('text/event-stream');
    expect([302, 303, 401, 403]).toContain(anonymous.response.status);
    anonymous.drop();
  });

  it('uses the session cookie, numbers its events, and resumes after a dropped connection', async () => {
    const cookie = await signIn(server, 'auditor');
    const stream = await Stream.open(server, cookie);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    const snapshot = await stream.next('snapshot');
    // `id:` is the read model's position (what a reconnecting EventSource sends back); `retry:` its reconnect delay.
    expect(snapshot.id).toMatch(/^-?\d+$/);
    expect(Number(snapshot.retry)).toBeGreaterThan(0);
    const before = JSON.parse(snapshot.data ?? '{}') as Capacity;
    const bed = before.units.beds.find((b) => b.status === 'vacant');
    if (!bed) throw new Error('the seed has no vacant bed');

    // The connection drops; while it is down, a bed is held.
    stream.drop();
    await expectCreated(
      server,
      '/v1/referrals',
      TOKENS.placement,
      readmeReferral('ref-resume', 'resume-1', { risksToSelf: [] }),
    );
    await expectCreated(server, '/v1/referrals/ref-resume/holds', TOKENS.placement, {
      settingId: bed.settingId,
      bedId: bed.bedId,
      until: clock.inMs(3_600_000),
    });
    const held = await api<Capacity>(server, 'GET', '/v1/capacity', { token: TOKENS.auditor });

    // The browser reconnects by itself with the last id it saw: the change it missed is in what it is sent first.
    const resumed = await Stream.open(server, cookie, snapshot.id);
    let fresh = await resumed.next('snapshot');
    const caughtUp = async (event: SentEvent): Promise<SentEvent> =>
      BigInt(event.id ?? '-1') >= BigInt(held.body.position) ? event : caughtUp(await resumed.next('delta'));
    fresh = await caughtUp(fresh);
    resumed.drop();
    expect(BigInt(fresh.id ?? '-1')).toBeGreaterThan(BigInt(snapshot.id ?? '-1'));
    const now = JSON.parse(fresh.data ?? '{}') as Capacity;
    const same = now.units.beds.find((b) => b.settingId === bed.settingId && b.bedId === bed.bedId);
    expect(same).toMatchObject({ status: 'held', hold: { referralId: 'ref-resume' } });
  });
});
